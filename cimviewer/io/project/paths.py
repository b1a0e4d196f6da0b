"""Paths in a project: sources stored relative to the project file, and the data folder.

Reading follows any path the user chose. Writing is confined: plugin results only go
to ``<project stem>_data/`` next to the project file, and ``result_path`` rejects
anything that would leave it (``..``, absolute paths, drive letters, symlinks that
point elsewhere, device names).
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
import weakref
from pathlib import Path, PurePosixPath, PureWindowsPath

from cimviewer.core.project import Project
from cimviewer.io.project.schema import ProjectError

DATA_SUFFIX = "_data"
RESULT_SUFFIXES = (".gpkg", ".tif", ".tiff", ".csv", ".json", ".geojson", ".parquet", ".pdf")
_WINDOWS_DEVICES = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.I)
_BAD_CHARS = re.compile(r'[<>:"|?*\\\x00-\x1f]')
#: results of projects that were never saved: {project: scratch data folder}
_scratch: weakref.WeakKeyDictionary[Project, Path] = weakref.WeakKeyDictionary()


def _absolute(path: str | Path) -> Path:
    """Absolute and normalised, without resolving symlinks (the user's view of paths)."""
    return Path(os.path.normpath(Path(path).absolute()))


# --- layer sources ----------------------------------------------------------------------
def store_path(source: str | Path, project_dir: Path | None) -> str:
    """How a source path is written: relative to the project folder, posix separators.

    Absolute only when no relative path exists (another drive) or the project has no
    folder yet.
    """
    source = _absolute(source)
    if project_dir is None:
        return source.as_posix()
    try:
        rel = os.path.relpath(source, _absolute(project_dir))
    except ValueError:  # another drive on Windows
        return source.as_posix()
    return PurePosixPath(*Path(rel).parts).as_posix()


def resolve_stored(stored: str, project_dir: Path | None) -> Path:
    """The file a stored source path names (absolute stays absolute)."""
    if PureWindowsPath(stored).drive or stored.startswith(("/", "\\")):
        return Path(stored)
    path = Path(*PurePosixPath(stored.replace("\\", "/")).parts)
    base = project_dir if project_dir is not None else Path.cwd()
    return Path(os.path.normpath(base / path))


# --- the data folder --------------------------------------------------------------------
def data_folder(project_file: str | Path) -> Path:
    """``<stem>_data`` next to the project file."""
    project_file = Path(project_file)
    return project_file.with_name(project_file.stem + DATA_SUFFIX)


def check_result_name(name: str) -> PurePosixPath:
    """A safe relative name inside the data folder ("poles/candidates.gpkg")."""
    if not isinstance(name, str) or not name or len(name) > 255:
        raise ProjectError(f"result name {name!r} must be a non-empty string")
    pure = PurePosixPath(name)
    if PureWindowsPath(name).drive or pure.is_absolute() or name.startswith("\\"):
        raise ProjectError(f"result name {name!r} must be relative to the data folder")
    for part in name.split("/"):
        if (part in ("..", ".", "") or part.startswith(".") or _BAD_CHARS.search(part)
                or _WINDOWS_DEVICES.match(part) or part != part.rstrip(". ")):
            raise ProjectError(f"result name {name!r}: {part!r} is not allowed in a result path")
    if pure.suffix.lower() not in RESULT_SUFFIXES:
        raise ProjectError(f"result name {name!r} must end with one of "
                           f"{', '.join(RESULT_SUFFIXES)}")
    return pure


def project_data_folder(project: Project) -> Path:
    """The folder results of ``project`` go to (a scratch folder until it is saved)."""
    if project.path is not None:
        return data_folder(project.path)
    if project not in _scratch:
        from platformdirs import user_cache_dir

        _scratch[project] = Path(user_cache_dir("cimviewer")) / "unsaved" / uuid.uuid4().hex
    return _scratch[project]


def result_path(project: Project, name: str) -> Path:
    """Where a plugin writes its result ``name``; always inside the project's data folder.

    The folder is created. Raises ProjectError for names that would escape it.
    """
    rel = check_result_name(name)
    folder = project_data_folder(project)
    root = folder.parent.resolve()
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise ProjectError("the data folder is a link or a file, not a folder", folder)
    target = folder.joinpath(*rel.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    resolved_folder = folder.resolve()
    resolved = target.resolve()
    if resolved_folder.parent != root or not resolved.is_relative_to(resolved_folder):
        raise ProjectError(f"result name {name!r} leads outside the data folder", folder)
    return target


def carry_data_folder(project: Project, old_file: Path | None, new_file: Path) -> None:
    """Before saving to ``new_file``: bring the results from the old or scratch folder."""
    source = data_folder(old_file) if old_file is not None else _scratch.pop(project, None)
    target = data_folder(new_file)
    if source is None or not source.is_dir() or source.is_symlink():
        return
    if source.resolve() == target.resolve():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    if old_file is None and not target.exists():
        shutil.move(str(source), str(target))
    else:
        shutil.copytree(source, target, dirs_exist_ok=True, symlinks=True)
