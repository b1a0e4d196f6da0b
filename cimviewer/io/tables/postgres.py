"""PostgreSQL tables through psycopg 3, with the password kept outside the project.

The password comes from, in order: the one given for this session (the join dialog
asks for it), the system keyring (service ``cimviewer-postgres``, account
``user@host:port``), the ``PGPASSWORD`` environment variable; else libpq's own ways
(``~/.pgpass``, trust or peer authentication) apply. Every wait is bounded: the
connection by :data:`CONNECT_TIMEOUT`, the query by :data:`STATEMENT_TIMEOUT_MS`.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import math
import os
import uuid
from typing import Any

from cimviewer.core.joins import JoinSpec, Table
from cimviewer.io.errors import ReadError
from cimviewer.io.secrets import SecretStoreUnavailableError, load_secret, store_secret

SERVICE = "cimviewer-postgres"
CONNECT_TIMEOUT = 10  # seconds
STATEMENT_TIMEOUT_MS = 120_000
#: passwords given in this session: {account: password}; never written anywhere
_session: dict[str, str] = {}


class DatabaseError(ReadError):
    """A PostgreSQL table could not be read: one line naming the server and the problem."""

    def __init__(self, message: str, spec: JoinSpec) -> None:
        self.spec = spec
        super().__init__(message, None, None)
        self.args = (f"{server(spec)}: {message}",)

    def one_line(self) -> str:
        return f"{server(getattr(self, 'spec', None))}: {self.message}"


def server(spec: JoinSpec | None) -> str:
    if spec is None:
        return "PostgreSQL"
    who = f"{spec.user}@" if spec.user else ""
    return f"PostgreSQL {who}{spec.host}:{spec.port}/{spec.dbname}"


def account(spec: JoinSpec) -> str:
    return f"{spec.user or ''}@{spec.host}:{spec.port}"


def remember_for_session(spec: JoinSpec, password: str) -> None:
    """Use ``password`` for this server and user until the app quits."""
    _session[account(spec)] = password


def forget_session_passwords() -> None:
    _session.clear()


def store_in_keyring(spec: JoinSpec, password: str) -> None:
    """Save the password in the system keyring (raises SecretStoreUnavailableError)."""
    store_secret(SERVICE, account(spec), password)


def password_for(spec: JoinSpec, given: str | None = None) -> tuple[str | None, str]:
    """The password to use and where it came from ("given", "session", "keyring",
    "environment" or "none")."""
    if given:
        return given, "given"
    if account(spec) in _session:
        return _session[account(spec)], "session"
    try:
        saved = load_secret(SERVICE, account(spec))
    except SecretStoreUnavailableError:
        saved = None
    if saved:
        return saved, "keyring"
    if os.environ.get("PGPASSWORD"):
        return os.environ["PGPASSWORD"], "environment"
    return None, "none"


def connect(spec: JoinSpec, password: str | None = None):
    """An open connection (read-only, bounded statements). Raises DatabaseError."""
    import psycopg

    secret, _where = password_for(spec, password)
    params: dict[str, Any] = {"host": spec.host, "port": spec.port, "dbname": spec.dbname,
                              "connect_timeout": CONNECT_TIMEOUT,
                              "application_name": "cimviewer",
                              "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS} "
                                         "-c default_transaction_read_only=on"}
    if spec.user:
        params["user"] = spec.user
    if secret is not None:
        params["password"] = secret
    try:
        return psycopg.connect(**params)
    except psycopg.Error as exc:
        raise DatabaseError(connection_problem(str(exc), spec), spec) from None


def connection_problem(text: str, spec: JoinSpec) -> str:
    """libpq's message in one line a planner can act on."""
    low = text.lower()
    where = f"{spec.host}:{spec.port}"
    if "password authentication failed" in low or "authentication failed" in low:
        return f"authentication failed for user {spec.user!r} (wrong password?)"
    if "no password supplied" in low or "password is required" in low:
        return (f"the server asks for a password for user {spec.user!r}: give it in the "
                "join dialog, save it in the keyring, or set PGPASSWORD")
    if "connection refused" in low:
        return f"connection refused at {where} (is PostgreSQL running there?)"
    if "timeout expired" in low or "timed out" in low:
        return f"no answer from {where} within {CONNECT_TIMEOUT} s"
    if "could not translate host name" in low or "name or service not known" in low:
        return f"unknown host {spec.host!r}"
    if "does not exist" in low and "database" in low:
        return f"database {spec.dbname!r} does not exist"
    if "role" in low and "does not exist" in low:
        return f"user {spec.user!r} does not exist on the server"
    return f"could not connect: {text.strip().splitlines()[-1] if text.strip() else 'error'}"


def _identifier(table: str):
    from psycopg import sql

    parts = [p for p in table.split(".") if p]
    if not 1 <= len(parts) <= 2:
        raise ValueError(f"table name {table!r} must be TABLE or SCHEMA.TABLE")
    return sql.Identifier(*parts)


def table_names(spec: JoinSpec, password: str | None = None) -> list[str]:
    """The tables and views the user can read (schema-qualified outside ``public``)."""
    import psycopg

    with connect(spec, password) as conn:
        try:
            rows = conn.execute(
                "SELECT table_schema, table_name FROM information_schema.tables "
                "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') "
                "ORDER BY table_schema <> 'public', table_schema, table_name").fetchall()
        except psycopg.Error as exc:
            raise DatabaseError(f"tables could not be listed: "
                                f"{str(exc).strip().splitlines()[0]}", spec) from None
    return [name if schema == "public" else f"{schema}.{name}" for schema, name in rows]


def read_pg_table(spec: JoinSpec, password: str | None = None) -> Table:
    """Every row of ``spec.table`` (all columns). Raises DatabaseError (one line)."""
    import psycopg
    from psycopg import sql

    table = spec.table or ""
    try:
        query = sql.SQL("SELECT * FROM {}").format(_identifier(table))
    except ValueError as exc:
        raise DatabaseError(str(exc), spec) from None
    with connect(spec, password) as conn:
        try:
            cursor = conn.execute(query)
            rows = cursor.fetchall()
        except psycopg.errors.UndefinedTable:
            raise DatabaseError(f"table {table!r} does not exist in database "
                                f"{spec.dbname!r}", spec) from None
        except psycopg.errors.InsufficientPrivilege:
            raise DatabaseError(f"user {spec.user!r} may not read table {table!r}",
                                spec) from None
        except psycopg.errors.QueryCanceled:
            raise DatabaseError(f"reading table {table!r} took longer than "
                                f"{STATEMENT_TIMEOUT_MS // 1000} s", spec) from None
        except psycopg.Error as exc:
            raise DatabaseError(f"table {table!r} could not be read: "
                                f"{str(exc).strip().splitlines()[0]}", spec) from None
        columns = [c.name for c in cursor.description or []]
    values = {c: [_python(row[i]) for row in rows] for i, c in enumerate(columns)}
    return Table(columns, values, source=f"{server(spec)} {table}")


def _python(value: Any) -> Any:
    """A database value as an attribute value: numbers, text, booleans; None for null."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, decimal.Decimal):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, (_dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return None  # binary (a geometry in WKB, a blob): not an attribute
    return str(value)
