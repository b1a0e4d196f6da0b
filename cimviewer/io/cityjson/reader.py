"""Read CityJSON 1.0 / 1.1 / 2.0 (``.json``, ``.city.json``) and CityJSONSeq (``.city.jsonl``).

:func:`read_cityjson` returns a :class:`~cimviewer.core.citymodel.CityModel` with
render-ready arrays: one triangle mesh per LoD (surfaces of MultiSurface,
CompositeSurface, Solid, MultiSolid, CompositeSolid and GeometryInstance), polylines
(MultiLineString) and points (MultiPoint), per-triangle object index, semantic code,
semantic surface and material colour (``diffuseColor`` of one material theme: the
file's default theme, else the first one used), and texture with per-corner texture
coordinates (one texture theme, chosen the same way; images are found relative to the
file). Missing texture images give one warning naming how many; their surfaces are left
untextured and show the style colour.

Anything wrong with the file raises :class:`~cimviewer.io.errors.ReadError` naming the
place (``CityObjects["id"].geometry[0].boundaries[2][0]``) and the problem. Semantics
or materials that do not fit their geometry are dropped with a warning instead.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import orjson

from cimviewer.core.citymodel import CityModel
from cimviewer.io.cityjson.flatten import describe
from cimviewer.io.cityjson.model import (
    THEME,
    Collector,
    check_version,
    parse_transform,
    parse_vertices,
)
from cimviewer.io.errors import ReadError

__all__ = ["ReadCancelledError", "read_cityjson"]

_BOM = b"\xef\xbb\xbf"
_CHECK_EVERY_LINES = 500
_SNIFF_BYTES = 1 << 20


class ReadCancelledError(ReadError):
    """Reading stopped because ``cancelled()`` returned True."""


_gc_lock = threading.Lock()
_gc_users = 0
_gc_was_enabled = False


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of JSON lists are created.

    Parsing allocates a container per ring, surface and vertex; with the collector on,
    its repeated passes over the growing document make the parse ~5x slower. Nothing in
    a read makes reference cycles. Nested / concurrent reads restore it once, at the end.
    """
    global _gc_users, _gc_was_enabled
    with _gc_lock:
        if _gc_users == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_users += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_users -= 1
            if _gc_users == 0 and _gc_was_enabled:
                gc.enable()


class _Progress:
    def __init__(self, progress: Callable[[float], None] | None,
                 cancelled: Callable[[], bool] | None):
        self.progress = progress
        self.cancelled = cancelled

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ReadCancelledError("reading was cancelled")

    def step(self, fraction: float) -> None:
        self.check()
        if self.progress is not None:
            self.progress(min(max(fraction, 0.0), 1.0))


def read_cityjson(path: str | Path, *, progress: Callable[[float], None] | None = None,
                  cancelled: Callable[[], bool] | None = None,
                  theme: str | None = None) -> CityModel:
    """Read a CityJSON or CityJSONSeq file.

    ``progress`` receives fractions from 0 to 1; when ``cancelled()`` returns True the
    read stops with :class:`ReadCancelledError`. Every failure is a :class:`ReadError`.
    ``theme`` names the material and texture theme to show (None: the file's defaults).
    """
    path = Path(path)
    reporter = _Progress(progress, cancelled)
    token = THEME.set(theme)
    try:
        with _gc_paused():
            model = _read(path, reporter)
    except ReadError as err:
        if err.path is not None:
            raise
        raise type(err)(err.message, path, err.where) from err
    except MemoryError:
        raise ReadError("not enough memory to read the file", path) from None
    except RecursionError:
        raise ReadError("the file is nested too deeply", path) from None
    except Exception as err:  # a reader bug must still reach the user as one line
        raise ReadError(f"unexpected {type(err).__name__} while reading: {err}", path) from err
    finally:
        THEME.reset(token)
    reporter.step(1.0)
    return model


def _loads(data: bytes, where: str | None = None) -> object:
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    if not data.strip():
        raise ReadError("the file is empty" if where is None else "empty line", where=where)
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as err:
        raise ReadError(f"not valid JSON: {err}", where=where) from None


