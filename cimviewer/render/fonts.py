"""A font for text drawn in the 3D view that has Chinese glyphs.

VTK's built-in fonts (Arial, Courier, Times) have no CJK glyphs: "RSRP 覆盖" came out as
"RSRP". Text properties are pointed at a system font that has them: Noto Sans CJK
(Debian's fonts-noto-cjk, installed by scripts/dev.py), Microsoft YaHei or SimHei on
Windows, PingFang on macOS. ``CIMVIEWER_FONT`` names another file. Without one, VTK's
own font is kept (Latin text still shows) and the log says why Chinese is missing.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

from vtkmodules.vtkCommonCore import VTK_FONT_FILE
from vtkmodules.vtkRenderingCore import vtkTextProperty

log = logging.getLogger("cimviewer")

_LINUX = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
          "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
          "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
          "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
          "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
_WINDOWS = ("msyh.ttc", "msyh.ttf", "simhei.ttf", "simsun.ttc")
_MACOS = ("/System/Library/Fonts/PingFang.ttc", "/System/Library/Fonts/STHeiti Light.ttc",
          "/Library/Fonts/Arial Unicode.ttf")


def candidates() -> list[Path]:
    """Font files to try, in order."""
    found = []
    if os.environ.get("CIMVIEWER_FONT"):
        found.append(Path(os.environ["CIMVIEWER_FONT"]))
    windir = os.environ.get("WINDIR")
    if windir:
        found += [Path(windir) / "Fonts" / name for name in _WINDOWS]
    found += [Path(p) for p in (*_LINUX, *_MACOS)]
    return found


@lru_cache(maxsize=1)
def cjk_font() -> Path | None:
    """The first font file that exists, or None (logged once)."""
    for path in candidates():
        if path.is_file():
            return path
    log.warning("no font with Chinese glyphs found for the 3D view (install fonts-noto-cjk "
                "or set CIMVIEWER_FONT): Chinese text in the view will be missing")
    return None


def use_cjk_font(prop: vtkTextProperty) -> vtkTextProperty:
    """Draw ``prop``'s text with the CJK-capable font (when there is one)."""
    font = cjk_font()
    if font is not None:
        prop.SetFontFamily(VTK_FONT_FILE)
        prop.SetFontFile(str(font))
    return prop
