"""PDF reports: Chinese text in a CJK font when the machine has one, and a report (with
a warning) when it has none."""

from __future__ import annotations

import zlib

import pytest

from cimviewer.api import Table, write_pdf_report
from cimviewer.io import pdf_report


def test_report_with_chinese_text_and_a_table(tmp_path):
    if pdf_report.find_cjk_font() is None:
        pytest.skip("no CJK font on this machine (fonts-noto-cjk)")
    table = Table({"设备": ["5G 微站", "摄像机"], "数量": [18, 22]})
    result = write_pdf_report(tmp_path / "plan.pdf", "智慧杆规划", "# 概要\n- 32 根智慧杆\n",
                              [("设备清单", table)])
    data = result.path.read_bytes()
    assert data.startswith(b"%PDF") and result.font and not result.warnings
    assert b"NotoSans" in data or b"CJK" in data or result.font not in (None, "")
    assert not (tmp_path / "plan.pdf.part").exists()


def test_missing_font_still_writes_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf_report, "FONT_CANDIDATES", ())
    monkeypatch.delenv(pdf_report.FONT_ENV, raising=False)
    result = write_pdf_report(tmp_path / "r.pdf", "智慧杆 plan", "text 中文",
                              [("t", {"a": [1.5], "b": ["x"]})])
    assert result.font is None and len(result.warnings) == 1
    assert "no font with Chinese characters" in result.warnings[0]
    data = result.path.read_bytes()
    assert data.startswith(b"%PDF")
    # the Latin text is there (page content is deflated)
    start = data.index(b"stream\n") + 7
    page = zlib.decompress(data[start:data.index(b"endstream", start)])
    assert b"plan" in page


def test_broken_font_file_falls_back(tmp_path):
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"not a font")
    result = write_pdf_report(tmp_path / "r.pdf", "标题", "正文", font=bad)
    assert result.font is None and "bad.ttf" in result.warnings[0]
    assert result.path.read_bytes().startswith(b"%PDF")
