"""The fixtures cimviewer ships for plugin authors (cimviewer.testing)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(os.name == "nt", reason="no display is a Linux situation")
def test_window_fixtures_skip_without_a_display(tmp_path):
    """Without a display the window fixtures skip, as documented: they must not make a
    QApplication first (Qt aborts the whole run: 'Fatal Python error: Aborted')."""
    (tmp_path / "test_needs_window.py").write_text(
        "def test_window(cim_main_window):\n    cim_main_window()\n\n\n"
        "def test_demo(cim_demo_window):\n    pass\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(tmp_path)], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 skipped" in proc.stdout
