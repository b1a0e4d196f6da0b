"""Finding plugins: installed entry points, the built-in ``plugins/`` folder, the user folder.

Nothing here imports plugin code. An entry point in group ``cimviewer.plugins`` names
the package whose folder holds ``plugin.toml``; the folder is found with
``importlib.util.find_spec``, which does not run the package.
"""

from __future__ import annotations

import importlib.util
import logging
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from cimviewer.io.files import special_kind
from cimviewer.plugins.manifest import MANIFEST_NAME, ManifestError, PluginManifest, read_manifest

ENTRY_POINT_GROUP = "cimviewer.plugins"
log = logging.getLogger("cimviewer.plugins")


@dataclass
class Found:
    """A plugin found somewhere, or the reason it could not be read."""

    origin: str  # "entry point" | "built-in" | "user" | "folder"
    location: Path
    manifest: PluginManifest | None = None
    error: str | None = None
    installed: bool = False  # importable by its package name (entry points)


def builtin_folder() -> Path:
    """``plugins/`` next to the ``cimviewer`` package (a source checkout or a bundle)."""
    return Path(__file__).resolve().parents[2] / "plugins"


def user_folder() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("cimviewer")) / "plugins"


def scan_folder(folder: Path, origin: str) -> list[Found]:
    """Each subfolder with a plugin.toml; sorted by name so the order is stable."""
    if not folder.is_dir():
        return []
    found = []
    try:
        subs = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        log.warning("plugin folder %s cannot be read: %s", folder, exc)
        return []
    for sub in subs:
        manifest = sub / MANIFEST_NAME
        try:
            if not sub.is_dir() or sub.name.startswith((".", "_")) or not (
                    manifest.is_file() or special_kind(manifest)):
                continue
        except OSError:
            continue
        try:
            found.append(Found(origin, sub, read_manifest(manifest, sub.name)))
        except ManifestError as exc:
            found.append(Found(origin, sub, error=str(exc)))
        except Exception as exc:  # one plugin's manifest never stops the others
            found.append(Found(origin, sub, error=f"{manifest}: {type(exc).__name__}: {exc}"))
    return found


def scan_entry_points() -> list[Found]:
    found = []
    for ep in sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        package = ep.value.partition(":")[0].strip()
        where = Path(f"<entry point {ep.name} = {ep.value}>")
        try:
            if "." in package:
                raise ValueError(f"entry point {ep.name!r} must name a top-level package, "
                                 f"not {package!r}")
            spec = importlib.util.find_spec(package)
            if spec is None or not spec.submodule_search_locations:
                raise ValueError(f"entry point {ep.name!r}: package {package!r} is not installed")
            folder = Path(next(iter(spec.submodule_search_locations)))
            manifest = read_manifest(folder / MANIFEST_NAME, package)
        except (ValueError, ImportError, ManifestError) as exc:
            found.append(Found("entry point", where, error=str(exc)))
            continue
        except Exception as exc:  # one plugin's problem, never discovery's
            found.append(Found("entry point", where, error=f"{type(exc).__name__}: {exc}"))
            continue
        found.append(Found("entry point", folder, manifest, installed=True))
    return found


def discover_all(*, entry_points: bool = True, builtin: Path | None = None,
                 user: Path | None = None) -> list[Found]:
    """Everything found, in priority order: entry points, built-ins, the user folder."""
    found = scan_entry_points() if entry_points else []
    found += scan_folder(builtin or builtin_folder(), "built-in")
    found += scan_folder(user or user_folder(), "user")
    return found
