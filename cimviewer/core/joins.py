"""Outside tables joined to city objects by a key column (CSV, GeoPackage, PostgreSQL).

A :class:`JoinSpec` says where the table is and how its rows find their objects; the
rows themselves arrive as a :class:`Table` (read by ``cimviewer.io.tables``). Applying a
join writes the table's fields into the objects' attributes
(:attr:`ObjectTable.attributes`), so styles, the inspector, search and algorithm field
parameters see joined fields like any other attribute. What a join wrote and what it
covered is kept (:class:`AppliedJoin`), so removing a join, or applying it again,
puts the objects' own attributes back exactly.

Keys match as text: the table's ``12``, ``12.0`` and ``"12"`` all find an object whose
key is ``"12"`` or ``12`` (numbers with a whole value compare as integers, text is
stripped). A key that appears in several rows takes its first row (the others are
counted as duplicates).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cimviewer.core.citymodel import ObjectTable
    from cimviewer.core.layers import CityModelLayer

SOURCE_KINDS = ("csv", "gpkg", "postgres")
#: the object key that means "the object's id" (else an attribute name)
OBJECT_ID = "@id"
DEFAULT_PORT = 5432


@dataclass(frozen=True)
class JoinSpec:
    """Where a table is and how it is joined. Never holds a password.

    ``path``: the CSV or GeoPackage file (absolute in memory; the project stores it
    relative); ``host``/``port``/``dbname``/``user``: the PostgreSQL connection;
    ``table``: the GeoPackage layer or PostgreSQL table (``schema.table`` allowed);
    ``table_key``: the table's key column; ``object_key``: :data:`OBJECT_ID` or the
    name of an object attribute; ``fields``: the columns to join (empty: all but the
    key); ``prefix``: put before each joined field name.
    """

    kind: str
    table_key: str
    object_key: str = OBJECT_ID
    path: str | None = None
    table: str | None = None
    host: str | None = None
    port: int = DEFAULT_PORT
    dbname: str | None = None
    user: str | None = None
    fields: tuple[str, ...] = ()
    prefix: str = ""
    #: keys of the saved record that this version does not know: written back unchanged
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in SOURCE_KINDS:
            raise ValueError(f"join source must be one of {', '.join(SOURCE_KINDS)}, "
                             f"not {self.kind!r}")
        if not self.table_key:
            raise ValueError("a join needs the table's key column")
        if not self.object_key:
            raise ValueError("a join needs the objects' key")
        if self.kind in ("csv", "gpkg") and not self.path:
            raise ValueError(f"a {self.kind} join needs a file")
        if self.kind == "gpkg" and not self.table:
            raise ValueError("a GeoPackage join needs a table (layer) name")
        if self.kind == "postgres" and not (self.host and self.dbname and self.table):
            raise ValueError("a PostgreSQL join needs a host, a database and a table")
        if not 0 < int(self.port) < 65536:
            raise ValueError(f"port {self.port} is not between 1 and 65535")

    def with_(self, **changes: Any) -> JoinSpec:
        return replace(self, **changes)

    def describe(self) -> str:
        """One line naming the source, for lists and messages."""
        if self.kind == "postgres":
            who = f"{self.user}@" if self.user else ""
            return f"postgresql://{who}{self.host}:{self.port}/{self.dbname} {self.table}"
        name = str(self.path).replace("\\", "/").rsplit("/", 1)[-1]
        return f"{name} {self.table}" if self.table else name

    def to_dict(self) -> dict[str, Any]:
        """The saved form (the path as it is here; the project stores it relative)."""
        out: dict[str, Any] = dict(self.extra)
        out.update({"kind": self.kind, "table_key": self.table_key,
                    "object_key": self.object_key})
        if self.kind == "postgres":
            out.update(host=self.host, port=self.port, dbname=self.dbname, user=self.user)
        else:
            out["path"] = self.path
        if self.table:
            out["table"] = self.table
        if self.fields:
            out["fields"] = list(self.fields)
        if self.prefix:
            out["prefix"] = self.prefix
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JoinSpec:
        fields = data.get("fields") or ()
        return cls(kind=str(data.get("kind")), table_key=str(data.get("table_key") or ""),
                   object_key=str(data.get("object_key") or OBJECT_ID),
                   path=None if data.get("path") is None else str(data["path"]),
                   table=None if data.get("table") is None else str(data["table"]),
                   host=None if data.get("host") is None else str(data["host"]),
                   port=int(data.get("port") or DEFAULT_PORT),
                   dbname=None if data.get("dbname") is None else str(data["dbname"]),
                   user=None if data.get("user") is None else str(data["user"]),
                   fields=tuple(str(f) for f in fields), prefix=str(data.get("prefix") or ""))


@dataclass
class Table:
    """A read table: column names in order and one list of values per column
    (None: no value). ``source`` names it in messages; ``encoding`` is how a text
    file was decoded."""

    columns: list[str]
    values: dict[str, list[Any]]
    source: str = ""
    encoding: str | None = None

    @property
    def n_rows(self) -> int:
        return len(self.values[self.columns[0]]) if self.columns else 0


@dataclass
class JoinReport:
    """What a join found: objects that got a row, rows that found no object, rows
    whose key came again (the first row wins), and key-bearing objects left without
    a row."""

    rows: int = 0
    matched_objects: int = 0
    unmatched_rows: int = 0
    duplicate_keys: int = 0
    objects_without_match: int = 0
    fields: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "matched_objects": self.matched_objects,
                "unmatched_rows": self.unmatched_rows, "duplicate_keys": self.duplicate_keys,
                "objects_without_match": self.objects_without_match,
                "fields": list(self.fields)}


@dataclass
class AppliedJoin:
    """A join on a layer: its spec, the table it was applied with (kept so that the
    join can be applied again when the layer is read again, without asking the
    source), what it wrote, and what it replaced.

    ``error`` is set (and nothing written) when the source could not be read: the join
    is kept so that saving the project loses nothing.
    """

    spec: JoinSpec
    table: Table | None = None
    report: JoinReport | None = None
    error: str | None = None
    #: field name -> object indexes the join gave a value
    written: dict[str, list[int]] = field(default_factory=dict)
    #: field name -> {object index: the value the object had before}
    replaced: dict[str, dict[int, Any]] = field(default_factory=dict)

    @property
    def applied(self) -> bool:
        return self.error is None and self.table is not None

    @property
    def fields(self) -> list[str]:
        return list(self.written)


class JoinError(ValueError):
    """A join that cannot be applied to this table: one line saying why."""


def key_text(value: Any) -> str | None:
    """The text a key compares by: numbers with a whole value as integers, text
    stripped; None for no key (None, empty text, NaN)."""
    if value is None or isinstance(value, bool):
        return None if value is None else str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value).strip()
    return text or None


def field_names(spec: JoinSpec, table: Table) -> list[tuple[str, str]]:
    """(column, attribute name) of the columns a join writes."""
    missing = [c for c in (spec.table_key, *spec.fields) if c not in table.values]
    if missing:
        raise JoinError(f"{table.source or spec.describe()}: no column "
                        f"{', '.join(repr(c) for c in missing)} (columns: "
                        f"{', '.join(table.columns)})")
    columns = list(spec.fields) or [c for c in table.columns if c != spec.table_key]
    return [(c, f"{spec.prefix}{c}") for c in columns]


def object_keys(objects: ObjectTable, object_key: str) -> list[str | None]:
    """Each object's key text (None: the object has no key)."""
    if object_key == OBJECT_ID:
        return [key_text(i) for i in objects.ids]
    return [key_text(a.get(object_key)) for a in objects.attributes]


