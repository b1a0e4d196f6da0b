"""The ``kiosk`` and ``kiosk-supervise`` commands, and the supervisor with stand-in
children (the real kiosk is killed and restarted in tests/ui/kiosk/test_supervisor.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cimviewer.kiosk_supervisor import Supervisor, read_heartbeat, setup_log_file

ROOT = Path(__file__).resolve().parents[1]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cimviewer", *args], capture_output=True,
                          text=True, timeout=60, cwd=ROOT)


def test_help_names_the_commands():
    out = _cli("kiosk", "--help")
    assert out.returncode == 0 and out.stdout.startswith("usage: cimviewer kiosk")
    assert "--idle-timeout" in out.stdout and "PIN" in out.stdout
    out = _cli("kiosk-supervise", "--help")
    assert out.returncode == 0 and "usage: cimviewer kiosk-supervise" in out.stdout
    assert "kiosk-supervise" in _cli("--help").stdout


def test_kiosk_refuses_to_start_without_a_display():
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    if sys.platform != "linux":
        pytest.skip("the display check is for Linux")
    out = subprocess.run([sys.executable, "-m", "cimviewer", "kiosk"], capture_output=True,
                         text=True, timeout=60, env=env, cwd=ROOT)
    assert out.returncode == 1 and "needs a display" in out.stderr


CHILD = """
import json, os, sys, time
from pathlib import Path
heartbeat = Path(sys.argv[sys.argv.index("--heartbeat") + 1])
runs = Path(sys.argv[1])
n = int(runs.read_text()) + 1 if runs.exists() else 1
runs.write_text(str(n))
mode = sys.argv[2]
def beat():
    heartbeat.write_text(json.dumps({"time": time.time(), "frames": 1, "pid": os.getpid()}))
if mode == "crash-once":
    sys.exit(3 if n == 1 else 0)
if mode == "stall":
    beat()
    time.sleep(60)  # alive, but draws nothing more
"""


def _supervisor(tmp_path: Path, mode: str, **kwargs) -> Supervisor:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    return Supervisor([sys.executable, str(script), str(tmp_path / "runs"), mode],
                      tmp_path / "state", **kwargs)


def test_supervisor_restarts_a_crashed_child_and_stops_on_exit_0(tmp_path):
    supervisor = _supervisor(tmp_path, "crash-once")
    assert supervisor.run() == 0
    assert supervisor.restarts == 1
    assert (tmp_path / "runs").read_text() == "2"
    status = json.loads(supervisor.status.read_text())
    assert status["state"] == "stopped" and status["restarts"] == 1


def test_supervisor_restarts_a_child_that_stops_drawing(tmp_path):
    supervisor = _supervisor(tmp_path, "stall", stall_s=0.5, startup_s=20, max_restarts=1)
    t0 = time.monotonic()
    assert supervisor.run() == 1  # gave up after one restart
    assert time.monotonic() - t0 < 20
    assert (tmp_path / "runs").read_text() == "2"
    assert supervisor.child.poll() is not None  # killed, not left behind
    assert read_heartbeat(supervisor.heartbeat) is not None


def test_log_files_rotate(tmp_path):
    import logging

    path = setup_log_file("rotate.log", tmp_path, "cimviewer.test_rotate")
    logger = logging.getLogger("cimviewer.test_rotate")
    handler = logger.handlers[-1]
    handler.maxBytes = 2000
    for i in range(200):
        logger.info("line %d %s", i, "x" * 40)
    handler.close()
    logger.removeHandler(handler)
    assert path.exists() and (tmp_path / "rotate.log.1").exists()
    assert path.stat().st_size <= 2000
