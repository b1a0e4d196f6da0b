"""A most-recently-used list of files kept in QSettings, and the menu that shows it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QMenu


class RecentList:
    """Up to ``size`` absolute paths under ``key``, newest first."""

    def __init__(self, settings: QSettings, key: str, size: int = 10) -> None:
        self.settings = settings
        self.key = key
        self.size = size

    def entries(self) -> list[str]:
        value = self.settings.value(self.key, [])
        if isinstance(value, str):  # QSettings gives one entry back as a plain string
            value = [value]
        return [str(v) for v in (value or [])]

    def add(self, path: str | Path) -> None:
        entry = str(Path(path).resolve())
        files = [entry] + [f for f in self.entries() if f != entry]
        self.settings.setValue(self.key, files[:self.size])

    def fill_menu(self, menu: QMenu, open_path: Callable[[str], object]) -> None:
        """Refill ``menu`` with the entries (connect to its ``aboutToShow``)."""
        menu.clear()
        files = self.entries()
        if not files:
            menu.addAction(QCoreApplication.translate("RecentList", "(none)")).setEnabled(False)
        for f in files:
            menu.addAction(f, lambda f=f: open_path(f))
