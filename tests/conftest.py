"""The suite's own settings: where the shared test data is, Qt settings isolation.

Every other fixture comes from ``cimviewer.testing`` (the pytest plugin that plugin
authors get too).
"""

from __future__ import annotations

from pathlib import Path

import pytest

# a real PostgreSQL and an in-memory keyring for the join tests
from tests.postgres_server import memory_keyring, pg_server  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


@pytest.fixture(autouse=True)
def _isolated_qt_settings(tmp_path_factory, monkeypatch):
    """QSettings and platformdirs go to a temporary folder, never the user's own."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
