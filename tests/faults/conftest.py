"""Fixtures of the fault-injection suite: a CLI runner with a time bound, a broker.

Local to this folder on purpose (no other test folder's conftest is imported).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
posix_only = pytest.mark.skipif(os.name == "nt", reason="FIFOs are POSIX")


def run_cli(*argv: str, timeout: float = 60, env: dict | None = None,
            cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``python -m cimviewer ARGV`` with a hard time bound (a hang fails the test)."""
    full_env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen",
                    **(env or {}))
    return subprocess.run([sys.executable, "-m", "cimviewer", *argv], capture_output=True,
                          text=True, timeout=timeout, env=full_env, cwd=cwd)


def one_line_error(proc: subprocess.CompletedProcess, *words: str) -> str:
    """The process failed with exactly one error line, no traceback, naming ``words``."""
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr, proc.stderr
    errors = [line for line in proc.stderr.splitlines() if "error" in line]
    assert len(errors) == 1, proc.stderr
    for word in words:
        assert word in errors[0], errors[0]
    return errors[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Broker:
    def __init__(self, folder: Path):
        self.port = free_port()
        conf = folder / f"mosquitto-{self.port}.conf"
        root = os.name != "nt" and os.geteuid() == 0
        conf.write_text(f"listener {self.port} 127.0.0.1\nallow_anonymous true\n"
                        f"{'user root' if root else ''}\n")
        self.conf = conf
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> Broker:
        self.proc = subprocess.Popen([MOSQUITTO, "-c", str(self.conf)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return self
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("mosquitto did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(5)
            self.proc = None


@pytest.fixture
def broker(tmp_path):
    if not Path(MOSQUITTO).exists():
        pytest.skip("mosquitto is not installed")
    b = Broker(tmp_path).start()
    yield b
    b.stop()


@pytest.fixture
def user_plugins(tmp_path, monkeypatch):
    """The user plugin folder of a temporary home (also for CLI subprocesses)."""
    home = tmp_path / "home"
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    from cimviewer.plugins.discovery import user_folder

    folder = user_folder()
    folder.mkdir(parents=True)
    return folder
