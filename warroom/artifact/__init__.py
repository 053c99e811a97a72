"""The leaked artifact: acquire it, read it, scan it, and build the roster of exposed people."""
