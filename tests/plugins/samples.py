"""The sample plugins of the plugin tests, and installing one into the user folder."""

from __future__ import annotations

import shutil
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent / "sample_plugins"


def install_user_plugin(name: str) -> Path:
    from cimviewer.plugins.discovery import user_folder

    target = user_folder() / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(SAMPLES / name, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target
