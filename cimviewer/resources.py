"""Where the shipped resources (translations, icons, demo city) live."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """``resources/`` of a source checkout, a PyInstaller bundle, or $CIMVIEWER_RESOURCES."""
    env = os.environ.get("CIMVIEWER_RESOURCES")
    if env:
        return Path(env)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def demo_dir() -> Path:
    return resources_dir() / "demo"
