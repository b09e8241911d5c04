/// Stats module (work in progress).