def _read(path: Path, reporter: _Progress) -> CityModel:
    reporter.step(0.0)
    try:
        with path.open("rb") as f:
            if path.name.lower().endswith(".jsonl") or _is_seq(f.read(_SNIFF_BYTES)):
                f.seek(0)
                return _read_seq(path, f, reporter)
    except OSError as err:
        raise ReadError(f"cannot read the file: {err.strerror or err}") from None
    # the parsed document is handed over, not kept here, so that it can be freed early
    return _read_document(path, _parse_file(path, reporter), reporter)


def _parse_file(path: Path, reporter: _Progress) -> object:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ReadError(f"cannot read the file: {err.strerror or err}") from None
    reporter.step(0.1)
    doc = _loads(data)
    reporter.step(0.45)
    return doc


def _is_seq(head: bytes) -> bool:
    """A first line that is a whole CityJSON object, followed by more lines."""
    first, newline, rest = head.partition(b"\n")
    return bool(newline) and bool(rest.strip()) and _looks_like_seq_header(first)


def _looks_like_seq_header(first_line: bytes) -> bool:
    line = first_line.strip()
    if not (line.startswith(b"{") and line.endswith(b"}")) or b'"CityJSON"' not in line:
        return False
    try:
        head = orjson.loads(line)
    except orjson.JSONDecodeError:
        return False
    return isinstance(head, dict) and head.get("type") == "CityJSON"


def _read_document(path: Path, doc: object, reporter: _Progress) -> CityModel:
    if not isinstance(doc, dict):
        raise ReadError(f"expected a JSON object at the top level, found {describe(doc)}")
    kind = doc.get("type")
    if kind == "CityJSONFeature":
        return _read_features(path, None, [(1, doc)], reporter)
    if kind is None:
        raise ReadError('missing "type" (expected "CityJSON")')
    if kind != "CityJSON":
        raise ReadError(f'"type" is {describe(kind)}, expected "CityJSON"', where="type")
    model = CityModel(source_format="CityJSON")
    model.version = check_version(doc, model.warnings)
    collector = Collector(path, model)
    transform = parse_transform(doc.get("transform"))
    collector.read_root(doc)
    if "CityObjects" not in doc:
        raise ReadError('missing "CityObjects"')
    if "vertices" not in doc:
        raise ReadError('missing "vertices"')
    # pop the big members so that they are freed as soon as they have been used
    vertices = parse_vertices(doc.pop("vertices"), transform)
    src = collector.add_source(vertices, "file", "", 0)
    collector.add_objects(doc.pop("CityObjects"), src)
    reporter.step(0.55)
    return collector.finish(reporter.check)


def _read_seq(path: Path, f: BinaryIO, reporter: _Progress) -> CityModel:
    """CityJSONSeq: a CityJSON header line, then one CityJSONFeature per line."""
    size = max(path.stat().st_size, 1)
    first = None
    lines = iter(f)
    for lineno, line in enumerate(lines, 1):
        if line.strip():
            first = (lineno, line)
            break
    if first is None:
        raise ReadError("the file is empty")
    try:
        head = orjson.loads(first[1])
    except orjson.JSONDecodeError:
        # not one JSON text per line: a single (pretty-printed) document
        rest = b"".join(lines)
        return _read_document(path, _loads(first[1] + rest), reporter)
    features = _feature_lines(lines, first[0], reporter, size)
    if isinstance(head, dict) and head.get("type") == "CityJSON":
        return _read_features(path, (first[0], head), features, reporter)
    return _read_features(path, None, _chain_first((first[0], head), features), reporter)


def _chain_first(item: tuple[int, object], rest: Iterable[tuple[int, object]],
                 ) -> Iterator[tuple[int, object]]:
    yield item
    yield from rest


