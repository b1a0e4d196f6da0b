"""IFC files written with ifcopenshell's API: objects, attributes and placement."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cimviewer.io.errors import ReadError
from cimviewer.io.ifc.reader import IFC_LOD, read_ifc
from cimviewer.io.registry import detect_format, read_dataset
from cimviewer.io.summary import summarize_path
from tests.io.ifcfiles import WALL_CORNER, build_ifc

E0, N0, H0 = 500_000.0, 4_000_000.0, 50.0
COS30, SIN30 = math.cos(math.radians(30)), math.sin(math.radians(30))


def _conversion(scale: float | None, angle: float = 30.0) -> dict:
    out = {"Eastings": E0, "Northings": N0, "OrthogonalHeight": H0,
           "XAxisAbscissa": math.cos(math.radians(angle)),
           "XAxisOrdinate": math.sin(math.radians(angle))}
    if scale is not None:
        out["Scale"] = scale
    return out


def _index(model, name: str) -> int:
    return next(i for i, a in enumerate(model.objects.attributes) if a.get("Name") == name)


def _object_vertices(model, index: int) -> np.ndarray:
    mesh = model.meshes[IFC_LOD]
    return mesh.vertices[np.unique(mesh.triangles[mesh.tri_object == index])]


def _has_point(points: np.ndarray, expected, tolerance: float = 1e-6) -> bool:
    return bool(np.min(np.linalg.norm(points - np.asarray(expected), axis=1)) < tolerance)


def _corner_after(x0: float, y0: float, z0: float, angle_deg: float, scale: float = 1.0):
    """The ground wall's far corner placed by hand: offset + scale * R(angle) @ corner."""
    x, y, z = WALL_CORNER
    c, s = math.cos(math.radians(angle_deg)), math.sin(math.radians(angle_deg))
    return (x0 + scale * (c * x - s * y), y0 + scale * (s * x + c * y), z0 + scale * z)


@pytest.fixture(scope="module")
def map_mm(tmp_path_factory):
    """IFC4 in millimetres, IfcMapConversion 30 degrees with Scale 0.001 (IFC4 reading)."""
    path = tmp_path_factory.mktemp("ifc") / "map_mm.ifc"
    return build_ifc(path, millimetres=True, map_conversion=_conversion(0.001),
                     crs_name="EPSG:32650")


def test_map_conversion_in_millimetres_places_the_corner_in_metres(map_mm):
    model = read_ifc(map_mm)
    assert model.crs == "EPSG:32650"
    assert model.version == "IFC4"
    wall = _index(model, "Wall 0")
    # E + cos30 * 10 - sin30 * 0.2, N + sin30 * 10 + cos30 * 0.2, H + 3
    expected = (E0 + COS30 * 10 - SIN30 * 0.2, N0 + SIN30 * 10 + COS30 * 0.2, H0 + 3.0)
    assert _has_point(_object_vertices(model, wall), expected)
    # the wall is 10 m long and 3 m high in the map, not 10 km
    box = model.object_bbox(wall)
    assert box[5] - box[2] == pytest.approx(3.0)
    assert model.metadata["placement"]["source"] == "IfcMapConversion"
    assert model.warnings == []


def test_map_conversion_without_scale_still_converts_millimetres(tmp_path):
    """Exporters that leave Scale empty in a millimetre file (Revit) come out the same."""
    path = build_ifc(tmp_path / "noscale.ifc", millimetres=True,
                     map_conversion=_conversion(None), crs_name="EPSG:32650")
    model = read_ifc(path)
    assert _has_point(_object_vertices(model, _index(model, "Wall 0")),
                      _corner_after(E0, N0, H0, 30.0))


def test_map_conversion_scale_factor_in_a_metre_file(tmp_path):
    path = build_ifc(tmp_path / "scaled.ifc", map_conversion=_conversion(2.0, angle=-45.0),
                     crs_name="EPSG:32650")
    model = read_ifc(path)
    assert _has_point(_object_vertices(model, _index(model, "Wall 0")),
                      _corner_after(E0, N0, H0, -45.0, scale=2.0))


def test_ifc2x3_epset_map_conversion(tmp_path):
    path = build_ifc(tmp_path / "x3.ifc", schema="IFC2X3", crs_name="EPSG:32650",
                     epset_map={"Eastings": E0, "Northings": N0, "OrthogonalHeight": H0,
                                "XAxisAbscissa": 0.0, "XAxisOrdinate": 1.0})
    model = read_ifc(path)
    assert model.version == "IFC2X3" and model.crs == "EPSG:32650"
    assert model.metadata["placement"]["source"] == "ePSet_MapConversion"
    assert _has_point(_object_vertices(model, _index(model, "Wall 0")),
                      _corner_after(E0, N0, H0, 90.0))
    assert model.objects.type_counts()["IfcWall"] == 2


