// BenchFormat: the results document of `synthbench bench` (docs/FORMATS.md, "bench results"), shared by the code
// that writes it (Harness) and the code that reads it (Harness's gate and compare, Grading).
//
// Public API:
//
//   BenchResult.read(path:)         reads and validates a results file; the first problem names the file and the
//                                   field (`ResultFileError`). `decode(_:file:)` does the same for bytes in memory;
//                                   `json()` and `write(to:)` store a result (sorted keys, atomic write).
//   Summary, Machine                a measured quantity (median, interval, samples) and where a bench ran.
//
// Nothing here measures anything: the bootstrap interval of a `Summary` and `Machine.current()` are in Harness.
