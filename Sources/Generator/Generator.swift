/// Generator module (work in progress).
