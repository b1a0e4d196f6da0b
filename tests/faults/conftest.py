"""Fixtures of the fault-injection suite: a CLI runner with a time bound, a broker.

Local to this folder on purpose (no other test folder's conftest is imported).
"""

from __future__ import annotations

import pytest


@pytest.fixture
def broker(cim_own_mqtt_broker):
    """A real mosquitto of the test's own (cimviewer.testing), to stop and restart."""
    return cim_own_mqtt_broker


@pytest.fixture
def user_plugins(tmp_path, monkeypatch):
    """The user plugin folder of a temporary home (also for CLI subprocesses)."""
    home = tmp_path / "home"
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    from cimviewer.plugins.discovery import user_folder

    folder = user_folder()
    folder.mkdir(parents=True)
    return folder
