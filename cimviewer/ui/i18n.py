"""Language selection and Qt translators (zh_CN and en ship in resources/i18n)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from cimviewer.resources import resources_dir

SUPPORTED = ("en", "zh_CN")


def resolve_language(requested: str | None) -> str:
    """``--lang`` value or the system locale, mapped to a shipped language."""
    name = requested or QLocale.system().name()
    name = name.replace("-", "_")
    if name in SUPPORTED:
        return name
    if name.lower().startswith("zh"):
        return "zh_CN"
    return "en"


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Load the app's and Qt's own translations; keep the returned objects alive."""
    translators = []
    ours = QTranslator(app)
    if ours.load(f"cimviewer_{language}", str(resources_dir() / "i18n")):
        app.installTranslator(ours)
        translators.append(ours)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        translators.append(qt)
    QLocale.setDefault(QLocale(language))
    return translators
