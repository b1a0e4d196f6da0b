"""VTK adapters: one per layer kind, listening to model events. Never imports Qt."""
