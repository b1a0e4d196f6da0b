"""Chinese and English UI: every string translated, language chosen by --lang or locale."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from cimviewer.resources import resources_dir

I18N = resources_dir() / "i18n"


def test_zh_cn_has_no_unfinished_translations():
    tree = ET.parse(I18N / "cimviewer_zh_CN.ts")
    unfinished = [m.findtext("source") for m in tree.iter("message")
                  if m.find("translation").get("type") == "unfinished"]
    assert unfinished == []
    assert len(list(tree.iter("message"))) > 30


def test_every_tr_string_in_the_code_is_in_the_ts_file():
    """Guards against UI strings added without running scripts/update_translations.py."""
    import re

    from cimviewer.resources import resources_dir

    sources = {m.findtext("source") for m in ET.parse(I18N / "cimviewer_zh_CN.ts").iter("message")}
    code_dir = resources_dir().parent / "cimviewer" / "ui"
    pattern = re.compile(r"""(?:self\.tr|translate)\(\s*(?:"[^"]*",\s*)?["']([^"']+)["']""")
    found = set()
    for path in code_dir.rglob("*.py"):
        found.update(pattern.findall(path.read_text(encoding="utf-8")))
    missing = sorted(s for s in found if s not in sources)
    assert missing == []


@pytest.mark.parametrize(("requested", "expected"), [
    ("zh_CN", "zh_CN"), ("zh_TW", "zh_CN"), ("en", "en"), ("en_GB", "en"), ("de_DE", "en")])
def test_language_resolution(requested, expected):
    from cimviewer.ui.i18n import resolve_language

    assert resolve_language(requested) == expected


def test_chinese_menus(qtbot, tmp_path, cim_demo_project_session, cim_display):
    from PySide6.QtCore import QCoreApplication, QSettings

    from cimviewer.core.project import Project
    from cimviewer.ui.app import create_app
    from cimviewer.ui.i18n import install_translators
    from cimviewer.ui.main_window import MainWindow

    app = create_app("en")
    translators = install_translators(app, "zh_CN")
    try:
        settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
        window = MainWindow(Project(), settings=settings)
        qtbot.addWidget(window)
        titles = [a.text() for a in window.menuBar().actions()]
        assert titles[0] == "文件(&F)"
        assert window.layers_dock.windowTitle() == "图层"
        window.close()
    finally:
        for t in translators:
            QCoreApplication.removeTranslator(t)
