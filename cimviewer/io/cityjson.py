"""Read CityJSON 1.0 / 1.1 / 2.0 (``.json``, ``.city.json``) and CityJSONSeq (``.city.jsonl``).

:func:`read_cityjson` returns a :class:`~cimviewer.core.citymodel.CityModel` with
render-ready arrays: one triangle mesh per LoD (surfaces of MultiSurface,
CompositeSurface, Solid, MultiSolid, CompositeSolid and GeometryInstance), polylines
(MultiLineString) and points (MultiPoint), per-triangle object index, semantic code,
semantic surface and material colour (``diffuseColor`` of one material theme: the
file's default theme, else the first one used). Textures are not displayed yet; missing
texture images only give a warning.

Anything wrong with the file raises :class:`~cimviewer.io.errors.ReadError` naming the
place (``CityObjects["id"].geometry[0].boundaries[2][0]``) and the problem. Semantics
or materials that do not fit their geometry are dropped with a warning instead.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson

from cimviewer.core.citymodel import CityModel
from cimviewer.io.cityjson_flatten import describe
from cimviewer.io.cityjson_model import Collector, check_version, parse_transform, parse_vertices
from cimviewer.io.errors import ReadError

__all__ = ["ReadCancelled", "read_cityjson"]

_BOM = b"\xef\xbb\xbf"
_CHECK_EVERY_LINES = 500


class ReadCancelled(ReadError):
    """Reading stopped because ``cancelled()`` returned True."""


class _Progress:
    def __init__(self, progress: Callable[[float], None] | None,
                 cancelled: Callable[[], bool] | None):
        self.progress = progress
        self.cancelled = cancelled

    def check(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ReadCancelled("reading was cancelled")

    def step(self, fraction: float) -> None:
        self.check()
        if self.progress is not None:
            self.progress(min(max(fraction, 0.0), 1.0))


def read_cityjson(path: str | Path, *, progress: Callable[[float], None] | None = None,
                  cancelled: Callable[[], bool] | None = None) -> CityModel:
    """Read a CityJSON or CityJSONSeq file.

    ``progress`` receives fractions from 0 to 1; when ``cancelled()`` returns True the
    read stops with :class:`ReadCancelled`. Every failure is a :class:`ReadError`.
    """
    path = Path(path)
    reporter = _Progress(progress, cancelled)
    try:
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
            if path.name.lower().endswith(".jsonl"):
                return _read_seq(path, f, reporter)
            first = f.readline()
            if f.peek(1).strip() and _looks_like_seq_header(first):
                f.seek(0)
                return _read_seq(path, f, reporter)
            data = first + f.read()
    except OSError as err:
        raise ReadError(f"cannot read the file: {err.strerror or err}") from None
    reporter.step(0.1)
    doc = _loads(data)
    del data
    reporter.step(0.45)
    return _read_document(path, doc, reporter)


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
    vertices = parse_vertices(doc["vertices"], transform)
    src = collector.add_source(vertices, "file", "", 0)
    collector.add_objects(doc["CityObjects"], src)
    reporter.step(0.55)
    return collector.finish(reporter.check)


def _read_seq(path: Path, f: object, reporter: _Progress) -> CityModel:
    """CityJSONSeq: a CityJSON header line, then one CityJSONFeature per line."""
    size = max(path.stat().st_size, 1)
    first = None
    lines = iter(f)  # type: ignore[call-overload]
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
    header = None
    if isinstance(head, dict) and head.get("type") == "CityJSON":
        header = head
        features: object = _feature_lines(lines, first[0], reporter, size)
    else:
        features = chain_first((first[0], head), _feature_lines(lines, first[0], reporter, size))
    return _read_features(path, header, features, reporter)


def chain_first(item: tuple[int, object], rest: object) -> object:
    yield item
    yield from rest  # type: ignore[misc]


def _feature_lines(lines: object, after: int, reporter: _Progress, size: int) -> object:
    done = 0
    for lineno, line in enumerate(lines, after + 1):  # type: ignore[call-overload]
        done += len(line)
        if lineno % _CHECK_EVERY_LINES == 0:
            reporter.step(0.5 * done / size)
        if line.strip():
            yield lineno, _loads(line, where=f"line {lineno}")


def _read_features(path: Path, header: dict | None, features: object,
                   reporter: _Progress) -> CityModel:
    model = CityModel(source_format="CityJSONSeq")
    collector = Collector(path, model)
    transform = None
    if header is not None:
        model.version = check_version(header, model.warnings)
        transform = parse_transform(header.get("transform"), "line 1: transform")
        collector.read_root(header, "line 1: ")
        if header.get("CityObjects") or header.get("vertices"):
            src = collector.add_source(parse_vertices(header.get("vertices", []), transform,
                                                      "line 1: vertices"), "file", "line 1: ", 0)
            collector.add_objects(header.get("CityObjects", {}), src, "line 1: ")
    untransformed = False
    for lineno, feature in features:  # type: ignore[attr-defined]
        where = f"line {lineno}: "
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
        raw_vertices = feature.get("vertices", [])
        untransformed |= transform is None and bool(raw_vertices)
        vertices = parse_vertices(raw_vertices, transform, f"{where}vertices")
        mbase = collector.add_appearance(feature.get("appearance"), where)
        src = collector.add_source(vertices, "feature", where, mbase)
        collector.add_objects(cos, src, where)
    if untransformed:
        model.warnings.append("no CityJSON header with a transform: feature vertices are used "
                              "as they are")
    reporter.step(0.55)
    model = collector.finish(reporter.check)
    return model
