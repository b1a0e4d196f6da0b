"""docs/api-reference.md is generated from the API's docstrings and must not drift."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_api_reference_is_current():
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "api_reference.py"),
                           "--check"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_every_api_name_is_in_the_reference():
    import cimviewer.api as api

    text = (ROOT / "docs" / "api-reference.md").read_text(encoding="utf-8")
    missing = [name for name in api.__all__ if f"`{name}" not in text]
    assert not missing
