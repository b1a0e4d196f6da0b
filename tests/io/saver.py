"""Child process for the kill test: saves two versions of a project alternately, forever."""

from __future__ import annotations

import sys
from pathlib import Path

from cimviewer.core.bookmarks import Bookmark
from cimviewer.core.camera import CameraState
from cimviewer.core.project import Project
from cimviewer.io.project.file import save_project


def make(version: int) -> Project:
    project = Project("EPSG:32650")
    for i in range(400):  # a sizeable file (~100 kB)
        cam = CameraState((float(i), float(version), 10.0), (float(i), 1.0, 0.0))
        project.bookmarks.append(Bookmark(f"view {i} of version {version}", cam))
    project.plugin_state["test"] = {"version": version, "data": {"blob": "x" * 20000}}
    return project


if __name__ == "__main__":
    path = Path(sys.argv[1])
    projects = [make(1), make(2)]
    print("ready", flush=True)
    n = 0
    while True:
        save_project(projects[n % 2], path)
        n += 1
