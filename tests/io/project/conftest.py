"""Fixtures for project-file tests: small data files and a project that uses them all."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.io.project.data import build_project, write_dataset


@pytest.fixture(scope="session")
def dataset_dir(tmp_path_factory) -> Path:
    """A read-only folder with buildings.city.json, dem.tif and things.gpkg."""
    folder = tmp_path_factory.mktemp("dataset") / "data"
    write_dataset(folder)
    return folder


@pytest.fixture
def sample_project(dataset_dir):
    return build_project(dataset_dir)
