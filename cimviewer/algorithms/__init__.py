"""The headless algorithm framework: typed parameters, progress, cancellation, results."""
