"""A throwaway PostgreSQL cluster on loopback for the join tests (one per session;
the ``pg_server`` fixture, registered in ``tests/conftest.py``).

``scripts/dev.py`` installs the Debian ``postgresql`` package; the server binaries are
found in ``/usr/lib/postgresql/*/bin`` (or on PATH). PostgreSQL refuses to run as root:
as root (here and in CI) initdb and pg_ctl run as the ``postgres`` system user through
``runuser``, in a temporary folder given to that user. Authentication is
scram-sha-256 with a password, so the password path of the app is what is tested.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import typing
from dataclasses import dataclass
from pathlib import Path

import pytest

from cimviewer.testing import free_port

USER = "cim"
PASSWORD = "s3cret-Pw"
DBNAME = "city"


def server_bin() -> Path | None:
    """The folder with initdb and pg_ctl (the newest installed version), or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


@dataclass
class PostgresServer:
    host: str
    port: int
    user: str
    password: str
    dbname: str

    def connect(self):
        import psycopg

        return psycopg.connect(host=self.host, port=self.port, user=self.user,
                               password=self.password, dbname=self.dbname, autocommit=True)


def _run(cmd: list[str], as_postgres: bool, **kwargs) -> subprocess.CompletedProcess:
    if as_postgres:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=60,
                          **kwargs)


@pytest.fixture(scope="session")
def pg_server() -> PostgresServer:
    """A real PostgreSQL on 127.0.0.1 with user ``cim`` (password auth) and a database
    ``city`` holding ``households`` and ``planning.parcels``."""
    bindir = server_bin()
    if bindir is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl): install the "
                    "Debian package postgresql (scripts/dev.py test does)")
    as_root = os.name != "nt" and os.geteuid() == 0
    # as root, in /tmp itself: the postgres user must reach the folder (a TMPDIR under
    # root's own folders would not let it)
    folder = Path(tempfile.mkdtemp(prefix="cim-pg-", dir="/tmp" if as_root else None))
    data = folder / "data"
    pwfile = folder / "pw"
    pwfile.write_text(PASSWORD + "\n")
    if as_root:
        shutil.chown(folder, "postgres", "postgres")
        shutil.chown(pwfile, "postgres", "postgres")
    port = free_port()
    try:
        _run([str(bindir / "initdb"), "-D", str(data), "-U", USER, f"--pwfile={pwfile}",
              "--auth=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"], as_root)
        options = (f"-h 127.0.0.1 -p {port} -k {folder} -F "
                   "-c shared_buffers=16MB -c max_connections=20")
        _run([str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l",
              str(folder / "log"), "-w", "-t", "30", "start"], as_root)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
        log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"PostgreSQL did not start: {getattr(exc, 'stderr', '')} {log}"
                           ) from exc
    server = PostgresServer("127.0.0.1", port, USER, PASSWORD, "postgres")
    try:
        with server.connect() as conn:
            conn.execute(f"CREATE DATABASE {DBNAME}")
        server.dbname = DBNAME
        with server.connect() as conn:
            conn.execute("CREATE TABLE households (building_id text PRIMARY KEY, "
                         "people integer, income numeric(10, 2), district text)")
            conn.execute("INSERT INTO households VALUES ('B0', 4, 5200.50, '东城'), "
                         "('B1', 2, 3100.00, '西城'), ('B2', NULL, 8000.25, '东城'), "
                         "('X9', 1, 10.00, '朝阳')")
            conn.execute("CREATE SCHEMA planning")
            conn.execute("CREATE TABLE planning.parcels (pid integer, zoning text)")
            conn.execute("INSERT INTO planning.parcels VALUES (0, 'R2'), (1, 'C1')")
        yield server
    finally:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            _run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                 as_root)
        shutil.rmtree(folder, ignore_errors=True)


class MemoryKeyring:
    """A keyring backend that keeps passwords in memory (the system keyring's API)."""

    def __init__(self):
        from keyring.backend import KeyringBackend

        class Backend(KeyringBackend):
            priority = 1
            store: typing.ClassVar[dict] = {}

            def get_password(self, service, username):
                return self.store.get((service, username))

            def set_password(self, service, username, password):
                self.store[(service, username)] = password

            def delete_password(self, service, username):
                self.store.pop((service, username), None)

        self.backend = Backend()


@pytest.fixture
def memory_keyring():
    import keyring

    before = keyring.get_keyring()
    ring = MemoryKeyring().backend
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)
