"""Streamed tiles are parsed in a worker process (the frame drawn meanwhile keeps the
interpreter lock and its core), with the same triangles as a read in this process, and
the view survives a worker that dies."""

from __future__ import annotations

import os
import pickle
import signal
import sys
from pathlib import Path

import numpy as np
import pytest

from cimviewer.io import worker_process
from cimviewer.io.cityjson import streamed
from cimviewer.io.errors import ReadError
from tests.render.seqcity import write_city_seq


@pytest.fixture
def city(tmp_path, monkeypatch):
    monkeypatch.setattr(streamed, "FEATURES_PER_TILE", 100)
    path = write_city_seq(tmp_path / "city.city.jsonl", 400)
    return streamed.open_streamed(path, cache=False)


def same_mesh(a, b) -> None:
    np.testing.assert_array_equal(a.vertices, b.vertices)
    np.testing.assert_array_equal(a.triangles, b.triangles)
    np.testing.assert_array_equal(a.tri_object, b.tri_object)
    np.testing.assert_array_equal(a.tri_semantic, b.tri_semantic)


def test_tiles_are_parsed_in_another_process_with_the_same_triangles(city, monkeypatch):
    pid = worker_process.worker_pid()
    assert pid is not None and pid != os.getpid()
    seen: list[int] = []
    parse = streamed._parse_lines

    def parse_and_note(*args):
        seen.append(os.getpid())
        return parse(*args)

    source = city.tile_source
    there = [source.load(i) for i in range(len(source.tiles))]
    assert sum(m.n_triangles for m in there) > 0
    # the same job run here (no worker) gives the same triangles and object ids
    monkeypatch.setattr(streamed, "_parse_lines", parse_and_note)
    monkeypatch.setattr(worker_process, "_broken", worker_process.MAX_BROKEN)
    monkeypatch.setattr(worker_process, "_pool", None)
    here = [source.load(i) for i in range(len(source.tiles))]
    assert seen == [os.getpid()] * len(source.tiles)
    for a, b in zip(there, here, strict=True):
        same_mesh(a, b)
    # every object of the file is in some tile, numbered as in the object table
    objects = np.unique(np.concatenate([m.tri_object for m in there]))
    np.testing.assert_array_equal(objects, np.arange(len(city.objects)))


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX niceness and signals")
def test_the_worker_yields_to_the_view_and_a_dead_one_is_replaced(city):
    pid = worker_process.worker_pid()
    assert pid is not None
    # lower priority than this process: the frame gets the processor first
    assert os.getpriority(os.PRIO_PROCESS, pid) > os.getpriority(os.PRIO_PROCESS, 0)
    source = city.tile_source
    before = source.load(1)
    os.kill(pid, signal.SIGKILL)
    after = source.load(1)  # the job goes to a new worker
    same_mesh(before, after)
    new = worker_process.worker_pid()
    assert new is not None and new != pid


def test_a_job_that_does_not_end_is_stopped_with_its_worker():
    import time

    pid = worker_process.worker_pid()
    started = time.perf_counter()
    with pytest.raises(TimeoutError, match="stopped after"):
        worker_process.run_in_worker(time.sleep, 60, timeout=1.0)
    assert time.perf_counter() - started < 30
    new = worker_process.worker_pid()  # a fresh worker takes the next job
    assert new is not None and new != pid
    if sys.platform != "win32":  # the old one is gone, not left sleeping
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.05)
        assert not _alive(pid)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie until its parent reaps it: gone as far as work goes
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except OSError:
        return True


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_the_worker_leaves_when_the_app_is_killed():
    import subprocess
    import time

    code = ("import sys, time; from cimviewer.io import worker_process as w; "
            "print(w.worker_pid(), flush=True); time.sleep(600)")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    app = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                           env=env)
    try:
        pid = int(app.stdout.readline())
        assert _alive(pid)
    finally:
        app.kill()  # no exit handlers: as a supervisor or the task manager ends it
        app.wait(timeout=30)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.05)
    assert not _alive(pid)


def test_a_tile_of_a_file_changed_since_indexed_raises_the_readers_error(city):
    source = city.tile_source
    path = Path(source.path)
    data = path.read_bytes()
    first = int(source.tiles[0].features[0])
    start, start_line = int(source.offsets[first]), first + 2
    path.write_bytes(data[:start] + b"{broken" + data[start + 7:])
    with pytest.raises(ReadError) as caught:  # raised in the worker, whole here
        source.load(0)
    assert caught.value.path == path and caught.value.where == f"line {start_line}"


def test_read_errors_cross_processes_whole():
    error = ReadError("bad vertex", "/data/city.json", "CityObjects/b1")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.message, copy.path, copy.where) == (error.message, error.path, error.where)
    assert str(copy) == str(error)
