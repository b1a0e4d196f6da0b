"""`cimviewer screenshot/info` on a saved project, as scripts run them."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from cimviewer.io.project.file import save_project


def cli(*args, timeout=120):
    return subprocess.run([sys.executable, "-m", "cimviewer", *args], capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture
def saved(sample_project, tmp_path):
    return save_project(sample_project, tmp_path / "city.cimproj")


def _pixels(path):
    from PIL import Image

    return np.asarray(Image.open(path).convert("RGB"), dtype=np.int16)


@pytest.mark.render
def test_screenshot_by_bookmark_shows_different_places(saved, tmp_path):
    out = {}
    for name in ("east", "west 西", None):
        png = tmp_path / f"{name or 'saved'}.png"
        args = ["screenshot", str(saved), "--out", str(png), "--size", "320x200"]
        if name:
            args += ["--bookmark", name]
        result = cli(*args)
        assert result.returncode == 0, result.stderr
        out[name] = _pixels(png)
    assert out["east"].shape == (200, 320, 3)
    for a, b in (("east", "west 西"), ("east", None), ("west 西", None)):
        changed = np.abs(out[a] - out[b]).sum(axis=2) > 30
        assert changed.mean() > 0.05, (a, b)


def test_unknown_bookmark_lists_the_names(saved, tmp_path):
    result = cli("screenshot", str(saved), "--bookmark", "north", "--out",
                 str(tmp_path / "x.png"))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "'north'" in lines[0] and "available: east, west 西" in lines[0]
    assert not (tmp_path / "x.png").exists()


def test_info_summarizes_the_project(saved):
    result = cli("info", str(saved), "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["format"] == "cimviewer project" and info["schema_version"] == 2
    assert [layer["name"] for layer in info["layers"]] == ["Terrain", "Buildings", "Roads",
                                                          "Poles 杆"]
    assert all(layer["found"] for layer in info["layers"])
    assert info["bookmarks"] == ["east", "west 西"]
    assert info["plugins"] == {"pole_siting": 3}


def test_broken_project_is_one_line_error(tmp_path):
    path = tmp_path / "bad.cimproj"
    path.write_text('{"schema_version": 2, "layers": [{"type": "vector", "opacity": 3}]}',
                    encoding="utf-8")
    result = cli("info", str(path), "--json")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "layers[0].name" in result.stderr
