"""Joining CSV files and GeoPackage tables to city objects, and the joins in projects."""

from __future__ import annotations

import json

import pytest

from cimviewer.core.joins import JoinError, JoinSpec, remove_join, replace_join
from cimviewer.core.layers import CityModelLayer, MissingLayer
from cimviewer.core.project import Project
from cimviewer.core.search import find_objects
from cimviewer.core.style import LayerStyle
from cimviewer.core.styling import legend_entries, numeric_fields, object_colors
from cimviewer.io.errors import ReadError
from cimviewer.io.joins import open_join
from cimviewer.io.tables import read_table
from cimviewer.io.tables.delimited import read_csv
from cimviewer.testing import make_city
from tests.io.project.data import write_cityjson


def city_layer(n: int = 6) -> CityModelLayer:
    return CityModelLayer("city", make_city(n))


def write_people_csv(path, encoding="utf-8-sig"):
    text = ("building_id,people,area,name,code\n"
            "B0,4,120.5,东方小区,0101\n"
            "B1,2,80,西城花园,0102\n"
            "B1,9,99,duplicate,0103\n"      # a second row for B1: the first one wins
            "B3,,60.25,,0104\n"             # no people given: B3 keeps no value
            "Z7,1,10,nowhere,0105\n")       # no such building
    path.write_bytes(text.encode(encoding))
    return path


def test_csv_with_bom_joins_numbers_and_reports(tmp_path):
    path = write_people_csv(tmp_path / "people.csv")
    table = read_csv(path)
    assert table.encoding == "utf-8-sig"
    assert table.columns == ["building_id", "people", "area", "name", "code"]
    assert table.values["people"] == [4, 2, 9, None, 1]          # all whole: integers
    assert table.values["area"] == [120.5, 80.0, 99.0, 60.25, 10.0]
    assert table.values["code"][0] == "0101"                      # a code keeps its zero
    layer = city_layer()
    seen = []
    layer.attribute_changed.connect(seen.append)
    joined = open_join(layer, JoinSpec("csv", "building_id", path=str(path)))
    report = joined.report
    assert (report.rows, report.matched_objects, report.duplicate_keys,
            report.unmatched_rows, report.objects_without_match) == (5, 3, 1, 1, 3)
    attrs = layer.model.objects.attributes
    assert attrs[0]["people"] == 4 and attrs[0]["name"] == "东方小区"
    assert attrs[1]["people"] == 2 and attrs[1]["name"] == "西城花园"  # first row won
    assert "people" not in attrs[3] and attrs[3]["area"] == 60.25
    assert "people" not in attrs[2]
    assert set(seen) >= {"people", "area", "name", "code"}
    assert "people" in numeric_fields(attrs) and "area" in numeric_fields(attrs)


def test_gbk_csv_is_read_and_joined_by_attribute(tmp_path):
    path = tmp_path / "住户.csv"
    path.write_bytes("楼号;人口;区\n10;5;东城\n11;3;西城\n".encode("gbk"))
    table = read_csv(path)
    assert table.encoding == "gb18030"
    assert table.columns == ["楼号", "人口", "区"]
    layer = city_layer(3)
    for i, attrs in enumerate(layer.model.objects.attributes):
        attrs["bldg_no"] = str(10 + i)  # text keys in the model, numbers in the table
    joined = open_join(layer, JoinSpec("csv", "楼号", object_key="bldg_no", path=str(path),
                                       prefix="t_"))
    assert joined.report.matched_objects == 2
    assert joined.report.objects_without_match == 1
    attrs = layer.model.objects.attributes
    assert attrs[0]["t_人口"] == 5 and attrs[1]["t_区"] == "西城"
    assert "t_人口" not in attrs[2]


def test_remove_and_reapply_restore_the_objects_own_values(tmp_path):
    path = tmp_path / "heights.csv"
    path.write_text("id,height,floors\nB0,99.5,30\nB2,77,20\n", encoding="utf-8")
    layer = city_layer(4)
    original = [dict(a) for a in layer.model.objects.attributes]
    first = open_join(layer, JoinSpec("csv", "id", path=str(path)))
    assert layer.model.objects.attributes[0]["height"] == 99.5  # the table wins
    other = tmp_path / "more.csv"
    other.write_text("id,floors,use\nB0,31,office\n", encoding="utf-8")
    open_join(layer, JoinSpec("csv", "id", path=str(other)))
    assert layer.model.objects.attributes[0]["floors"] == 31
    remove_join(layer, 0)  # the first join goes; the second stays, applied again
    attrs = layer.model.objects.attributes
    assert attrs[0]["height"] == original[0]["height"]
    assert attrs[0]["floors"] == 31 and attrs[0]["use"] == "office"
    assert "floors" not in attrs[2]
    assert len(layer.joins) == 1 and first not in layer.joins
    remove_join(layer, 0)
    assert layer.model.objects.attributes == original
    again = open_join(layer, JoinSpec("csv", "id", path=str(path)))
    replace_join(layer, 0, again.spec.with_(fields=("floors",)), again.table)
    attrs = layer.model.objects.attributes
    assert attrs[0]["height"] == original[0]["height"] and attrs[0]["floors"] == 30


