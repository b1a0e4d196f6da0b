"""File-system faults on save and on writing results, and opening a project that fails
half-way. Promise: nothing written over the user's file, errors name the project (not
a temporary file), no success reported without a result."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from cimviewer.core.bookmarks import Bookmark
from cimviewer.core.camera import CameraState
from cimviewer.core.project import Project
from cimviewer.io import atomic
from cimviewer.io.project.file import (
    ProjectError,
    apply_document,
    load_layers,
    open_project,
    read_document,
    save_project,
)
from tests.faults import hostile
from tests.faults.hostile import one_line_error, run_cli

CAMERA = CameraState((500100.0, 2499800.0, 300.0), (500100.0, 2500020.0, 0.0))


def saved_project(tmp_path: Path) -> tuple[Project, Path]:
    hostile.cityjson(tmp_path / "city.city.json", n=4)
    project = Project()
    from cimviewer.io.layers import open_layer

    project.add_layer(open_layer(tmp_path / "city.city.json", name="City"))
    project.bookmarks.append(Bookmark("north", CAMERA))
    path = save_project(project, tmp_path / "p.cimproj")
    return project, path


def no_temporaries(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_failed_write_keeps_the_file_and_names_the_project(tmp_path, monkeypatch, code):
    project, path = saved_project(tmp_path)
    before = path.read_bytes()
    project.bookmarks.append(Bookmark("second", CAMERA))

    def fail(_fd):
        raise OSError(code, os.strerror(code))
    monkeypatch.setattr(atomic.os, "fsync", fail)
    with pytest.raises(OSError) as info:
        save_project(project, path)
    assert str(path) in str(info.value) and ".tmp" not in str(info.value)
    assert info.value.errno == code
    assert path.read_bytes() == before
    assert no_temporaries(tmp_path)
    assert project.modified


def test_tiny_tmpfs_full_if_available(tmp_path):
    """A real full disk when a 64 KB tmpfs can be mounted (root on Linux); else skipped."""
    import shutil
    import subprocess

    mount = tmp_path / "tiny"
    mount.mkdir()
    if os.name == "nt" or not shutil.which("mount") or os.geteuid() != 0:
        pytest.skip("needs root to mount a tmpfs")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
                          capture_output=True, timeout=10)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        target = mount / "p.cimproj"
        target.write_text("{}")
        (mount / "filler").write_bytes(b"x" * 40_000)
        with pytest.raises(OSError) as info:
            atomic.atomic_write_text(target, "y" * 60_000)
        assert str(target) in str(info.value)
        assert target.read_text() == "{}"
        assert no_temporaries(mount)
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True, timeout=10)


def test_read_only_folder(tmp_path, monkeypatch):
    project, path = saved_project(tmp_path)
    before = path.read_bytes()

    def read_only(*_args, **_kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(tmp_path / ".p.xyz.tmp"))
    monkeypatch.setattr(atomic.tempfile, "mkstemp", read_only)
    with pytest.raises(OSError) as info:
        save_project(project, path)
    assert str(path) in str(info.value) and ".tmp" not in str(info.value)
    assert path.read_bytes() == before


def test_missing_parent_names_the_project(tmp_path):
    project, _ = saved_project(tmp_path)
    target = tmp_path / "gone" / "p.cimproj"
    with pytest.raises(OSError) as info:
        save_project(project, target)
    assert str(target) in str(info.value)


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_save_through_a_symlink_updates_the_target(tmp_path):
    project, path = saved_project(tmp_path)
    link_dir = tmp_path / "links"
    link_dir.mkdir()
    link = link_dir / "p.cimproj"
    link.symlink_to(path)
    project.bookmarks.append(Bookmark("second", CAMERA))
    save_project(project, link)
    assert link.is_symlink()
    assert "second" in path.read_text()
    assert Path(str(path) + ".bak").is_file()


def test_screenshot_onto_a_folder_fails(tmp_path):
    city = hostile.cityjson(tmp_path / "city.city.json", n=2)
    folder = tmp_path / "out.png"
    folder.mkdir()
    proc = run_cli("screenshot", str(city), "--out", str(folder), timeout=60)
    one_line_error(proc, str(folder))
    assert proc.stdout == ""


def test_screenshot_onto_a_read_only_file_system_fails(tmp_path, monkeypatch, capsys):
    from cimviewer import cli

    city = hostile.cityjson(tmp_path / "city.city.json", n=2)
    out = tmp_path / "o.png"

    def read_only(*_args, **_kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))
    monkeypatch.setattr(atomic.tempfile, "mkstemp", read_only)
    code = cli.main(["screenshot", str(city), "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert str(out) in captured.err and "Read-only" in captured.err
    assert not out.exists()


class Exploding:
    """A view that fails on the n-th layer added (as the tile builder once did)."""

    def __init__(self, project: Project, fail_on: str):
        self.fail_on = fail_on
        project.layers.events.inserted.connect(self.on_insert)

    def on_insert(self, _index, layer):
        if layer.name == self.fail_on:
            raise ValueError("zero-size array to reduction operation minimum")


def test_failed_open_restores_the_previous_project(tmp_path):
    project, path = saved_project(tmp_path)
    sub = tmp_path / "other"
    sub.mkdir()
    hostile.cityjson(sub / "a.city.json", n=2)
    hostile.cityjson(sub / "b.city.json", n=2)
    other = hostile.project(sub / "o.cimproj", [
        {"type": "citymodel", "name": "A", "source": "a.city.json"},
        {"type": "citymodel", "name": "B", "source": "b.city.json"}])
    view = Exploding(project, "B")  # kept alive: psygnal holds methods weakly
    doc = read_document(other)
    layers, _ = load_layers(doc)
    with pytest.raises(ProjectError) as info:
        apply_document(project, doc, layers)
    assert str(other) in str(info.value) and "zero-size" in str(info.value)
    assert [layer.name for layer in project.layers] == ["City"]
    assert [mark.name for mark in project.bookmarks] == ["north"]
    assert project.path == path
    assert not project.modified
    # saving now writes the previous project, never a cut-down "other"
    save_project(project, project.path)
    assert [layer.name for layer in open_project(path).project.layers] == ["City"]
    assert "B" in other.read_text()
    del view
