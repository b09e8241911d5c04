/// Grading module: see docs/ARCHITECTURE.md.