def test_clear_errors(tmp_path):
    with pytest.raises(ReadError, match=r"missing\.csv: file does not exist"):
        read_table(JoinSpec("csv", "id", path=str(tmp_path / "missing.csv")))
    path = tmp_path / "t.csv"
    path.write_text("id,v\nB0,1\n", encoding="utf-8")
    layer = city_layer(2)
    with pytest.raises(JoinError, match=r"no column 'bid' \(columns: id, v\)"):
        open_join(layer, JoinSpec("csv", "bid", path=str(path)))
    assert layer.joins == [] and "v" not in layer.model.objects.attributes[0]


def test_geopackage_tables_spatial_and_not(tmp_path):
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    path = tmp_path / "census.gpkg"
    pts = gpd.GeoDataFrame({"bid": ["B0", "B1"], "households": [12, 7]},
                           geometry=[Point(0, 0), Point(1, 1)], crs="EPSG:4547")
    pts.to_file(path, layer="addresses", driver="GPKG")
    pd.DataFrame({"bid": ["B1", "B2"], "rent": [55.5, 41.0]}).to_csv(tmp_path / "x.csv")
    import pyogrio

    pyogrio.write_dataframe(pd.DataFrame({"bid": ["B1", "B2"], "rent": [55.5, 41.0]}),
                            path, layer="rents", driver="GPKG", append=True)
    from cimviewer.io.tables import table_names

    assert set(table_names(JoinSpec("gpkg", "bid", path=str(path), table="x"))) == {
        "addresses", "rents"}
    layer = city_layer(3)
    open_join(layer, JoinSpec("gpkg", "bid", path=str(path), table="addresses"))
    joined = open_join(layer, JoinSpec("gpkg", "bid", path=str(path), table="rents"))
    attrs = layer.model.objects.attributes
    assert attrs[0]["households"] == 12 and attrs[1]["households"] == 7
    assert attrs[1]["rent"] == 55.5 and attrs[2]["rent"] == 41.0
    assert "geometry" not in attrs[0]
    assert joined.report.matched_objects == 2
    with pytest.raises(ReadError, match=r"no table 'nope' \(tables: addresses, rents\)"):
        read_table(JoinSpec("gpkg", "bid", path=str(path), table="nope"))


