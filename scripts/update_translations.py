#!/usr/bin/env python3
"""Refresh the Qt translation sources from the code and compile them.

    python scripts/update_translations.py            # lupdate + fill from glossary + lrelease

``resources/i18n/zh_CN.glossary.json`` maps English source text to Chinese; a key
``"Context|source"`` translates the text in that context only (the same English word
can need two Chinese words). Strings missing from it stay "unfinished" in the .ts file,
and the test suite fails on them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ("zh_CN", "en")


def tool(name: str) -> str:
    exe = Path(sys.executable).parent / f"pyside6-{name}"
    return str(exe) if exe.exists() else f"pyside6-{name}"


def sources() -> list[str]:
    found = [p for p in (ROOT / "cimviewer").rglob("*.py")
             if "ui" in p.parts or "plugins" in p.parts]
    found += (ROOT / "plugins").glob("*/dock*.py")  # GUI code of the built-in plugins
    return sorted(str(p.relative_to(ROOT)) for p in found)


def fill(ts_path: Path, glossary: dict[str, str] | None) -> int:
    """Write translations; return the number of messages left unfinished."""
    tree = ET.parse(ts_path)
    unfinished = 0
    for context, message in ((holder.findtext("name") or "", message)
                             for holder in tree.iter("context")
                             for message in holder.iter("message")):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        if translation is None:
            translation = ET.SubElement(message, "translation")
        if translation.get("type") in ("obsolete", "vanished"):
            continue
        text = source if glossary is None else (glossary.get(f"{context}|{source}")
                                                 or glossary.get(source))
        if text:
            translation.text = text
            translation.attrib.pop("type", None)
        else:
            translation.set("type", "unfinished")
            unfinished += 1
    tree.write(ts_path, encoding="utf-8", xml_declaration=True)
    return unfinished


def main() -> int:
    glossary = json.loads((I18N / "zh_CN.glossary.json").read_text(encoding="utf-8"))
    for lang in LANGUAGES:
        ts = I18N / f"cimviewer_{lang}.ts"
        subprocess.run([tool("lupdate"), "-no-obsolete", "-locations", "none", *sources(),
                        "-ts", str(ts)], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        left = fill(ts, glossary if lang == "zh_CN" else None)
        subprocess.run([tool("lrelease"), str(ts), "-qm", str(ts.with_suffix(".qm"))],
                       check=True, stdout=subprocess.DEVNULL)
        print(f"{ts.name}: {left} unfinished")
    return 0


if __name__ == "__main__":
    sys.exit(main())
