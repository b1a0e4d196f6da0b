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


def test_chinese_menus(cim_main_window):
    window = cim_main_window(language="zh_CN")
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[0] == "文件(&F)"
    assert window.layers_dock.windowTitle() == "图层"
    # the sensors' and plugins' menus too, known to the shell by id
    assert window.shell.menu("sensors").title() == "传感器(&S)"
    assert window.shell.menu("algorithms").title() == "算法(&A)"
    # names translated outside a widget (point classes, colour modes) too
    from cimviewer.ui.pointcloud_names import asprs_class_labels, color_mode_labels

    assert asprs_class_labels()["Ground"] == "地面"
    assert color_mode_labels()["intensity"] == "强度"