def test_site_latitude_longitude_with_true_north(tmp_path):
    from pyproj import Transformer

    # 39 deg 54' N, 116 deg 23' E (Beijing), 45 m; true north 30 deg anticlockwise of +y
    path = build_ifc(tmp_path / "site.ifc", ref_latlon=((39, 54, 0), (116, 23, 0), 45.0),
                     true_north=(-SIN30, COS30))
    model = read_ifc(path)
    assert model.crs == "EPSG:32650"  # the UTM zone of that point
    lat, lon = 39 + 54 / 60, 116 + 23 / 60
    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32650", always_xy=True)
    e, n = to_utm.transform(lon, lat)
    # geographic north on the grid, 1 km up the meridian (grid convergence)
    e2, n2 = to_utm.transform(lon, lat + 1000 / 111_000)
    convergence = math.degrees(math.atan2(-(e2 - e), n2 - n))
    assert abs(convergence) < 2.0
    expected = _corner_after(e, n, 45.0, convergence - 30.0)
    # a tenth of a millimetre: the convergence is measured over a shorter step there
    assert _has_point(_object_vertices(model, _index(model, "Wall 0")), expected, 1e-4)


def test_no_placement_warns_and_keeps_model_coordinates(tmp_path):
    model = read_ifc(build_ifc(tmp_path / "plain.ifc"))
    assert model.crs is None
    assert any("placement unknown" in w for w in model.warnings)
    assert _has_point(_object_vertices(model, _index(model, "Wall 0")), WALL_CORNER)


def test_user_placement_options(tmp_path):
    path = build_ifc(tmp_path / "plain.ifc", millimetres=True)
    options = {"origin_x": 1000.0, "origin_y": 2000.0, "origin_z": 10.0, "rotation": 90.0,
               "crs": "EPSG:4547"}
    model = read_dataset(path, options=options)
    assert model.crs == "EPSG:4547"
    assert not any("placement unknown" in w for w in model.warnings)
    # rotated 90 degrees: (10, 0.2) -> (-0.2, 10)
    assert _has_point(_object_vertices(model, _index(model, "Wall 0")),
                      (1000.0 - 0.2, 2000.0 + 10.0, 13.0))


def test_user_options_override_the_file(map_mm):
    model = read_dataset(map_mm, options={"origin_x": 10.0, "origin_y": 20.0})
    assert model.crs == "EPSG:32650"  # the file's CRS, the user's origin
    assert _has_point(_object_vertices(model, _index(model, "Wall 0")), _corner_after(
        10.0, 20.0, 0.0, 0.0))
    other = read_dataset(map_mm, options={"crs": "EPSG:4547"})
    assert other.crs == "EPSG:4547"
    assert _has_point(_object_vertices(other, _index(other, "Wall 0")),
                      _corner_after(E0, N0, H0, 30.0))


def test_objects_types_attributes_and_storeys(map_mm):
    model = read_ifc(map_mm)
    objects = model.objects
    assert objects.type_counts() == {"IfcBuilding": 1, "IfcBuildingStorey": 2, "IfcSite": 1,
                                     "IfcSlab": 2, "IfcSpace": 1, "IfcWall": 2}
    wall = _index(model, "Wall 0")
    attrs = objects.attributes[wall]
    assert attrs["Storey"] == "Ground" and attrs["IfcClass"] == "IfcWall"
    assert attrs["Pset_WallCommon.IsExternal"] is True
    assert attrs["Pset_WallCommon.FireRating"] == "F90"
    assert objects.ids[wall] == attrs["GlobalId"] and len(attrs["GlobalId"]) == 22
    ground, first = _index(model, "Ground"), _index(model, "First")
    building = _index(model, "Block A")
    assert objects.parents[wall] == [ground]
    assert objects.parents[ground] == [building] and objects.parents[first] == [building]
    assert objects.attributes[first]["Elevation"] == pytest.approx(3.0)  # metres, not mm
    assert objects.types[ground] == "IfcBuildingStorey"
    space = _index(model, "Room 1")
    assert objects.types[space] == "IfcSpace" and objects.parents[space] == [ground]
    assert set(objects.descendants_of(building)) >= {ground, first, wall, space}
    assert model.hidden_types == ["IfcSpace"]
    # the storey's box is its elements' box
    assert model.object_bbox(ground)[5] == pytest.approx(H0 + 3.0)


def test_surface_style_colour_and_class_colours(map_mm):
    model = read_ifc(map_mm)
    mesh = model.meshes[IFC_LOD]
    red = mesh.tri_color[mesh.tri_object == _index(model, "Wall 1")]
    assert (red == [255, 0, 0]).all()
    plain = mesh.tri_color[mesh.tri_object == _index(model, "Wall 0")]
    assert len(plain) and not (plain == [255, 0, 0]).all(axis=1).any()
    assert mesh.tri_has_color.all()
    space = mesh.tri_object == _index(model, "Room 1")
    assert (mesh.tri_opacity[space] < 255).all()  # spaces are see-through
    mesh.validate()


