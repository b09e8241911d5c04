/// Render module (work in progress).
