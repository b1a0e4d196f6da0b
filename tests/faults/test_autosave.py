"""Crash recovery must not depend on luck with process ids: an autosave whose process
id was since taken by another program is still offered; a running session's is not."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from cimviewer.core.project import Project
from cimviewer.io.project import autosave
from cimviewer.io.project.autosave import AutosaveSession, find_recoverable, process_start_time

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc")


@pytest.fixture
def other_process():
    """Another live process: it stands for a program that reused a crashed session's id."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield proc
    proc.kill()
    proc.wait()


def crashed_autosave(folder, **meta):
    """An autosave left behind by a crashed session, its metadata changed by ``meta``."""
    session = AutosaveSession(folder)
    assert session.save(Project())
    session.abandon()
    data = json.loads(session.meta_path.read_text(encoding="utf-8"))
    data.update(meta)
    data = {k: v for k, v in data.items() if v is not ...}
    session.meta_path.write_text(json.dumps(data), encoding="utf-8")
    return session


@linux_only
def test_autosave_records_the_start_time_of_its_process(tmp_path):
    session = AutosaveSession(tmp_path)
    session.save(Project())
    meta = json.loads(session.meta_path.read_text(encoding="utf-8"))
    assert meta["pid"] == os.getpid()
    assert meta["pid_start"] == process_start_time(os.getpid()) is not None
    session.close()


@linux_only
def test_reused_pid_does_not_hide_the_autosave(tmp_path, other_process):
    started = process_start_time(other_process.pid)
    assert started is not None
    crashed = crashed_autosave(tmp_path, pid=other_process.pid, pid_start=started - 1)
    assert [found.path for found in find_recoverable(tmp_path)] == [crashed.path]


@linux_only
def test_running_session_of_another_process_is_not_offered(tmp_path, other_process):
    crashed_autosave(tmp_path, pid=other_process.pid,
                     pid_start=process_start_time(other_process.pid))
    assert find_recoverable(tmp_path) == []


def test_old_autosave_without_start_time_trusts_the_pid(tmp_path, other_process):
    crashed = crashed_autosave(tmp_path, pid=other_process.pid, pid_start=...)
    assert "pid_start" not in json.loads(crashed.meta_path.read_text(encoding="utf-8"))
    assert find_recoverable(tmp_path) == []  # as before: a live pid is a live session
    other_process.kill()
    other_process.wait()
    assert [found.path for found in find_recoverable(tmp_path)] == [crashed.path]


def test_start_time_unknown_falls_back_to_the_pid(tmp_path, other_process, monkeypatch):
    """Elsewhere (Windows, macOS) or when /proc is hidden: no start time, the pid decides."""
    monkeypatch.setattr(autosave.sys, "platform", "win32")
    monkeypatch.setattr(autosave, "_pid_alive", lambda pid: pid == other_process.pid)
    assert process_start_time(other_process.pid) is None
    crashed_autosave(tmp_path, pid=other_process.pid, pid_start=12345)
    assert find_recoverable(tmp_path) == []


@linux_only
def test_start_time_of_a_gone_process_is_none(other_process):
    pid = other_process.pid
    other_process.kill()
    other_process.wait()
    deadline = time.monotonic() + 5
    while process_start_time(pid) is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process_start_time(pid) is None