def test_style_and_search_see_joined_fields(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("id,people,zone\nB0,10,R\nB1,20,C\nB2,30,R\nB3,40,C\n", encoding="utf-8")
    layer = city_layer(4)
    open_join(layer, JoinSpec("csv", "id", path=str(path)))
    attrs = layer.model.objects.attributes
    style = LayerStyle(mode="graduated", attribute="people", classes=2,
                       classification="equal_interval")
    rows = legend_entries(style, attrs)
    assert [label for label, _ in rows] == ["10 – 25", "25 – 40"]
    colors = object_colors(style, attrs)
    assert (colors[0] == colors[1]).all() and (colors[2] == colors[3]).all()
    assert not (colors[0] == colors[3]).all()
    cats = legend_entries(LayerStyle(mode="categorical", attribute="zone"), attrs)
    assert [label for label, _ in cats] == ["R", "C"]
    assert find_objects(layer.model.objects, "30") == [2]
    assert find_objects(layer.model.objects, "c") == [1, 3]


def _project_with_join(folder, csv_path):
    city = write_cityjson(folder / "buildings.city.json", n=3)
    from cimviewer.io.layers import open_layer

    project = Project()
    layer = open_layer(city)
    project.add_layer(layer)
    open_join(layer, JoinSpec("csv", "id", path=str(csv_path), prefix="p_"))
    layer.style = LayerStyle(mode="graduated", attribute="p_people")
    return project, layer


def test_project_keeps_the_join_and_reopens_it(tmp_path):
    from cimviewer.io.project.file import open_project, save_project

    csv_path = tmp_path / "tables" / "people.csv"
    csv_path.parent.mkdir()
    csv_path.write_text("id,people\nB0,5\nB1,7\n", encoding="utf-8")
    project, _layer = _project_with_join(tmp_path, csv_path)
    assert project.modified
    saved = save_project(project, tmp_path / "p.cimproj")
    record = json.loads(saved.read_text(encoding="utf-8"))["layers"][0]
    assert record["joins"] == [{"kind": "csv", "path": "tables/people.csv", "table_key": "id",
                                "object_key": "@id", "prefix": "p_"}]
    opened = open_project(saved)
    assert opened.messages == []
    layer = opened.project.layers[0]
    assert isinstance(layer, CityModelLayer) and len(layer.joins) == 1
    ids = layer.model.objects.ids
    assert layer.model.objects.attributes[ids.index("B1")]["p_people"] == 7
    assert layer.style.attribute == "p_people"


def test_missing_table_at_reopen_is_reported_and_kept(tmp_path):
    from cimviewer.io.project.file import open_project, save_project

    csv_path = tmp_path / "people.csv"
    csv_path.write_text("id,people\nB0,5\n", encoding="utf-8")
    project, _ = _project_with_join(tmp_path, csv_path)
    saved = save_project(project, tmp_path / "p.cimproj")
    csv_path.unlink()
    opened = open_project(saved)
    layer = opened.project.layers[0]
    assert isinstance(layer, CityModelLayer)  # the layer itself still opens
    assert len(opened.messages) == 1
    assert "layers[0].joins[0] (people.csv)" in opened.messages[0]
    assert "file does not exist" in opened.messages[0]
    assert len(layer.joins) == 1 and not layer.joins[0].applied
    (tmp_path / "sub").mkdir()
    again = save_project(opened.project, tmp_path / "sub" / "q.cimproj")
    record = json.loads(again.read_text(encoding="utf-8"))["layers"][0]
    assert record["joins"][0]["path"] == "../people.csv"  # kept, relative to the new place


def test_join_survives_a_missing_layer_and_its_relocation(tmp_path):
    from cimviewer.io.project.file import open_project, save_project
    from cimviewer.io.project.relocate import relocate_missing

    csv_path = tmp_path / "people.csv"
    csv_path.write_text("id,people\nB2,11\n", encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    project, _ = _project_with_join(data, csv_path)
    saved = save_project(project, tmp_path / "p.cimproj")
    moved = tmp_path / "moved"
    data.rename(moved)
    opened = open_project(saved)
    missing = opened.project.layers[0]
    assert isinstance(missing, MissingLayer)
    kept = json.loads(save_project(opened.project, tmp_path / "again.cimproj")
                      .read_text(encoding="utf-8"))["layers"][0]
    assert kept["joins"][0]["path"] == "people.csv"
    assert relocate_missing(opened.project, moved) == 1
    layer = opened.project.layers[0]
    assert isinstance(layer, CityModelLayer) and len(layer.joins) == 1
    ids = layer.model.objects.ids
    assert layer.model.objects.attributes[ids.index("B2")]["p_people"] == 11


def test_layer_read_again_keeps_its_joins(tmp_path):
    """A theme switch reads the layer again and puts it in place through
    relocate.replace_layers: the joined fields are there on the new layer."""
    from cimviewer.io.layers import open_layer
    from cimviewer.io.project.relocate import replace_layers

    csv_path = tmp_path / "people.csv"
    csv_path.write_text("id,people\nB0,5\n", encoding="utf-8")
    project, old = _project_with_join(tmp_path, csv_path)
    csv_path.unlink()  # the table in memory is used, not read again
    new = open_layer(old.source)
    replace_layers(project, {old.uid: new})
    layer = project.layers[0]
    assert layer is new and len(new.joins) == 1 and new.joins[0].applied
    assert new.model.objects.attributes[new.model.objects.ids.index("B0")]["p_people"] == 5


def test_unknown_keys_of_a_saved_join_are_reported_and_kept(tmp_path):
    from cimviewer.io.project.file import open_project, save_project

    csv_path = tmp_path / "people.csv"
    csv_path.write_text("id,people\nB0,5\n", encoding="utf-8")
    project, _ = _project_with_join(tmp_path, csv_path)
    saved = save_project(project, tmp_path / "p.cimproj")
    data = json.loads(saved.read_text(encoding="utf-8"))
    data["layers"][0]["joins"][0]["refresh"] = "hourly"  # from a newer version
    data["layers"][0]["joins"][0]["password"] = "never-read"
    saved.write_text(json.dumps(data), encoding="utf-8")
    opened = open_project(saved)
    assert opened.messages == ["not understood and kept unchanged: layers[0].joins[0].refresh"]
    again = save_project(opened.project, saved)
    entry = json.loads(again.read_text(encoding="utf-8"))["layers"][0]["joins"][0]
    assert entry["refresh"] == "hourly" and "password" not in entry
