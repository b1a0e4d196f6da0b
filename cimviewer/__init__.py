"""cimviewer: a desktop GIS / CIM viewer and smart-pole planning app."""

__version__ = "0.1.0"
