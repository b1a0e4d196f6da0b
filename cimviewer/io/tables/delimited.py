"""CSV (and other delimited text) tables, as Chinese agencies and spreadsheets write them.

The encoding is found from the bytes: a UTF-8 or UTF-16 byte-order mark, else UTF-8 if
the whole file decodes, else GB18030 (which contains GBK and GB2312). The delimiter is
sniffed among comma, semicolon, tab and bar. A column whose non-empty values are all
numbers becomes numbers (integers when all are whole); a column with a number written
with a leading zero (``0101``: a code, not a count) stays text.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path
from typing import Any

from cimviewer.core.joins import Table
from cimviewer.io.errors import ReadError

MAX_BYTES = 2 * 1024**3
_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_LEADING_ZERO = re.compile(r"^[+-]?0\d")


def decode(raw: bytes, path: Path) -> tuple[str, str]:
    """The text of a file and the encoding it was read with."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(name), name
            except UnicodeDecodeError as exc:
                raise ReadError(f"not valid {name} text (byte {exc.start})", path) from None
    for name in ("utf-8", "gb18030"):
        try:
            return raw.decode(name), name
        except UnicodeDecodeError:
            continue
    raise ReadError("not UTF-8 or GB18030 (GBK) text", path)


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def numeric_column(values: list[Any]) -> list[Any]:
    """The values as numbers when every non-empty one is a number, else unchanged."""
    texts = [v for v in values if v is not None]
    if not texts or any(_LEADING_ZERO.match(v) for v in texts):
        return values
    if all(_INT.match(v) for v in texts):
        return [None if v is None else int(v) for v in values]
    if all(_FLOAT.match(v) for v in texts):
        return [None if v is None else float(v) for v in values]
    return values


def read_csv(path: str | Path) -> Table:
    """A delimited text file with a header row. Raises ReadError (one line)."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ReadError("file is too large for a table (over 2 GB)", path)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ReadError("file does not exist", path) from None
    except IsADirectoryError:
        raise ReadError("is a folder, not a table file", path) from None
    except PermissionError:
        raise ReadError("permission denied", path) from None
    text, encoding = decode(raw, path)
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text[:64 * 1024]))
    try:
        header = next(reader)
    except StopIteration:
        raise ReadError("the file is empty (a header row is needed)", path) from None
    except csv.Error as exc:
        raise ReadError(f"not a delimited table: {exc}", path) from None
    columns = _unique([h.strip() or f"column{i + 1}" for i, h in enumerate(header)])
    values: list[list[Any]] = [[] for _ in columns]
    n = len(columns)
    try:
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # blank line
            row = row[:n] + [""] * (n - len(row))
            for column, cell in zip(values, row, strict=True):
                cell = cell.strip()
                column.append(cell if cell else None)
    except csv.Error as exc:
        raise ReadError(f"line {reader.line_num}: {exc}", path) from None
    return Table(columns, {c: numeric_column(v) for c, v in zip(columns, values, strict=True)},
                 source=str(path), encoding=encoding)


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        count = seen.get(name, 0)
        seen[name] = count + 1
        out.append(name if count == 0 else f"{name}_{count + 1}")
    return out
