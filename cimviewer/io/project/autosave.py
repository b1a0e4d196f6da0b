"""Autosave and crash recovery, without Qt: the UI owns the timer and the dialogs.

Each running window has an :class:`AutosaveSession` that writes the modified project
to ``<user state dir>/autosave/<session>.cimproj`` plus a small ``<session>.json``
describing it (original project file, time, process id and, where the system tells,
the process's start time). A clean exit deletes both. Files left behind by a session
that is no longer running are offered for recovery: a live process with the recorded
id but another start time is a later process that reused the id, so the session is
over. Autosaves written without a start time keep trusting the id alone.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from cimviewer.core.project import Project
from cimviewer.io.atomic import atomic_write_text
from cimviewer.io.project.file import dumps, project_to_dict

DEFAULT_INTERVAL_SECONDS = 60
ENV_INTERVAL = "CIMVIEWER_AUTOSAVE_SECONDS"
_live_sessions: set[str] = set()


def autosave_dir() -> Path:
    from platformdirs import user_state_dir

    return Path(user_state_dir("cimviewer")) / "autosave"


def resolve_interval(setting: object = None) -> int:
    """Seconds between autosaves: $CIMVIEWER_AUTOSAVE_SECONDS, the setting, or 60.

    0 turns autosave off. Nonsense values fall back to the default.
    """
    for value in (os.environ.get(ENV_INTERVAL), setting):
        if value is None or value == "":
            continue
        try:
            seconds = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if seconds == seconds and 0 <= seconds <= 86400:
            return round(seconds) if seconds >= 1 or seconds == 0 else 1
    return DEFAULT_INTERVAL_SECONDS


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return bool(ok) and code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def process_start_time(pid: int) -> int | None:
    """When process ``pid`` started, in an identity that survives PID reuse; None when
    unknown (no such process, or not Linux: then the process id alone is trusted).

    Linux: field 22 of ``/proc/<pid>/stat`` (clock ticks since boot).
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        with open(f"/proc/{int(pid)}/stat", "rb") as stat:
            text = stat.read().decode("ascii", "replace")
        # the command name (field 2) may hold spaces and parentheses: split after it
        fields = text[text.rindex(")") + 2:].split()
        return int(fields[22 - 3])
    except (OSError, ValueError, IndexError):
        return None


def _session_running(pid: int, started: object) -> bool:
    """The process that wrote an autosave is still running (not just its PID in use)."""
    if not _pid_alive(pid):
        return False
    if not isinstance(started, int) or isinstance(started, bool):
        return True  # an old autosave, or a system without start times: the PID decides
    now = process_start_time(pid)
    return now is None or now == started


class AutosaveSession:
    """The autosave slot of one window."""

    def __init__(self, folder: Path | None = None) -> None:
        self.id = uuid.uuid4().hex
        self.folder = folder or autosave_dir()
        self._last_text: str | None = None
        _live_sessions.add(self.id)

    @property
    def path(self) -> Path:
        return self.folder / f"{self.id}.cimproj"

    @property
    def meta_path(self) -> Path:
        return self.folder / f"{self.id}.json"

    def save(self, project: Project, layout: dict[str, Any] | None = None) -> bool:
        """Write the project if it changed since the last autosave; True if written.

        Paths are stored relative to the real project file, so the autosave restores
        with the same relative layout.
        """
        original = None if project.path is None else Path(project.path)
        text = dumps(project_to_dict(project, original, layout=layout))
        if text == self._last_text and self.path.exists():
            return False
        self.folder.mkdir(parents=True, exist_ok=True)
        atomic_write_text(self.path, text, backup=False)
        meta = {"original": None if original is None else str(original),
                "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "pid": os.getpid(), "pid_start": process_start_time(os.getpid()),
                "session": self.id}
        atomic_write_text(self.meta_path, json.dumps(meta, indent=2), backup=False)
        self._last_text = text
        return True

    def discard(self) -> None:
        """Forget the autosave (after a real save, or a clean exit)."""
        self._last_text = None
        for path in (self.meta_path, self.path):
            with contextlib.suppress(OSError):
                path.unlink()

    def close(self) -> None:
        """Clean exit: delete the autosave; the session is over."""
        self.discard()
        _live_sessions.discard(self.id)

    def abandon(self) -> None:
        """End the session but leave its files, as a crash would (for tests)."""
        _live_sessions.discard(self.id)


@dataclass(frozen=True)
class Recoverable:
    """An autosave left by a session that did not exit cleanly."""

    path: Path
    meta_path: Path
    original: Path | None
    saved_at: str

    @property
    def base_dir(self) -> Path | None:
        return None if self.original is None else self.original.parent

    def discard(self) -> None:
        for path in (self.meta_path, self.path):
            with contextlib.suppress(OSError):
                path.unlink()


def find_recoverable(folder: Path | None = None) -> list[Recoverable]:
    """Autosaves of sessions that are no longer running, newest first."""
    folder = folder or autosave_dir()
    found = []
    for meta_path in folder.glob("*.json") if folder.is_dir() else ():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            session, pid = str(meta["session"]), int(meta["pid"])
            started = meta.get("pid_start")
            original = meta.get("original")
            saved_at = str(meta.get("saved_at", ""))
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if session in _live_sessions or (pid != os.getpid() and _session_running(pid, started)):
            continue
        path = meta_path.with_suffix(".cimproj")
        if not path.is_file():
            with contextlib.suppress(OSError):
                meta_path.unlink()
            continue
        found.append(Recoverable(path, meta_path, None if not original else Path(original),
                                 saved_at))
    return sorted(found, key=lambda r: r.saved_at, reverse=True)
