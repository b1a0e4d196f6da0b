"""Shared fixtures: test data locations, the demo project, Qt settings isolation."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


@pytest.fixture(scope="session")
def demo_project_session():
    """The demo city, loaded once per test session (read-only use!)."""
    from cimviewer.io.demo import open_demo_project

    return open_demo_project()


@pytest.fixture
def demo_project():
    """A fresh demo project that a test may change."""
    from cimviewer.io.demo import open_demo_project

    return open_demo_project()


def needs_display() -> None:
    if os.name != "nt" and not os.environ.get("DISPLAY"):
        pytest.skip("needs an X display (run through scripts/dev.py test, which starts Xvfb)")


@pytest.fixture
def display() -> None:
    needs_display()


@pytest.fixture(autouse=True)
def _isolated_qt_settings(tmp_path_factory, monkeypatch):
    """QSettings and platformdirs go to a temporary folder, never the user's own."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