def _feature_lines(lines: Iterable[bytes], after: int, reporter: _Progress, size: int,
                   ) -> Iterator[tuple[int, object]]:
    done = 0
    for lineno, line in enumerate(lines, after + 1):
        done += len(line)
        if lineno % _CHECK_EVERY_LINES == 0:
            reporter.step(0.5 * done / size)
        if line.strip():
            try:
                yield lineno, _loads(line, where=f"line {lineno}")
            except ReadError as exc:  # skipped and reported by _read_features
                yield lineno, exc


def _check_feature(feature: object, lineno: int, transform, where: str,
                   ) -> tuple[dict[str, Any], np.ndarray, dict[str, Any]]:
    """(feature, vertices, CityObjects) of one feature line, or ReadError naming the line."""
    if isinstance(feature, ReadError):
        raise feature
    if not isinstance(feature, dict):
        raise ReadError(f"expected a CityJSONFeature object, found {describe(feature)}",
                        where=f"line {lineno}")
    kind = feature.get("type")
    if kind != "CityJSONFeature":
        raise ReadError(f'"type" is {describe(kind)}, expected "CityJSONFeature"',
                        where=f"line {lineno}")
    cos = feature.get("CityObjects")
    root = feature.get("id")
    if not isinstance(cos, dict) or not isinstance(root, str) or root not in cos:
        raise ReadError(f'the feature "id" {describe(root)} does not match any of its '
                        "CityObjects", where=f"line {lineno}")
    vertices = parse_vertices(feature.get("vertices", []), transform, f"{where}vertices")
    return feature, vertices, cos


def _read_features(path: Path, header_line: tuple[int, dict] | None,
                   features: Iterable[tuple[int, object]], reporter: _Progress) -> CityModel:
    """Features (with the header's transform and metadata, when there is a header)."""
    model = CityModel(source_format="CityJSONSeq")
    collector = Collector(path, model)
    transform = None
    if header_line is not None:
        lineno, header = header_line
        where = f"line {lineno}: "
        model.version = check_version(header, model.warnings)
        transform = parse_transform(header.get("transform"), f"{where}transform")
        collector.read_root(header, where)
        if header.get("CityObjects") or header.get("vertices"):
            src = collector.add_source(parse_vertices(header.get("vertices", []), transform,
                                                      f"{where}vertices"), "file", where, 0)
            collector.add_objects(header.get("CityObjects", {}), src, where)
    #: the line of each object (for the places of problems): (first object, line) runs
    runs: list[tuple[int, int]] = [(0, header_line[0] if header_line else 0)]
    untransformed = False
    skipped: list[ReadError] = []
    good = 0
    for lineno, feature in features:
        where = f"line {lineno}: "
        try:  # a bad line is skipped and reported; it never costs the other features
            checked, vertices, cos = _check_feature(feature, lineno, transform, where)
        except ReadError as exc:
            skipped.append(exc)
            continue
        good += 1
        untransformed |= transform is None and bool(len(vertices))
        mbase = collector.add_appearance(checked.get("appearance"), where)
        src = collector.add_source(vertices, "feature", where, mbase)
        runs.append((len(collector.ids), lineno))
        collector.add_objects(cos, src, where)
    if skipped:
        if not good:  # nothing readable: the file is refused with its first problem
            raise skipped[0]
        shown = "; ".join(exc.one_line() for exc in skipped[:3])
        more = f" and {len(skipped) - 3} more" if len(skipped) > 3 else ""
        problem = f"{len(skipped)} bad line(s) skipped: {shown}{more}"
        model.warnings.append(problem)
        model.problems.append(problem)
        model.add_problem("UNREADABLE_FEATURE", [-1] * len(skipped),  # no object to name
                          [exc.where or "" for exc in skipped])
    if untransformed:
        model.warnings.append("no CityJSON header with a transform: feature vertices are used "
                              "as they are")
    reporter.step(0.55)
    model = collector.finish(reporter.check)
    starts = np.array([start for start, _ in runs] + [len(collector.ids)], np.int64)
    model.object_origin = np.repeat(np.array([line for _, line in runs], np.int64),
                                    np.diff(starts))
    return model
