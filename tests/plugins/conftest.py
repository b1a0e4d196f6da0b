"""Fixtures for plugin tests: the sample plugins, one dask cluster per session."""

from __future__ import annotations

from pathlib import Path

import pytest

# the fixtures plugin authors get through the pytest11 entry point
from cimviewer.testing import (  # noqa: F401
    cim_isolated,
    cim_main_window,
    cim_plugins,
    cim_project,
    cim_run,
)
from tests.plugins.samples import SAMPLES


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest.fixture
def user_plugins() -> Path:
    """The user plugin folder (inside the temporary XDG_DATA_HOME of tests/conftest.py)."""
    from cimviewer.plugins.discovery import user_folder

    folder = user_folder()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(autouse=True)
def _forget_sample_modules():
    """Each test imports the sample plugins afresh."""
    yield
    from cimviewer.io.registry import READERS
    from cimviewer.plugins.loader import forget_package

    for key in [k for k, r in READERS.items() if r.owner.startswith("cimtest_")]:
        del READERS[key]

    for folder in SAMPLES.iterdir():
        if folder.name != "cimtest_hanging":  # its abandoned thread still runs
            forget_package(folder.name)
    forget_package("cimtest_ep")


@pytest.fixture(scope="session")
def dask_threads():
    """A LocalCluster with threads: started once per session."""
    pytest.importorskip("distributed")
    from cimviewer.algorithms.backends import DaskBackend

    backend = DaskBackend(processes=False, n_workers=2)
    backend.client()
    return backend
