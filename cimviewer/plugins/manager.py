"""The plugin manager: which plugins exist, which are enabled, and what they registered.

Qt-free. It reads manifests at start, registers an enabled plugin's headless
contributions (algorithms, readers, styles) without importing its code, imports code
on first use, and undoes every registration when the plugin is disabled. The GUI host
(``cimviewer.ui.plugin_host``) listens to ``plugin_enabled`` / ``plugin_disabled`` for
menus, actions and docks. Failures are reported through ``problem`` and kept in
``problems``; they never propagate.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from psygnal import Signal

from cimviewer.algorithms.base import Algorithm
from cimviewer.plugins.apiversion import api_refusal
from cimviewer.plugins.discovery import Found, discover_all, scan_folder
from cimviewer.plugins.loader import (
    PLUGIN_FAILURES,
    PluginError,
    add_vendor_path,
    describe_exception,
    import_package,
    resolve_target,
)
from cimviewer.plugins.manifest import Contribution, PluginManifest, localized

log = logging.getLogger("cimviewer.plugins")

#: status of a plugin record
AVAILABLE, ENABLED, REFUSED, FAILED = "available", "enabled", "refused", "failed"


@dataclass
class PluginRecord:
    manifest: PluginManifest
    origin: str
    folder: Path
    installed: bool = False
    status: str = AVAILABLE
    error: str | None = None
    imported: bool = False

    @property
    def name(self) -> str:
        return self.manifest.name

    @property
    def enabled(self) -> bool:
        return self.status == ENABLED


@dataclass
class AlgorithmEntry:
    """A registered algorithm; its class is imported on the first ``load()``."""

    plugin: str
    contribution: Contribution
    _instance: Algorithm | None = field(default=None, repr=False)

    @property
    def qualified_name(self) -> str:
        return f"{self.plugin}.{self.contribution.id}"

    def title(self, language: str = "en") -> str:
        return localized(self.contribution.title, language)


def check_dependencies(requirements: tuple[str, ...]) -> str | None:
    """None when every requirement is installed, else what is missing."""
    from importlib import metadata

    from packaging.requirements import InvalidRequirement, Requirement

    missing = []
    for text in requirements:
        try:
            req = Requirement(text)
        except InvalidRequirement:
            missing.append(f"{text!r} (not a valid requirement)")
            continue
        if req.marker is not None and not req.marker.evaluate():
            continue
        try:
            version = metadata.version(req.name)
        except metadata.PackageNotFoundError:
            missing.append(f"{req} (not installed)")
            continue
        if req.specifier and not req.specifier.contains(version, prereleases=True):
            missing.append(f"{req} (installed: {version})")
    return f"missing dependencies: {', '.join(missing)}" if missing else None


class PluginManager:
    plugin_enabled = Signal(str)
    plugin_disabled = Signal(str)
    problem = Signal(str, str)  # plugin name, one-line message
    changed = Signal()

    def __init__(self, language: str = "en") -> None:
        self.language = language
        self._texts: dict[tuple[str, str], dict[str, str]] = {}
        self.records: dict[str, PluginRecord] = {}
        self.problems: list[tuple[str, str]] = []
        self.algorithms: dict[str, AlgorithmEntry] = {}
        self.styles: dict[str, tuple[str, Contribution]] = {}
        self._undo: dict[str, list[Callable[[], None]]] = {}

    # --- discovery --------------------------------------------------------------------
    def discover(self, *, entry_points: bool = True, builtin: Path | None = None,
                 user: Path | None = None) -> None:
        """Read the manifests of all plugin places (no plugin code runs)."""
        self.add_found(discover_all(entry_points=entry_points, builtin=builtin, user=user))

    def add_folder(self, folder: Path, origin: str = "folder") -> list[str]:
        """Plugins in subfolders of ``folder`` (tests, the pytest fixtures)."""
        return self.add_found(scan_folder(Path(folder), origin))

    def add_found(self, found: list[Found]) -> list[str]:
        names = []
        for item in found:
            if item.manifest is None:
                self.report(item.location.name, item.error or "unreadable manifest")
                continue
            manifest = item.manifest
            if manifest.name in self.records:
                first = self.records[manifest.name]
                message = (f"also found in {item.location} ({item.origin}); keeping the first "
                           f"one from {first.folder} ({first.origin})")
                log.warning("plugin %r %s", manifest.name, message)
                self.problems.append((manifest.name, message))
                continue
            record = PluginRecord(manifest, item.origin, item.location, item.installed)
            refusal = api_refusal(manifest.api)
            if refusal:
                record.status, record.error = REFUSED, f"refused: {refusal}"
                self.report(manifest.name, record.error)
            self.records[manifest.name] = record
            names.append(manifest.name)
        self.changed.emit()
        return names

    # --- problems ---------------------------------------------------------------------
    def report(self, plugin: str, message: str) -> None:
        log.error("plugin %r: %s", plugin, message)
        self.problems.append((plugin, message))
        self.problem.emit(plugin, message)

    @contextmanager
    def guard(self, plugin: str, what: str) -> Iterator[None]:
        """Report (and swallow) any exception raised by plugin code inside the block."""
        try:
            yield
        except PLUGIN_FAILURES as exc:
            self.report(plugin, f"{what} failed: {describe_exception(exc)}")

    # --- enabling ---------------------------------------------------------------------
    def enable(self, name: str) -> bool:
        record = self.records[name]
        if record.status == ENABLED:
            return True
        if record.status == REFUSED:
            return False
        if not record.installed:
            add_vendor_path(record.folder)  # before the check: it may provide them
        missing = check_dependencies(record.manifest.dependencies)
        if missing:
            record.status, record.error = FAILED, missing
            self.report(name, missing)
            self.changed.emit()
            return False
        record.status, record.error = ENABLED, None
        undo = self._undo.setdefault(name, [])
        for contribution in record.manifest.of_kind("algorithms"):
            undo.append(self._add_algorithm(name, contribution))
        for contribution in record.manifest.of_kind("readers"):
            with self.guard(name, f"reader {contribution.id!r}"):
                undo.append(self._add_reader(name, contribution))
        for contribution in record.manifest.of_kind("styles"):
            undo.append(self._add_style(name, contribution))
        self.plugin_enabled.emit(name)
        self.changed.emit()
        return True

    def disable(self, name: str) -> None:
        record = self.records[name]
        if record.status == ENABLED:
            self.plugin_disabled.emit(name)  # the GUI removes its part first
        for undo in reversed(self._undo.pop(name, [])):
            with self.guard(name, "unregistering"):
                undo()
        if record.status in (ENABLED, FAILED):
            record.status = AVAILABLE
        self.changed.emit()

    def enable_all(self, disabled: set[str] = frozenset()) -> None:  # type: ignore[assignment]
        for name in list(self.records):
            if name not in disabled:
                self.enable(name)

    def disable_all(self) -> None:
        for name in list(self.records):
            self.disable(name)

    def report_error(self, exc: PluginError) -> None:
        """Report a PluginError unless that already happened."""
        if not exc.reported:
            exc.reported = True
            self.report(exc.plugin, exc.message)

    def fail(self, name: str, message: str) -> None:
        """Plugin code broke while loading: report it and take its registrations back."""
        self.report(name, message)
        self.disable(name)
        record = self.records[name]
        record.status, record.error = FAILED, message
        self.changed.emit()

    def _add_algorithm(self, plugin: str, contribution: Contribution) -> Callable[[], None]:
        entry = AlgorithmEntry(plugin, contribution)
        key = entry.qualified_name
        self.algorithms[key] = entry

        def undo() -> None:
            if self.algorithms.get(key) is entry:
                del self.algorithms[key]
        return undo

    def _add_style(self, plugin: str, contribution: Contribution) -> Callable[[], None]:
        key = f"{plugin}.{contribution.id}"
        self.styles[key] = (plugin, contribution)
        return lambda: self.styles.pop(key, None)

    def _add_reader(self, plugin: str, contribution: Contribution) -> Callable[[], None]:
        from cimviewer.io.registry import PluginReader, register_reader

        def read(path: Path) -> Any:
            return self.resolve(plugin, contribution.target)(path)

        suffixes = tuple(s.lower() for s in contribution.options["suffixes"])
        reader = PluginReader(f"{plugin}.{contribution.id}", localized(contribution.title),
                              suffixes, read, plugin)
        return register_reader(reader)

    # --- code -------------------------------------------------------------------------
    def resolve(self, plugin: str, target: str) -> Any:
        """Import the plugin (first use) and return the object ``target`` names.

        Raises PluginError; an import failure also marks the plugin failed.
        """
        record = self.records[plugin]
        if record.status not in (ENABLED,):
            raise PluginError(plugin, f"is {record.status}" + (f" ({record.error})"
                                                               if record.error else ""))
        try:
            import_package(record.manifest.package, record.folder, record.installed)
            record.imported = True
        except PLUGIN_FAILURES as exc:
            message = f"import failed: {describe_exception(exc)}"
            self.fail(plugin, message)
            raise PluginError(plugin, message, reported=True) from exc
        try:
            return resolve_target(target)
        except PLUGIN_FAILURES as exc:
            raise PluginError(plugin, f"{target}: {describe_exception(exc)}") from exc

    def texts(self, plugin: str) -> dict[str, str]:
        """The plugin's own translations of the strings it declares in Python (parameter
        labels, choices, descriptions) for the UI language: ``i18n/<language>.json`` in
        its folder, English text to translated text; {} when it has none."""
        key = (plugin, self.language)
        if key not in self._texts:
            record = self.records.get(plugin)
            found: dict[str, str] = {}
            path = None if record is None else record.folder / "i18n" / f"{self.language}.json"
            if path is not None and path.is_file():
                try:
                    data = json.loads(path.read_text(encoding="utf-8"))
                    if not isinstance(data, dict):
                        raise ValueError("not a JSON object")
                    found = {str(k): str(v) for k, v in data.items() if isinstance(v, str)}
                except (OSError, ValueError) as exc:
                    self.report(plugin, f"{path.name}: unreadable translations: {exc}")
            self._texts[key] = found
        return self._texts[key]

    def algorithm(self, qualified_name: str) -> Algorithm:
        """The algorithm instance for "plugin.algorithm" (imports the plugin on first use)."""
        entry = self.algorithms.get(qualified_name)
        if entry is None:
            known = ", ".join(sorted(self.algorithms)) or "none"
            raise KeyError(f"no algorithm {qualified_name!r} (available: {known})")
        if entry._instance is None:
            obj = self.resolve(entry.plugin, entry.contribution.target)
            try:
                instance = obj() if isinstance(obj, type) else obj
            except PLUGIN_FAILURES as exc:
                raise PluginError(entry.plugin, f"creating {qualified_name}: "
                                                f"{describe_exception(exc)}") from exc
            if not isinstance(instance, Algorithm):
                raise PluginError(entry.plugin, f"{entry.contribution.target} is not an "
                                                "cimviewer.api.Algorithm")
            instance.qualified_name = qualified_name
            entry._instance = instance
        return entry._instance

    def style(self, key: str, layer: Any) -> Any:
        """The LayerStyle a style contribution gives for ``layer`` (raises PluginError)."""
        from cimviewer.core.style import LayerStyle

        plugin, contribution = self.styles[key]
        obj = self.resolve(plugin, contribution.target)
        try:
            style = obj if isinstance(obj, LayerStyle) else obj(layer)
        except PLUGIN_FAILURES as exc:
            raise PluginError(plugin, f"style {contribution.id!r}: "
                                      f"{describe_exception(exc)}") from exc
        if not isinstance(style, LayerStyle):
            raise PluginError(plugin, f"style {contribution.id!r} did not give a LayerStyle")
        return style

    def contributions(self, name: str, kind: str) -> list[Contribution]:
        return self.records[name].manifest.of_kind(kind)
