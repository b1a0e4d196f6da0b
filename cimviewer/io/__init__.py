"""Readers and writers. Produce core objects; never import Qt or VTK."""
