// Harness: measures the generator and decides whether a change made it slower.
//
// Public API (everything else is internal):
//
//   Bench.run(_:progress:)          runs the real generator (`Generator.run`, real files in a scratch
//                                   directory) over a grid of --envs × --lanes cells with repeats, measures
//                                   the encode ceiling on the same frames, probes peak RSS per environment
//                                   count in child processes, and returns a `BenchResult`.
//   BenchResult (module BenchFormat) the versioned results document that `Bench.run` returns and `write(to:)`
//                                   stores; `Summary(samples:)` adds the bootstrap interval, `Machine.current()`
//                                   fingerprints this machine.
//   Gate.evaluate(baseline:candidate:options:)
//                                   regression decision per metric: Mann–Whitney U over the repeats
//                                   (significant) AND a relative change beyond a threshold (material).
//   CompareReport                   side-by-side Markdown and an HTML page with SVG bar charts.
//   Summary, Machine                median + bootstrap CI (Stats.median, Stats.bootstrapInterval), machine fingerprint;
//                                   the memory line is Stats.LinearFit.
//
// Ratios (generator / encode ceiling, lane scaling relative to the ceiling's own scaling) are measured in the
// same run on the same frames, so they stay comparable across machines and across noisy moments on one
// machine; absolute frames/hour and bytes are only compared between runs on the same hardware.
