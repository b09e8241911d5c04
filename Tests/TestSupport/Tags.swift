import Testing

extension Tag {
    /// Tests that take seconds or more each (whole datasets generated, the binary run end to end, calibration by
    /// simulation). The quick loop (README, "Tests") skips them by suite name.
    @Tag public static var slow: Self
    /// Tests that run the `synthbench` binary as a child process.
    @Tag public static var endToEnd: Self
}