def match_rows(objects: ObjectTable, spec: JoinSpec,
               table: Table) -> tuple[dict[int, int], JoinReport]:
    """{object index: table row} and the report, without changing anything."""
    names = field_names(spec, table)
    first_row: dict[str, int] = {}
    duplicates = 0
    no_key = 0
    for row, value in enumerate(table.values[spec.table_key]):
        key = key_text(value)
        if key is None:
            no_key += 1
        elif key in first_row:
            duplicates += 1
        else:
            first_row[key] = row
    keys = object_keys(objects, spec.object_key)
    pairs: dict[int, int] = {}
    used: set[int] = set()
    candidates = 0
    for index, key in enumerate(keys):
        if key is None:
            continue
        if key in first_row:
            pairs[index] = first_row[key]
            used.add(first_row[key])
        elif spec.object_key != OBJECT_ID or not objects.parents[index]:
            candidates += 1  # by id, only top-level objects are expected to have a row
    report = JoinReport(rows=table.n_rows, matched_objects=len(pairs),
                        unmatched_rows=len(first_row) - len(used) + no_key,
                        duplicate_keys=duplicates, objects_without_match=candidates,
                        fields=[name for _column, name in names])
    return pairs, report


def apply_join(layer: CityModelLayer, spec: JoinSpec, table: Table) -> AppliedJoin:
    """Join ``table`` to the layer's objects (after the joins it has) and tell styles
    on the written fields. Raises :class:`JoinError` when a column is missing."""
    joined = _write(layer.model.objects, spec, table)
    layer.joins.append(joined)
    _changed(layer, joined.fields)
    return joined


