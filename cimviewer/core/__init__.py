"""Evented, Qt-free models: project, layers, selection, camera."""
