"""Building statistics (built-in cimviewer plugin)."""