def keep_unapplied(layer: CityModelLayer, spec: JoinSpec, error: str) -> AppliedJoin:
    """Record a join whose source could not be read (saved again with the project)."""
    joined = AppliedJoin(spec, error=error)
    layer.joins.append(joined)
    layer.joins_changed.emit()
    return joined


def _unwind(layer: CityModelLayer, index: int) -> tuple[list[AppliedJoin], set[str]]:
    """Take joins ``index`` and after off the layer, newest first, so the objects hold
    what they had before join ``index``; returns those joins and the fields they wrote."""
    later = layer.joins[index:]
    touched: set[str] = set()
    for joined in reversed(later):
        touched.update(joined.fields)
        _undo(layer.model.objects, joined)
    del layer.joins[index:]
    return later, touched


def remove_join(layer: CityModelLayer, index: int) -> AppliedJoin:
    """Take join ``index`` off the layer; the objects get their own values back (joins
    made after it stay, applied again on the restored attributes)."""
    joins = layer.joins
    if not 0 <= index < len(joins):
        raise IndexError(f"the layer has no join {index}")
    objects = layer.model.objects
    later, touched = _unwind(layer, index)
    removed = later[0]
    for joined in later[1:]:
        joins.append(_redo(objects, joined))
        touched.update(joined.fields)
    _changed(layer, sorted(touched))
    return removed


def replace_join(layer: CityModelLayer, index: int, spec: JoinSpec,
                 table: Table) -> AppliedJoin:
    """Apply a join again in the same place (a changed spec, a table read again, a
    join whose source was missing and is back)."""
    joins = layer.joins
    objects = layer.model.objects
    later, touched = _unwind(layer, index)
    try:
        new = _write(objects, spec, table)
    except JoinError:
        for joined in later:  # put everything back as it was
            joins.append(_redo(objects, joined))
        raise
    joins.append(new)
    for joined in later[1:]:
        joins.append(_redo(objects, joined))
    touched.update(new.fields)
    _changed(layer, sorted(touched))
    return new


def carry_joins(old: CityModelLayer, new: CityModelLayer) -> None:
    """Give a layer read again (another theme, data found elsewhere) the joins of the
    layer it replaces, with the tables already read."""
    for joined in old.joins:
        if joined.applied and joined.table is not None:
            try:
                new.joins.append(_write(new.model.objects, joined.spec, joined.table))
                continue
            except JoinError as exc:
                new.joins.append(AppliedJoin(joined.spec, error=str(exc)))
                continue
        new.joins.append(AppliedJoin(joined.spec, error=joined.error))
    fields = sorted({name for joined in new.joins for name in joined.fields})
    _changed(new, fields)


def joined_fields(layer: CityModelLayer) -> list[str]:
    """The attribute names the layer's joins wrote."""
    names: dict[str, None] = {}
    for joined in layer.joins:
        for name in joined.fields:
            names.setdefault(name)
    return list(names)


# --- writing and undoing ------------------------------------------------------------------
def _write(objects: ObjectTable, spec: JoinSpec, table: Table) -> AppliedJoin:
    pairs, report = match_rows(objects, spec, table)
    names = field_names(spec, table)
    joined = AppliedJoin(spec, table=table, report=report)
    attributes = objects.attributes
    for column, name in names:
        values = table.values[column]
        written: list[int] = []
        replaced: dict[int, Any] = {}
        for index, row in pairs.items():
            value = values[row]
            if value is None:  # an empty cell leaves the object's own value
                continue
            attrs = attributes[index]
            if name in attrs:
                replaced[index] = attrs[name]
            attrs[name] = value
            written.append(index)
        joined.written[name] = written
        if replaced:
            joined.replaced[name] = replaced
    return joined


def _undo(objects: ObjectTable, joined: AppliedJoin) -> None:
    attributes = objects.attributes
    for name, indexes in joined.written.items():
        before = joined.replaced.get(name, {})
        for index in indexes:
            if index in before:
                attributes[index][name] = before[index]
            else:
                attributes[index].pop(name, None)


def _redo(objects: ObjectTable, joined: AppliedJoin) -> AppliedJoin:
    if not joined.applied or joined.table is None:
        return AppliedJoin(joined.spec, error=joined.error)
    return _write(objects, joined.spec, joined.table)


def _changed(layer: CityModelLayer, fields: Sequence[str]) -> None:
    for name in fields:
        layer.attribute_changed.emit(name)
    layer.joins_changed.emit()
