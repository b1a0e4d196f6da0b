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


@pytest.mark.parametrize(("name", "crs", "types", "lods"), [
    ("cityjson/real/delft.json", "EPSG:7415",
     {"Bridge": 3, "Building": 160, "GenericCityObject": 54, "LandUse": 81, "PlantCover": 126,
      "Road": 143, "WaterBody": 3}, ["1"]),
    ("cityjson/real/multi_lod.json", None, {"Building": 10}, ["1.2", "1.3", "2.2"]),
    ("cityjson/real/DH_01_subs.city.json", None, {"Building": 4, "BuildingPart": 8}, ["2"]),
    ("cityjson/real/rotterdam_subset.json", None, {"Building": 16}, ["2"]),
    ("citygml/FZK-Haus-LoD2.v3.gml", "EPSG:25832+5783", {"Building": 1}, ["2"]),
    ("citygml/Building_and_garage_LOD2-EPSG25832.v3.gml", "EPSG:25832+5783",
     {"Building": 1, "BuildingPart": 1, "ReliefFeature": 1}, ["2"]),
])
def test_info_on_real_city_models(shared_data, name, crs, types, lods):
    out = cli("info", str(shared_data / name), "--json")
    assert out.returncode == 0, out.stderr
    info = json.loads(out.stdout)
    assert info["crs"] == crs
    assert info["types"] == types and info["objects"] == sum(types.values())
    assert info["lods"] == lods
    assert info["triangles"] > 0 and info["vertices"] > 0
    if "rotterdam" in name:  # its texture images are not shipped: a warning, not a failure
        assert any("texture" in w for w in info["warnings"])
