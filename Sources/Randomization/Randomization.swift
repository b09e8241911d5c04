/// Randomization module (work in progress).
