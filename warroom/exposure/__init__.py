"""Exposure: where the file is or was, and the clock rule that says whether it still is."""
