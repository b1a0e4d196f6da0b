"""Joining PostgreSQL tables (a real server on loopback, password authentication)."""

from __future__ import annotations

import json

import pytest

from cimviewer.core.joins import JoinSpec
from cimviewer.core.layers import CityModelLayer
from cimviewer.io.errors import ReadError
from cimviewer.io.joins import open_join
from cimviewer.io.tables import postgres, read_table, table_names
from cimviewer.testing import free_port, make_city


@pytest.fixture(autouse=True)
def _no_outside_passwords(monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.delenv("PGPASSFILE", raising=False)
    monkeypatch.setenv("PGPASSFILE", "/nonexistent/pgpass")
    postgres.forget_session_passwords()
    yield
    postgres.forget_session_passwords()


def spec_for(server, table="households", **kw) -> JoinSpec:
    return JoinSpec("postgres", kw.pop("table_key", "building_id"), host=server.host,
                    port=server.port, dbname=server.dbname, user=server.user, table=table,
                    **kw)


def test_join_with_password_from_environment(pg_server, monkeypatch):
    monkeypatch.setenv("PGPASSWORD", pg_server.password)
    spec = spec_for(pg_server)
    assert postgres.password_for(spec)[1] == "environment"
    layer = CityModelLayer("city", make_city(4))
    joined = open_join(layer, spec)
    attrs = layer.model.objects.attributes
    assert attrs[0]["people"] == 4 and attrs[0]["income"] == 5200.5
    assert attrs[0]["district"] == "东城"
    assert "people" not in attrs[2] and attrs[2]["income"] == 8000.25  # NULL: no value
    report = joined.report
    assert (report.matched_objects, report.unmatched_rows, report.objects_without_match) == (
        3, 1, 1)


def test_password_from_keyring_and_schema_table(pg_server, memory_keyring):
    spec = spec_for(pg_server, table="planning.parcels", table_key="pid", object_key="plot")
    postgres.store_in_keyring(spec, pg_server.password)
    assert memory_keyring.store[("cimviewer-postgres", f"cim@127.0.0.1:{pg_server.port}")]
    assert postgres.password_for(spec) == (pg_server.password, "keyring")
    assert "planning.parcels" in table_names(spec)
    layer = CityModelLayer("city", make_city(3))
    for i, attrs in enumerate(layer.model.objects.attributes):
        attrs["plot"] = i  # integers in the model and in the table
    open_join(layer, spec)
    assert [a.get("zoning") for a in layer.model.objects.attributes] == ["R2", "C1", None]


def test_session_password_and_clear_errors(pg_server, memory_keyring):
    spec = spec_for(pg_server)
    with pytest.raises(ReadError, match="asks for a password for user 'cim'"):
        read_table(spec)
    with pytest.raises(ReadError, match="authentication failed for user 'cim'"):
        read_table(spec, "wrong")
    postgres.remember_for_session(spec, pg_server.password)
    assert read_table(spec).n_rows == 4
    with pytest.raises(ReadError, match=r"table 'nothing' does not exist in database 'city'"):
        read_table(spec.with_(table="nothing"))
    port = free_port()
    with pytest.raises(ReadError) as info:
        read_table(spec.with_(port=port), pg_server.password)
    assert str(info.value) == (f"PostgreSQL cim@127.0.0.1:{port}/city: connection refused at "
                               f"127.0.0.1:{port} (is PostgreSQL running there?)")


def test_project_keeps_the_connection_not_the_password(pg_server, memory_keyring, tmp_path):
    from cimviewer.core.project import Project
    from cimviewer.io.layers import open_layer
    from cimviewer.io.project.file import open_project, save_project
    from tests.io.project.data import write_cityjson

    city = write_cityjson(tmp_path / "b.city.json", n=3)
    project = Project()
    layer = open_layer(city)
    project.add_layer(layer)
    spec = spec_for(pg_server)
    open_join(layer, spec, pg_server.password)  # typed in the dialog for this call only
    saved = save_project(project, tmp_path / "p.cimproj")
    text = saved.read_text(encoding="utf-8")
    assert pg_server.password not in text
    record = json.loads(text)["layers"][0]["joins"][0]
    assert record == {"kind": "postgres", "host": "127.0.0.1", "port": pg_server.port,
                      "dbname": "city", "user": "cim", "table": "households",
                      "table_key": "building_id", "object_key": "@id"}
    # no password anywhere: the join is reported and kept
    opened = open_project(saved)
    assert len(opened.messages) == 1 and "asks for a password" in opened.messages[0]
    assert not opened.project.layers[0].joins[0].applied
    # with the password in the keyring the project opens with the join applied
    postgres.store_in_keyring(spec, pg_server.password)
    opened = open_project(saved)
    assert opened.messages == []
    layer = opened.project.layers[0]
    ids = layer.model.objects.ids
    assert layer.model.objects.attributes[ids.index("B1")]["district"] == "西城"
