"""Keeping a kiosk alive: start it, watch its heartbeat, restart it when it dies or
stops drawing. Pure Python (subprocess, a heartbeat file, ``os.replace``): the same on
Linux and Windows. Also the rotating log files of the kiosk and the supervisor.

Exit code 0 from the kiosk means the operator left with the PIN: supervision ends.
Any other exit, or a heartbeat older than ``stall_s``, is a failure: the kiosk is
stopped (terminate, then kill) and started again after a back-off (1 s doubling to
60 s; back to 1 s once a run lasted ``stable_s``).
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("cimviewer.supervisor")
LOG_BYTES = 5 * 1024 * 1024
LOG_BACKUPS = 5
POLL_S = 0.25


def default_state_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_state_dir("cimviewer", "cimviewer")) / "kiosk"


def default_log_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir("cimviewer", "cimviewer"))


def setup_log_file(filename: str, log_dir: Path | None = None,
                   logger: str = "cimviewer") -> Path:
    """Send ``logger`` to ``log_dir/filename`` (rotating, 5 x 5 MB); returns the path."""
    folder = Path(log_dir) if log_dir is not None else default_log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / filename
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=LOG_BYTES,
                                                   backupCount=LOG_BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    target = logging.getLogger(logger)
    target.addHandler(handler)
    target.setLevel(logging.INFO)
    return path


def write_json(path: Path, data: dict) -> None:
    """Atomically (temporary file + ``os.replace``; works on Windows too)."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    tmp.replace(path)  # os.replace: atomic, also over an existing file on Windows


def read_heartbeat(path: Path) -> float | None:
    """The time (epoch seconds) of the last heartbeat, or None without one."""
    try:
        return float(json.loads(path.read_text(encoding="utf-8"))["time"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


@dataclass
class Supervisor:
    """Runs ``command`` (which gets ``--heartbeat FILE`` appended) until it exits 0."""

    command: list[str]
    state_dir: Path
    stall_s: float = 30.0
    startup_s: float = 90.0
    stable_s: float = 300.0
    max_restarts: int | None = None
    max_backoff_s: float = 60.0

    def __post_init__(self) -> None:
        self.state_dir = Path(self.state_dir)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.heartbeat = self.state_dir / "heartbeat.json"
        self.status = self.state_dir / "supervisor.json"
        self.restarts = 0
        self.child: subprocess.Popen | None = None
        self._stopping = False

    def start_child(self) -> subprocess.Popen:
        self.heartbeat.unlink(missing_ok=True)
        command = [*self.command, "--heartbeat", str(self.heartbeat)]
        log.info("starting the kiosk: %s", subprocess.list2cmdline(command))
        self.child = subprocess.Popen(command)
        self._write_status("running")
        return self.child

    def _write_status(self, state: str) -> None:
        write_json(self.status, {"state": state, "pid": self.child.pid if self.child else None,
                                 "restarts": self.restarts, "time": time.time(),
                                 "supervisor_pid": os.getpid()})

    def stop_child(self, grace_s: float = 5.0) -> None:
        child = self.child
        if child is None or child.poll() is not None:
            return
        child.terminate()
        try:
            child.wait(grace_s)
        except subprocess.TimeoutExpired:
            log.warning("the kiosk did not stop within %.0f s: killing it", grace_s)
            child.kill()
            child.wait(grace_s)

    def problem(self, started: float) -> str | None:
        """Why the running child must be restarted, or None while it is fine."""
        assert self.child is not None
        code = self.child.poll()
        if code is not None:
            return f"the kiosk exited with code {code}"
        beat = read_heartbeat(self.heartbeat)
        now = time.time()
        if beat is None:
            if now - started > self.startup_s:
                return f"no heartbeat within {self.startup_s:.0f} s of the start"
        elif now - beat > self.stall_s:
            return f"no frame drawn for {now - beat:.0f} s (heartbeat stopped)"
        return None

    def run(self) -> int:
        backoff = 1.0
        try:
            while True:
                started = time.time()
                self.start_child()
                reason = None
                while reason is None and not self._stopping:
                    time.sleep(POLL_S)
                    reason = self.problem(started)
                if self._stopping:
                    break
                if self.child is not None and self.child.poll() == 0:
                    log.info("the kiosk was closed by the operator: supervision ends")
                    self._write_status("stopped")
                    return 0
                log.error("%s: restarting it", reason)
                self.stop_child()
                if self.max_restarts is not None and self.restarts >= self.max_restarts:
                    log.error("gave up after %d restarts", self.restarts)
                    self._write_status("failed")
                    return 1
                backoff = 1.0 if time.time() - started > self.stable_s else backoff
                time.sleep(backoff)
                backoff = min(backoff * 2, self.max_backoff_s)
                self.restarts += 1
        except KeyboardInterrupt:
            pass
        finally:
            self.stop_child()
        self._write_status("stopped")
        return 0

    def request_stop(self, *_args: object) -> None:
        self._stopping = True


def kiosk_command(kiosk_args: list[str]) -> list[str]:
    """This Python running ``cimviewer kiosk`` with ``kiosk_args``.

    In the frozen app (PyInstaller) ``sys.executable`` is the ``cimviewer`` command itself.
    """
    if getattr(sys, "frozen", False):
        return [sys.executable, "kiosk", *kiosk_args]
    return [sys.executable, "-m", "cimviewer", "kiosk", *kiosk_args]
