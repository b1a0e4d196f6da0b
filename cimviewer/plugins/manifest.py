"""``plugin.toml``: what a plugin is and contributes, read without importing its code."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

from cimviewer.plugins.apiversion import MANIFEST_VERSION

MANIFEST_NAME = "plugin.toml"
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")
TARGET = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")
KINDS = ("algorithms", "docks", "actions", "readers", "styles")
DOCK_AREAS = ("left", "right", "top", "bottom")
TOP_KEYS = {"manifest_version", "name", "display_name", "version", "author", "api",
            "dependencies", "description", "package", "state_version", "homepage", *KINDS}

Text = dict[str, str]  # {"en": ..., "zh_CN": ...}


class ManifestError(Exception):
    """A plugin.toml is missing, unreadable or invalid (one line, names the file)."""

    def __init__(self, path: Path, message: str):
        self.path = path
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class Contribution:
    """One entry of a contribution list: ``target`` is "module:attribute"."""

    kind: str
    id: str
    target: str
    title: Text
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def module(self) -> str:
        return self.target.partition(":")[0]


@dataclass(frozen=True)
class PluginManifest:
    name: str
    display_name: Text
    version: str
    author: str
    api: str
    package: str
    path: Path
    description: Text = field(default_factory=dict)
    dependencies: tuple[str, ...] = ()
    state_version: int = 1
    contributions: tuple[Contribution, ...] = ()

    def of_kind(self, kind: str) -> list[Contribution]:
        return [c for c in self.contributions if c.kind == kind]


def localized(text: Text | str, language: str = "en") -> str:
    """The ``language`` text, falling back to English, then to any."""
    if isinstance(text, str):
        return text
    return text.get(language) or text.get("en") or next(iter(text.values()), "")


def _text(value: Any, where: str, path: Path, required: bool = True) -> Text:
    if isinstance(value, str):
        return {"en": value}
    if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str)
                                       for k, v in value.items()) and value:
        return dict(value)
    if value is None and not required:
        return {}
    raise ManifestError(path, f"{where} must be a string or a table like "
                              '{ en = "...", zh_CN = "..." }')


def _string(data: dict, key: str, path: Path, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not value:
        raise ManifestError(path, f"{key!r} must be a non-empty string")
    return value


#: a manifest is a few hundred bytes; anything this large is not one
MAX_MANIFEST_BYTES = 256 * 1024


def read_manifest(path: str | Path, package: str | None = None) -> PluginManifest:
    """Parse and check a plugin.toml. ``package`` defaults to the folder name.

    Whatever goes wrong reading one manifest (special files, huge files, TOML nested
    too deeply for the parser, values of unexpected types) is a ManifestError for that
    plugin, never an exception that stops discovery.
    """
    from cimviewer.io.files import special_kind

    path = Path(path)
    try:
        kind = special_kind(path)
        if kind is not None:
            raise ManifestError(path, f"is {kind}, not a regular file")
        with open(path, "rb") as fh:
            raw = fh.read(MAX_MANIFEST_BYTES + 1)
        if len(raw) > MAX_MANIFEST_BYTES:
            raise ManifestError(path, f"is too large for a manifest (over "
                                      f"{MAX_MANIFEST_BYTES // 1024} KB)")
        data = tomllib.loads(raw.decode("utf-8"))
    except FileNotFoundError:
        raise ManifestError(path, "no plugin.toml") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(path, f"cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(path, f"not valid TOML: {exc}") from None
    except RecursionError:
        raise ManifestError(path, "not valid TOML: nested too deeply") from None
    try:
        return parse_manifest(data, path, package)
    except ManifestError:
        raise
    except (RecursionError, Exception) as exc:  # a checker gap is still this plugin's
        raise ManifestError(path, f"invalid: {type(exc).__name__}: {exc}") from None


def parse_manifest(data: dict[str, Any], path: Path, package: str | None = None) -> PluginManifest:
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise ManifestError(path, f"unknown keys: {', '.join(unknown)}")
    manifest_version = data.get("manifest_version", MANIFEST_VERSION)
    if manifest_version != MANIFEST_VERSION:
        raise ManifestError(path, f"manifest_version {manifest_version!r} is not supported "
                                  f"(this cimviewer reads {MANIFEST_VERSION})")
    name = _string(data, "name", path)
    if not NAME.match(name):
        raise ManifestError(path, f"name {name!r} must be letters, digits and '_' "
                                  "(starting with a letter)")
    package = data.get("package") or package or path.parent.name
    if not isinstance(package, str) or not re.match(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$", package):
        raise ManifestError(path, f"package {package!r} is not a Python package name")
    deps = data.get("dependencies", [])
    if not isinstance(deps, list) or not all(isinstance(d, str) for d in deps):
        raise ManifestError(path, "dependencies must be a list of requirement strings")
    state_version = data.get("state_version", 1)
    if not isinstance(state_version, int) or isinstance(state_version, bool) or state_version < 0:
        raise ManifestError(path, "state_version must be a whole number >= 0")
    contributions = []
    for kind in KINDS:
        entries = data.get(kind, [])
        if not isinstance(entries, list):
            raise ManifestError(path, f"{kind} must be an array of tables ([[{kind}]])")
        seen: set[str] = set()
        for i, entry in enumerate(entries):
            contributions.append(_contribution(kind, i, entry, path, package, seen))
    return PluginManifest(
        name=name,
        display_name=_text(data.get("display_name", name), "display_name", path),
        version=_string(data, "version", path),
        author=_string(data, "author", path, "unknown"),
        api=_string(data, "api", path),
        package=package,
        path=path,
        description=_text(data.get("description"), "description", path, required=False),
        dependencies=tuple(deps),
        state_version=state_version,
        contributions=tuple(contributions),
    )


def _contribution(kind: str, i: int, entry: Any, path: Path, package: str,
                  seen: set[str]) -> Contribution:
    where = f"{kind}[{i}]"
    if not isinstance(entry, dict):
        raise ManifestError(path, f"{where} must be a table")
    cid = entry.get("id")
    if not isinstance(cid, str) or not NAME.match(cid):
        raise ManifestError(path, f"{where}.id must be letters, digits and '_'")
    if cid in seen:
        raise ManifestError(path, f"{where}.id {cid!r} is used twice")
    seen.add(cid)
    target = entry.get("target")
    if not isinstance(target, str) or not TARGET.match(target):
        raise ManifestError(path, f"{where}.target must look like 'module:attribute'")
    module = target.partition(":")[0]
    if module != package and not module.startswith(package + "."):
        raise ManifestError(path, f"{where}.target {target!r} is outside the plugin's "
                                  f"package {package!r}")
    title = _text(entry.get("title", cid), f"{where}.title", path)
    options = {k: v for k, v in entry.items() if k not in ("id", "target", "title")}
    if kind == "readers":
        suffixes = options.get("suffixes")
        if not (isinstance(suffixes, list) and suffixes
                and all(isinstance(s, str) and s.startswith(".") for s in suffixes)):
            raise ManifestError(path, f"{where}.suffixes must be a list like ['.xyz']")
    if kind == "docks" and options.get("area", "right") not in DOCK_AREAS:
        raise ManifestError(path, f"{where}.area must be one of {', '.join(DOCK_AREAS)}")
    return Contribution(kind, cid, target, title, options)
