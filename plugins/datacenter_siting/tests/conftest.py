"""The plugin's own tests, run as a third-party plugin's would: the folder that holds the
plugin goes on sys.path (the tests import it as ``datacenter_siting``), and fixtures come
from ``cimviewer.testing``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PLUGINS = str(Path(__file__).resolve().parents[2])  # the folder holding datacenter_siting/
if PLUGINS not in sys.path:
    sys.path.insert(0, PLUGINS)

PLUGIN_DIR = Path(__file__).resolve().parents[1]
DATA = PLUGIN_DIR / "data"


@pytest.fixture
def run_cli():
    """Run ``cimviewer run datacenter_siting.ALG ...`` in a subprocess, as scripts do."""

    def run(algorithm: str, *params: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        args = [sys.executable, "-m", "cimviewer", "run", f"datacenter_siting.{algorithm}"]
        for p in params:
            args += ["--param", p]
        env = dict(os.environ)
        root = str(PLUGIN_DIR.parents[1])  # the checkout holding cimviewer/ and plugins/
        env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
        return subprocess.run([*args, "--json"], capture_output=True, text=True, cwd=cwd,
                              env=env, timeout=120)

    return run
