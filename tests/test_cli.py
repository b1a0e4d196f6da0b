"""The `cimviewer` command as scripts use it: real processes, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from cimviewer import __version__


def cli(*args, env=None, timeout=120):
    return subprocess.run([sys.executable, "-m", "cimviewer", *args], capture_output=True,
                          text=True, timeout=timeout, env=env)


def test_version():
    out = cli("--version")
    assert out.returncode == 0 and out.stdout.strip() == f"cimviewer {__version__}"


def test_info_on_the_demo_city():
    out = cli("info", "--json")
    assert out.returncode == 0, out.stderr
    info = json.loads(out.stdout)
    for key in ("format", "crs", "objects", "types", "lods", "bbox", "vertices", "triangles"):
        assert key in info
    assert info["format"] == "CityJSON" and info["crs"] == "EPSG:4547"
    assert info["types"]["Building"] >= 3000
    assert {"1", "2.2"} <= set(info["lods"])
    minx, miny, _, maxx, maxy, _ = info["bbox"]
    assert 1500 < maxx - minx < 3000 and 1500 < maxy - miny < 3000
    assert minx > 100000 and miny > 1000000  # realistic projected coordinates
    assert info["triangles"] > 10 * info["objects"]


def test_info_on_a_dem(shared_data):
    out = cli("info", str(shared_data / "dem" / "dem.tif"), "--json")
    info = json.loads(out.stdout)
    assert info["crs"] == "EPSG:4326" and info["size"] == [367, 359]


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00garbage", b'{"type": "CityJSON", "vers',
                                     b"<CityModel><oops"])
def test_bad_input_gives_one_line_error_and_no_traceback(tmp_path, content):
    path = tmp_path / "bad.city.json"
    path.write_bytes(content)
    out = cli("info", str(path), "--json")
    assert out.returncode != 0
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad.city.json" in lines[0]
    assert "Traceback" not in out.stderr and out.stdout == ""


def test_missing_file_and_unknown_format(tmp_path):
    out = cli("info", str(tmp_path / "nope.json"))
    assert out.returncode == 1 and "does not exist" in out.stderr
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    out = cli("info", str(other))
    assert out.returncode == 1 and "unsupported" in out.stderr


def test_screenshot_renders_offscreen_without_x(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    out_png = tmp_path / "city.png"
    out = cli("screenshot", "--out", str(out_png), "--size", "320x200", env=env)
    assert out.returncode == 0, out.stderr
    from PIL import Image

    img = np.asarray(Image.open(out_png).convert("RGB"))
    assert img.shape == (200, 320, 3)
    assert len(np.unique(img.reshape(-1, 3), axis=0)) > 100  # a real picture, not a fill


def test_screenshot_bad_size():
    out = cli("screenshot", "--out", "x.png", "--size", "huge")
    assert out.returncode == 2 and "size" in out.stderr


def test_gui_command_without_display_renders_png(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = subprocess.run([sys.executable, "-m", "cimviewer"], capture_output=True, text=True,
                         cwd=tmp_path, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    first = out.stdout.splitlines()[0]
    assert first.startswith("No display found")
    assert (tmp_path / "cimviewer-demo.png").stat().st_size > 10000
