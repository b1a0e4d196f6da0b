"""PDF reports (fpdf2) with Chinese text: a title, Markdown-like text and tables.

A CJK font is looked for in the usual places (Noto Sans CJK on Linux, Microsoft YaHei /
SimHei / SimSun on Windows, PingFang / Hiragino on macOS) or taken from the environment
variable ``CIMVIEWER_PDF_FONT`` (a .ttf, .otf or .ttc file). Without one the report is
still written, in a built-in Latin font with every character it cannot show replaced by
"?", and the result says so: a missing font never costs the report.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FONT_ENV = "CIMVIEWER_PDF_FONT"
#: candidate font files, most wanted first
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simhei.ttf",
    "C:/Windows/Fonts/simsun.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
)


@dataclass
class PdfReport:
    """What :func:`write_pdf_report` wrote: the file, the font used (None: the built-in
    Latin font) and warnings for the user (such as a missing CJK font)."""

    path: Path
    font: str | None
    warnings: list[str] = field(default_factory=list)


def find_cjk_font() -> tuple[Path, int] | None:
    """(font file, face index in a collection) of a font with Chinese glyphs, or None."""
    paths = [os.environ[FONT_ENV]] if os.environ.get(FONT_ENV) else []
    windir = os.environ.get("WINDIR")
    candidates = list(FONT_CANDIDATES)
    if sys.platform == "win32" and windir:
        candidates = [c.replace("C:/Windows", windir) for c in candidates]
    for text in [*paths, *candidates]:
        path = Path(text)
        if path.is_file():
            return path, _simplified_face(path)
    return None


def _simplified_face(path: Path) -> int:
    """In a .ttc, the face for Simplified Chinese (its family name ends in SC), else 0."""
    if path.suffix.lower() != ".ttc":
        return 0
    try:
        from fontTools.ttLib import TTCollection

        collection = TTCollection(str(path), lazy=True)
        for index, font in enumerate(collection.fonts):
            name = font["name"].getDebugName(1) or ""
            if name.endswith(" SC") or "SC " in name:
                return index
    except Exception:
        return 0
    return 0


def write_pdf_report(path: str | Path, title: str, text: str = "",
                     tables: Sequence[tuple[str, Any]] = (),
                     font: str | Path | None = None) -> PdfReport:
    """Write ``title``, ``text`` (lines; ``#`` headings, ``- `` bullets, ``|`` table rows
    as plain lines) and ``tables`` (pairs of a caption and a ``Table`` or a dict of
    columns) to a PDF at ``path``. ``font`` overrides the CJK font search."""
    from fpdf import FPDF

    path = Path(path)
    warnings: list[str] = []
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    family, used = "helvetica", None
    found = (Path(font), _simplified_face(Path(font))) if font else find_cjk_font()
    if found is not None:
        try:
            pdf.add_font("cjk", "", str(found[0]), collection_font_number=found[1])
            # table headings are bold: the same face serves (no bold CJK file needed)
            pdf.add_font("cjk", "B", str(found[0]), collection_font_number=found[1])
            family, used = "cjk", found[0].name
        except Exception as exc:  # a broken or unsupported font file
            warnings.append(f"font {found[0].name} could not be used ({exc}); "
                            "Chinese text is shown as '?'")
    else:
        warnings.append("no font with Chinese characters found (set CIMVIEWER_PDF_FONT); "
                        "Chinese text is shown as '?'")

    def clean(value: Any) -> str:
        s = "" if value is None else str(value)
        if family == "cjk":
            return s
        return s.encode("latin-1", "replace").decode("latin-1")

    width = pdf.w - pdf.l_margin - pdf.r_margin
    pdf.set_font(family, size=16)
    pdf.multi_cell(width, 9, clean(title), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            pdf.ln(3)
            continue
        if stripped.startswith("|") and set(stripped) <= set("|-: "):
            continue  # Markdown table rule
        size, body = 10, stripped
        if stripped.startswith("#"):
            level = len(stripped) - len(stripped.lstrip("#"))
            size, body = max(11, 15 - 2 * level), stripped.lstrip("#").strip()
        elif stripped.startswith("- "):
            body = "• " + stripped[2:] if family == "cjk" else "- " + stripped[2:]
        elif stripped.startswith("|"):
            body = "  ".join(c.strip() for c in stripped.strip("|").split("|"))
        pdf.set_font(family, size=size)
        pdf.multi_cell(width, size * 0.5, clean(body), new_x="LMARGIN", new_y="NEXT")
    for caption, table in tables:
        columns = getattr(table, "columns", table)
        if not columns:
            continue
        pdf.ln(4)
        pdf.set_font(family, size=12)
        pdf.multi_cell(width, 7, clean(caption), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(family, size=8)
        names = list(columns)
        rows = [[_cell(columns[n][i]) for n in names] for i in range(len(columns[names[0]]))]
        with pdf.table(text_align="LEFT", first_row_as_headings=True) as grid:
            for row in [names, *rows]:
                cells = grid.row()
                for value in row:
                    cells.cell(clean(value))
    tmp = path.with_name(path.name + ".part")
    pdf.output(str(tmp))
    tmp.replace(path)
    return PdfReport(path, used, warnings)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:,.0f}"
    return "" if value is None else str(value)
