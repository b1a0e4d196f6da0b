"""Joins of outside tables in the project file, and reading them back.

A city-model layer record may carry ``"joins"``: a list of join specs
(:meth:`JoinSpec.to_dict`) with file paths stored relative to the project like every
data path, and PostgreSQL connections without their password (the password lives in
the system keyring, the ``PGPASSWORD`` environment or the session only). When the
project opens, each join is read and applied again; a join whose table cannot be read
is reported in one line and kept (unapplied), so the next save writes it back.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from cimviewer.core.joins import (
    SOURCE_KINDS,
    AppliedJoin,
    JoinError,
    JoinSpec,
    apply_join,
    keep_unapplied,
)
from cimviewer.core.layers import CityModelLayer
from cimviewer.io.errors import ReadError
from cimviewer.io.project.paths import resolve_stored, store_path
from cimviewer.io.project.schema import Checker

KEY = "joins"
SPEC_KEYS = {"kind", "path", "table", "host", "port", "dbname", "user", "table_key",
             "object_key", "fields", "prefix"}
#: never read from or written to a project
_SECRET_KEYS = {"password", "passwd", "secret", "token"}


def parse_joins(value: Any, where: str, check: Checker,
                base_dir: Path | None) -> list[JoinSpec]:
    """Validate a layer record's ``joins`` list (raises ProjectError naming the field)."""
    specs = []
    for i, raw in enumerate(check.array(value, where)):
        at = f"{where}[{i}]"
        data = {k: v for k, v in check.obj(raw, at).items() if k not in _SECRET_KEYS}
        unknown = check.note_unknown(data, SPEC_KEYS, at)
        kind = data.get("kind")
        if kind not in SOURCE_KINDS:
            raise check.fail(f"{at}.kind", f"must be one of {', '.join(SOURCE_KINDS)}")
        for key in ("table_key", "object_key"):
            check.text(data.get(key), f"{at}.{key}", nonempty=True)
        for key in ("table", "host", "dbname", "user", "prefix"):
            check.text(data.get(key), f"{at}.{key}", optional=True)
        if kind == "postgres":
            for key in ("host", "dbname", "table"):
                check.text(data.get(key), f"{at}.{key}", nonempty=True)
            check.integer(data.get("port", 5432), f"{at}.port", 1, 65535)
        else:
            path = check.text(data.get("path"), f"{at}.path", nonempty=True)
            data["path"] = str(resolve_stored(path, base_dir))  # type: ignore[arg-type]
        fields = check.array(data.get("fields", []), f"{at}.fields")
        for j, name in enumerate(fields):
            check.text(name, f"{at}.fields[{j}]", nonempty=True)
        try:
            spec = JoinSpec.from_dict({k: v for k, v in data.items() if k in SPEC_KEYS})
            specs.append(spec.with_(extra=copy.deepcopy(unknown)))
        except ValueError as exc:
            raise check.fail(at, str(exc)) from None
    return specs


def joins_record(layer: CityModelLayer, project_dir: Path | None) -> list[dict[str, Any]]:
    """The ``joins`` of a layer's record (applied or not; no password)."""
    out = []
    for joined in layer.joins:
        data = joined.spec.to_dict()
        if data.get("path"):
            data["path"] = store_path(data["path"], project_dir)
        out.append(data)
    return out


def open_join(layer: CityModelLayer, spec: JoinSpec,
              password: str | None = None) -> AppliedJoin:
    """Read the table and join it to the layer. Raises ReadError or JoinError."""
    from cimviewer.io.tables import read_table

    return apply_join(layer, spec, read_table(spec, password))


def restore_joins(layer: CityModelLayer, specs: list[JoinSpec], messages: list[str],
                  where: str) -> None:
    """Apply the saved joins of a layer read with a project; the ones that fail are
    reported and kept (unapplied)."""
    for i, spec in enumerate(specs):
        try:
            open_join(layer, spec)
        except Exception as exc:  # one table must never cost the project its layer
            text = (exc.one_line() if isinstance(exc, ReadError) else str(exc)
                    if isinstance(exc, JoinError) else f"{type(exc).__name__}: {exc}")
            messages.append(f"{where}.joins[{i}] ({spec.describe()}): {text}; the join is "
                            "kept and can be applied again from Join table")
            keep_unapplied(layer, spec, text)
