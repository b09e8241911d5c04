/// Physics module (work in progress).
