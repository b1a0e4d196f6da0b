"""Names used as references: a layer name that several layers share is an error that
lists them (and says how to pick one), never silently the first."""

from __future__ import annotations

import json
import shutil

import pytest

from cimviewer.io.demo import demo_building_path
from tests.faults import hostile
from tests.faults.hostile import one_line_error, run_cli


@pytest.fixture
def twin_project(tmp_path):
    """A project whose layers 1 and 3 are both called "Town" (different files)."""
    suffix = "".join(demo_building_path().suffixes)
    for name in ("north", "south"):
        shutil.copy(demo_building_path(), tmp_path / f"{name}{suffix}")
    hostile.cityjson(tmp_path / "other.city.json", n=3)
    return hostile.project(tmp_path / "twins.cimproj", [
        {"type": "citymodel", "name": "Town", "source": f"north{suffix}"},
        {"type": "citymodel", "name": "Other", "source": "other.city.json"},
        {"type": "citymodel", "name": "Town", "source": f"south{suffix}"}])


def test_ambiguous_layer_name_is_one_line_listing_the_matches(twin_project):
    proc = run_cli("run", "building_stats.summary", "-p", "layer=Town",
                   "--project", str(twin_project), "--out", str(twin_project.parent / "o"),
                   timeout=120)
    line = one_line_error(proc, "'Town'", "2 layers", "#1", "#3", "north", "south")
    assert "#2" not in line


def test_layer_by_position_picks_that_layer(twin_project):
    from cimviewer.cli_plugins import layer_resolver
    from cimviewer.io.project.file import open_project

    project = open_project(twin_project).project
    resolve = layer_resolver(project)
    assert resolve("#3") is project.layers[2]
    assert "south" in str(resolve("#3").source)
    assert resolve("Other") is project.layers[1]  # a unique name still works
    with pytest.raises(ValueError, match="names 2 layers"):
        resolve("Town")
    with pytest.raises(ValueError, match="has 3 layers"):
        resolve("#4")


def test_run_by_position_from_the_cli(twin_project):
    proc = run_cli("run", "building_stats.summary", "-p", "layer=#3", "--project",
                   str(twin_project), "--out", str(twin_project.parent / "o"), "--json",
                   timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "south" in json.loads(proc.stdout)["parameters"]["layer"]["source"]
