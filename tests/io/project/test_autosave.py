"""Autosave and recovery without a GUI."""

from __future__ import annotations

from cimviewer.io.project.autosave import (
    AutosaveSession,
    autosave_dir,
    find_recoverable,
    resolve_interval,
)
from cimviewer.io.project.file import open_project, save_project


def test_interval_from_env_setting_or_default(monkeypatch):
    monkeypatch.delenv("CIMVIEWER_AUTOSAVE_SECONDS", raising=False)
    assert resolve_interval(None) == 60
    assert resolve_interval("15") == 15 and resolve_interval(0) == 0
    assert resolve_interval("soon") == 60 and resolve_interval(-5) == 60
    monkeypatch.setenv("CIMVIEWER_AUTOSAVE_SECONDS", "2")
    assert resolve_interval("15") == 2


def test_autosave_lives_in_the_isolated_state_dir(tmp_path):
    assert "state" in str(autosave_dir())  # tests/conftest.py points XDG_STATE_HOME away


def test_crashed_session_is_recoverable_with_paths_of_the_real_file(sample_project, tmp_path):
    (tmp_path / "work").mkdir()
    real = save_project(sample_project, tmp_path / "work" / "p.cimproj")
    sample_project.layers[0].opacity = 0.25  # unsaved change
    session = AutosaveSession(tmp_path / "auto")
    assert session.save(sample_project) is True
    assert session.save(sample_project) is False  # unchanged: not written again
    assert find_recoverable(session.folder) == []  # still running
    session.abandon()  # the process "crashed"
    (found,) = find_recoverable(session.folder)
    assert found.original == real
    opened = open_project(found.path, base_dir=found.base_dir)
    assert opened.messages == []
    assert opened.project.layers[0].opacity == 0.25
    found.discard()
    assert find_recoverable(session.folder) == [] and not any(session.folder.iterdir())


def test_clean_close_deletes_the_autosave(sample_project, tmp_path):
    session = AutosaveSession(tmp_path / "auto")
    session.save(sample_project)
    session.close()
    assert find_recoverable(session.folder) == [] and not any(session.folder.iterdir())