def test_info_json_keys(map_mm, tmp_path):
    info = summarize_path(map_mm)
    assert info["format"] == "IFC" and info["crs"] == "EPSG:32650"
    assert info["types"]["IfcWall"] == 2 and info["types"]["IfcBuildingStorey"] == 2
    assert info["lods"] == [IFC_LOD]
    assert info["bbox"][0] == pytest.approx(E0 - 8 * SIN30, abs=1e-6)
    assert info["triangles"] > 0 and info["vertices"] > 0
    # sniffed by its STEP header whatever the suffix
    other = tmp_path / "building.step"
    other.write_bytes(map_mm.read_bytes())
    assert detect_format(other) == "ifc"


@pytest.mark.parametrize("content, message", [
    (b"hello, not a model\n", "does not start with ISO-10303-21"),
    (b"ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION((),\n", "not a readable IFC file"),
    (b"ISO-10303-21;\nHEADER;\nFILE_DESCRIPTION(('x'),'2;1');\nFILE_NAME('a','b',(''),(''),"
     b"'','','');\nFILE_SCHEMA(('IFC9'));\nENDSEC;\nDATA;\nENDSEC;\nEND-ISO-10303-21;\n",
     "schema not supported"),
])
def test_broken_files_are_one_line_errors(tmp_path, content, message):
    path = tmp_path / "broken.ifc"
    path.write_bytes(content)
    with pytest.raises(ReadError) as err:
        read_dataset(path)
    text = str(err.value)
    assert message in text and str(path) in text and "\n" not in text


def test_an_element_whose_geometry_fails_is_reported_and_the_rest_loads(tmp_path):
    import ifcopenshell
    from ifcopenshell.api import run

    path = build_ifc(tmp_path / "bad.ifc")
    f = ifcopenshell.open(str(path))
    body = next(c for c in f.by_type("IfcGeometricRepresentationSubContext")
                if c.ContextIdentifier == "Body")
    wall = run("root.create_entity", f, ifc_class="IfcWall", name="Broken")
    points = [f.createIfcCartesianPoint((0.0, 0.0)), f.createIfcCartesianPoint((0.0, 0.0))]
    profile = f.createIfcArbitraryClosedProfileDef("AREA", None, f.createIfcPolyline(points))
    solid = f.createIfcExtrudedAreaSolid(profile, None, f.createIfcDirection((0.0, 0.0, 1.0)),
                                         0.0)  # a profile without area, extruded by nothing
    shape = f.createIfcShapeRepresentation(body, "Body", "SweptSolid", [solid])
    wall.Representation = f.createIfcProductDefinitionShape(None, None, [shape])
    run("geometry.edit_object_placement", f, product=wall, matrix=np.eye(4))
    f.write(str(path))
    model = read_dataset(path)
    broken = _index(model, "Broken")
    assert model.problem_counts() == {"GEOMETRY_NOT_TRIANGULATED": 1}
    assert model.problem_objects["GEOMETRY_NOT_TRIANGULATED"].tolist() == [broken]
    assert any(model.objects.ids[broken] in p for p in model.problems)
    assert model.objects.type_counts()["IfcWall"] == 3  # still an object, without triangles
    assert len(_object_vertices(model, _index(model, "Wall 0"))) == 8
    assert model.appearance["materials"] == 1  # the red surface style


def test_map_conversion_agrees_with_ifcopenshell_without_a_named_crs(tmp_path):
    """No CRS and no MapUnit: Eastings are in the file's unit (millimetres here), as
    ifcopenshell's own georeferencing helper reads them; the result is in metres."""
    import ifcopenshell
    import ifcopenshell.geom
    from ifcopenshell.util.geolocation import auto_xyz2enh

    conversion = {"Eastings": 15000.0, "Northings": 2000.0, "OrthogonalHeight": 500.0,
                  "XAxisAbscissa": COS30, "XAxisOrdinate": -SIN30}
    path = build_ifc(tmp_path / "nocrs.ifc", millimetres=True, map_conversion=conversion,
                     crs_name="")
    model = read_ifc(path)
    assert model.crs is None
    assert any("without a named CRS" in w for w in model.warnings)
    ifc = ifcopenshell.open(str(path))
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    settings.set("convert-back-units", True)  # file units, as the helper expects
    iterator = ifcopenshell.geom.iterator(settings, ifc, 1)
    assert iterator.initialize()
    checked = 0
    while True:
        shape = iterator.get()
        local = np.frombuffer(shape.geometry.verts_buffer, np.float64).reshape(-1, 3)
        theirs = np.array([auto_xyz2enh(ifc, *p) for p in local]) * 0.001  # mm -> m
        ours = _object_vertices(model, model.objects.index_of(shape.guid))
        if shape.type != "IfcSpace":
            for point in theirs:
                assert _has_point(ours, point, 1e-6)
            checked += 1
        if not iterator.next():
            break
    assert checked == 4
    # 15 m east, 2 m north, 0.5 m up: the wall's origin corner
    assert _has_point(_object_vertices(model, _index(model, "Wall 0")), (15.0, 2.0, 0.5))


def test_reading_can_be_cancelled(map_mm):
    from cimviewer.io.ifc.reader import ReadCancelledError

    seen: list[float] = []
    with pytest.raises(ReadCancelledError):
        read_ifc(map_mm, progress=seen.append, cancelled=lambda: bool(seen))
    assert seen and seen[0] == 0.0
