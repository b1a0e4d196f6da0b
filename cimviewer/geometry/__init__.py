"""Numpy geometry kernels: triangulation, extrusion, batching, rasters. No Qt, no VTK."""
