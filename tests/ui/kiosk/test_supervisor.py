"""``cimviewer kiosk-supervise`` restarts a real kiosk that was killed (real processes,
a real SIGKILL), and stops it when it is told to stop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cimviewer.kiosk_supervisor import read_heartbeat
from cimviewer.testing import needs_display

pytestmark = [pytest.mark.gui, pytest.mark.skipif(os.name == "nt", reason="SIGKILL")]
ROOT = Path(__file__).resolve().parents[3]


def _status(folder: Path) -> dict:
    try:
        return json.loads((folder / "supervisor.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _wait(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (not yet reaped) is dead too
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_supervisor_restarts_a_killed_kiosk(tmp_path):
    needs_display()
    state = tmp_path / "state"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "cimviewer", "kiosk-supervise", "--stall", "60",
         "--startup", "90", "--state-dir", str(state), "--log-dir", str(tmp_path / "logs"),
         "--", "--windowed", "--attract-delay", "1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        heartbeat = state / "heartbeat.json"
        assert _wait(lambda: read_heartbeat(heartbeat) is not None, 60), "no first heartbeat"
        first = _status(state)["pid"]
        assert json.loads(heartbeat.read_text())["pid"] == first  # the kiosk draws
        os.kill(first, signal.SIGKILL)
        assert _wait(lambda: _status(state).get("pid") not in (None, first), 30)
        assert _status(state)["restarts"] == 1
        second = _status(state)["pid"]
        assert _wait(lambda: (read_heartbeat(heartbeat) or 0) > 0 and json.loads(
            heartbeat.read_text())["pid"] == second, 60), "the new kiosk does not draw"
        log = (tmp_path / "logs" / "kiosk-supervisor.log").read_text(encoding="utf-8")
        assert "exited with code -9: restarting it" in log
        assert (tmp_path / "logs" / "kiosk.log").exists()
    finally:
        supervisor.send_signal(signal.SIGTERM)
        supervisor.wait(30)
    assert not _alive(second)  # the supervisor took its kiosk with it
    assert _status(state)["state"] == "stopped"
