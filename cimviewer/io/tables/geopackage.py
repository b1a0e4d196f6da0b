"""GeoPackage tables: attribute-only tables and the attributes of feature tables
(geometry is not read), through pyogrio."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from cimviewer.core.joins import Table
from cimviewer.io.errors import ReadError


def _check_file(path: Path) -> None:
    if not path.exists():
        raise ReadError("file does not exist", path)
    if path.is_dir():
        raise ReadError("is a folder, not a GeoPackage", path)


def table_names(path: str | Path) -> list[str]:
    """The tables (layers) of a GeoPackage, spatial and not."""
    import pyogrio

    path = Path(path)
    _check_file(path)
    try:
        return [str(name) for name, _kind in pyogrio.list_layers(path)]
    except (pyogrio.errors.DataSourceError, OSError) as exc:
        raise ReadError(f"not a GeoPackage: {_first_line(exc)}", path) from None


def read_gpkg_table(path: str | Path, table: str) -> Table:
    """The attribute columns of one table. Raises ReadError (one line)."""
    import pyogrio
    from pyogrio import raw

    path = Path(path)
    names = table_names(path)
    if table not in names:
        raise ReadError(f"no table {table!r} (tables: {', '.join(names) or 'none'})", path)
    try:
        meta, _fids, _geometry, data = raw.read(path, layer=table, read_geometry=False,
                                                datetime_as_string=True)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as exc:
        raise ReadError(f"table {table!r} could not be read: {_first_line(exc)}", path) from None
    columns = [str(c) for c in meta["fields"]]
    values = {c: _python_values(array) for c, array in zip(columns, data, strict=True)}
    return Table(columns, values, source=f"{path} {table}")


def _python_values(array: np.ndarray) -> list[Any]:
    """Plain Python values (None for null and NaN)."""
    if array.dtype.kind == "f":
        out: list[Any] = array.tolist()
        return [None if v is None or not math.isfinite(v) else v for v in out]
    if array.dtype.kind in "iub":
        return array.tolist()
    return [None if v is None or (isinstance(v, float) and not math.isfinite(v))
            else v if isinstance(v, (str, int, float, bool)) else str(v)
            for v in array.tolist()]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
