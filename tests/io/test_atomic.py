"""Atomic saves: a process killed at any moment leaves the old or the new file intact."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cimviewer.io.atomic import atomic_write_text, backup_path
from cimviewer.io.project.file import read_document

ROOT = Path(__file__).resolve().parents[2]


def test_backup_keeps_the_previous_version(tmp_path):
    path = tmp_path / "a.cimproj"
    atomic_write_text(path, "one")
    assert not backup_path(path).exists()
    atomic_write_text(path, "two")
    atomic_write_text(path, "three")
    assert path.read_text() == "three" and backup_path(path).read_text() == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.cimproj", "a.cimproj.bak"]


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
@pytest.mark.slow
def test_killing_the_saver_never_breaks_the_file(tmp_path):
    path = tmp_path / "p.cimproj"
    rng = random.Random(1234)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    seen = set()
    t0 = time.monotonic()
    for _kill in range(40):
        proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("saver.py")),
                                 str(path)], stdout=subprocess.PIPE, env=env, cwd=ROOT)
        assert proc.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.08))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        if not path.exists():  # killed before the very first save finished
            continue
        doc = read_document(path)  # parses and validates
        version = doc.plugin_state["test"]["version"]
        assert version in (1, 2)
        assert all(f"of version {version}" in b.name for b in doc.bookmarks)
        assert len(doc.bookmarks) == 400
        seen.add(version)
        bak = backup_path(path)
        if bak.exists():
            json.loads(bak.read_text(encoding="utf-8"))
    assert seen == {1, 2}
    assert time.monotonic() - t0 < 30
