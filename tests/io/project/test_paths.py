"""Result paths stay inside the project's data folder; sources are stored relative."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cimviewer.core.project import Project
from cimviewer.io.project.file import save_project
from cimviewer.io.project.paths import data_folder, resolve_stored, result_path, store_path
from cimviewer.io.project.relocate import candidates
from cimviewer.io.project.schema import ProjectError


@pytest.fixture
def project(tmp_path):
    project = Project("EPSG:32650")
    save_project(project, tmp_path / "city.cimproj")
    return project


def test_result_path_is_inside_the_data_folder(project, tmp_path):
    path = result_path(project, "poles/candidates.gpkg")
    assert path == tmp_path / "city_data" / "poles" / "candidates.gpkg"
    assert path.parent.is_dir()
    assert result_path(project, "coverage 覆盖.tif").name == "coverage 覆盖.tif"


@pytest.mark.parametrize("name", [
    "../evil.gpkg", "a/../../evil.gpkg", "/etc/evil.csv", "C:/evil.csv", "C:evil.csv",
    "\\\\server\\share\\x.csv", "a\\..\\..\\x.csv", "", ".hidden.csv", "nul.csv",
    "con", "x.py", "x.csv.", "a/./b.csv", "x\x00.csv", "../../" * 5 + "x.tif",
])
def test_escaping_result_names_are_rejected(project, name):
    with pytest.raises(ProjectError):
        result_path(project, name)


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_symlinks_cannot_lead_out(project, tmp_path):
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (tmp_path / "city_data").mkdir()
    (tmp_path / "city_data" / "link").symlink_to(outside)
    with pytest.raises(ProjectError, match="outside"):
        result_path(project, "link/x.csv")
    (tmp_path / "city_data" / "link").unlink()
    (tmp_path / "city_data").rmdir()
    (tmp_path / "city_data").symlink_to(outside)
    with pytest.raises(ProjectError, match="link"):
        result_path(project, "x.csv")
    assert not any(outside.iterdir())


def test_results_of_an_unsaved_project_move_into_the_data_folder(tmp_path):
    project = Project()
    scratch = result_path(project, "r.csv")
    scratch.write_text("a,b\n")
    save_project(project, tmp_path / "p.cimproj")
    assert (tmp_path / "p_data" / "r.csv").read_text() == "a,b\n"
    (tmp_path / "copy").mkdir()
    save_project(project, tmp_path / "copy" / "q.cimproj")
    assert (tmp_path / "copy" / "q_data" / "r.csv").exists()
    assert result_path(project, "r.csv") == tmp_path / "copy" / "q_data" / "r.csv"


def test_sources_are_relative_posix(tmp_path):
    assert store_path(tmp_path / "d" / "x.tif", tmp_path / "p") == "../d/x.tif"
    assert resolve_stored("../d/x.tif", tmp_path / "p") == tmp_path / "d" / "x.tif"
    assert resolve_stored("..\\d\\x.tif", tmp_path / "p") == tmp_path / "d" / "x.tif"
    assert store_path(tmp_path / "x.tif", None) == (tmp_path / "x.tif").as_posix()
    assert data_folder(Path("a/b.cimproj")) == Path("a/b_data")


def test_relocation_candidates_try_the_longest_tail_first(tmp_path):
    got = list(candidates(["/srv/gis/data/dem.tif", "C:\\gis\\dem.tif"], tmp_path))
    assert got[:4] == [tmp_path / "srv/gis/data/dem.tif", tmp_path / "gis/data/dem.tif",
                       tmp_path / "data/dem.tif", tmp_path / "dem.tif"]
    assert tmp_path / "gis" / "dem.tif" in got
    assert all(tmp_path in p.parents for p in got)
