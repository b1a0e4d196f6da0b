"""Outside tables for joins: CSV, GeoPackage tables and PostgreSQL tables.

:func:`read_table` reads the table a :class:`~cimviewer.core.joins.JoinSpec` names;
:func:`table_names` lists what a GeoPackage or a database offers. Both raise
:class:`~cimviewer.io.errors.ReadError` with one line (missing file, missing table,
connection refused, authentication failed...).
"""

from __future__ import annotations

from pathlib import Path

from cimviewer.core.joins import JoinSpec, Table
from cimviewer.io.errors import reader_errors


def read_table(spec: JoinSpec, password: str | None = None) -> Table:
    """The table of ``spec`` (``password``: for PostgreSQL, else looked up)."""
    if spec.kind == "csv":
        from cimviewer.io.tables.delimited import read_csv

        with reader_errors(spec.path or ""):
            return read_csv(Path(spec.path or ""))
    if spec.kind == "gpkg":
        from cimviewer.io.tables.geopackage import read_gpkg_table

        with reader_errors(spec.path or ""):
            return read_gpkg_table(Path(spec.path or ""), spec.table or "")
    from cimviewer.io.tables.postgres import read_pg_table

    return read_pg_table(spec, password)


def table_names(spec: JoinSpec, password: str | None = None) -> list[str]:
    """Tables a GeoPackage or a database holds (a CSV file is one table: empty list)."""
    if spec.kind == "gpkg":
        from cimviewer.io.tables.geopackage import table_names as gpkg_tables

        with reader_errors(spec.path or ""):
            return gpkg_tables(Path(spec.path or ""))
    if spec.kind == "postgres":
        from cimviewer.io.tables.postgres import table_names as pg_tables

        return pg_tables(spec, password)
    return []
