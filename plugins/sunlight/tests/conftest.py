"""The plugin's own tests: the folder holding ``sunlight/`` goes on sys.path, fixtures
come from ``cimviewer.testing``."""

from __future__ import annotations

import sys
from pathlib import Path

PLUGINS = str(Path(__file__).resolve().parents[2])  # the folder holding sunlight/
if PLUGINS not in sys.path:
    sys.path.insert(0, PLUGINS)
