"""The plugin's own translations (``i18n/<language>.json``) for text made headless, such
as the report; the dock gets the same file through ``ctx.gui.texts()``."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "i18n"


def texts(language: str) -> dict[str, str]:
    path = FOLDER / f"{language}.json"
    if language == "en" or not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def translator(language: str) -> Callable[[str], str]:
    table = texts(language)
    return lambda text: table.get(text, text)
