/// Harness module: see docs/ARCHITECTURE.md.
