"""CityGML reader: real sample files, a generated streaming file, and malformed input."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from lxml import etree

from cimviewer.core.semantics import SEMANTIC_CODES
from cimviewer.io.citygml import objects as citygml_objects
from cimviewer.io.citygml.reader import ReadCancelledError, crs_from_srs_name, read_citygml
from cimviewer.io.errors import ReadError

REAL_FILES = [
    "Building_LOD3-EPSG25832.v2.gml",
    "Building_and_garage_LOD2-EPSG25832.v3.gml",
    "FZK-Haus-LoD1.v3.gml",
    "FZK-Haus-LoD2.v3.gml",
]
NS2 = {
    "": "http://www.opengis.net/citygml/2.0",
    "bldg": "http://www.opengis.net/citygml/building/2.0",
    "gen": "http://www.opengis.net/citygml/generics/2.0",
    "gml": "http://www.opengis.net/gml",
    "xlink": "http://www.w3.org/1999/xlink",
}


# -- independent helpers (lxml xpath, no reader code) --------------------------------------


def _xpath(tree, expr: str) -> list:
    return tree.xpath(expr)


def _top_level_types(tree) -> dict[str, int]:
    counts: dict[str, int] = {}
    for el in _xpath(tree, "/*/*[local-name()='cityObjectMember']/*"):
        name = etree.QName(el).localname
        counts[name] = counts.get(name, 0) + 1
    parts = len(_xpath(tree, "//*[local-name()='BuildingPart']"))
    if parts:
        counts["BuildingPart"] = parts
    return dict(sorted(counts.items()))


def _ring_coords(ring) -> np.ndarray:
    pos_list = ring.xpath("./*[local-name()='posList']")
    if pos_list:
        values = [float(v) for v in pos_list[0].text.split()]
    else:
        values = [float(v) for p in ring.xpath("./*[local-name()='pos']") for v in p.text.split()]
    return np.array(values).reshape(-1, 3)


def _polygon_area(polygon) -> float:
    """Area of a planar 3D polygon with holes (Newell normal length / 2 per ring)."""
    total = 0.0
    for kind in ("exterior", "interior"):
        for ring in polygon.xpath(f"./*[local-name()='{kind}']/*[local-name()='LinearRing']"):
            pts = _ring_coords(ring)
            nxt = np.roll(pts, -1, axis=0)
            normal = np.cross(pts, nxt).sum(axis=0) / 2
            total += np.linalg.norm(normal) * (1 if kind == "exterior" else -1)
    return total


def _triangle_areas(mesh, mask=None) -> np.ndarray:
    tris = mesh.triangles if mask is None else mesh.triangles[mask]
    a, b, c = (mesh.vertices[tris[:, i]] for i in range(3))
    return np.linalg.norm(np.cross(b - a, c - a), axis=1) / 2


def _signed_volume(mesh, mask) -> float:
    tris = mesh.triangles[mask]
    centre = mesh.vertices.mean(axis=0)
    a, b, c = (mesh.vertices[tris[:, i]] - centre for i in range(3))
    return float(np.einsum("ij,ij->i", a, np.cross(b, c)).sum() / 6)


# -- real files ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_file_objects_lods_crs(shared_data: Path, name: str) -> None:
    path = shared_data / "citygml" / name
    tree = etree.parse(str(path))
    model = read_citygml(path)

    assert model.source_format == "CityGML"
    assert model.version == ("2.0" if name.endswith(".v2.gml") else "3.0")
    assert model.objects.type_counts() == _top_level_types(tree)
    ids = set(model.objects.ids)
    for el in _xpath(tree, "/*/*[local-name()='cityObjectMember']/*"):
        assert el.get("{http://www.opengis.net/gml}id",
                      el.get("{http://www.opengis.net/gml/3.2}id")) in ids
    # the envelope srsName is "...EPSG::25832,...EPSG::5783" or the AdV name of the same
    assert model.crs == "EPSG:25832+5783"

    lods = {el.xpath("local-name()")[3] for el in _xpath(
        tree, "//*[starts-with(local-name(), 'lod') and (contains(local-name(), 'Solid') "
              "or contains(local-name(), 'MultiSurface'))]")}
    lods |= {el.text.strip() for el in _xpath(tree, "//*[local-name()='lod']")}
    assert set(model.meshes) == lods

    lower = np.array(_xpath(tree, "//*[local-name()='lowerCorner']")[0].text.split(), float)
    upper = np.array(_xpath(tree, "//*[local-name()='upperCorner']")[0].text.split(), float)
    for mesh in model.meshes.values():
        mesh.validate()
        assert mesh.n_triangles > 0
        # (the FZK envelope rounds its top to 118.317669 while the roof is at 118.31769)
        assert (mesh.vertices >= lower - 1e-3).all() and (mesh.vertices <= upper + 1e-3).all()
    assert model.n_vertices > 0


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_file_semantic_surfaces(shared_data: Path, name: str) -> None:
    path = shared_data / "citygml" / name
    tree = etree.parse(str(path))
    expected = {etree.QName(el).localname for el in _xpath(
        tree, "//*[local-name()='RoofSurface' or local-name()='WallSurface' or "
              "local-name()='GroundSurface' or local-name()='Window' or local-name()='Door']")}
    model = read_citygml(path)
    found = set()
    for mesh in model.meshes.values():
        found |= {int(c) for c in np.unique(mesh.tri_semantic)}
    assert {SEMANTIC_CODES[n] for n in expected} <= found


def test_fzk_lod1_box_area_and_volume(shared_data: Path) -> None:
    model = read_citygml(shared_data / "citygml" / "FZK-Haus-LoD1.v3.gml")
    mesh = model.meshes["1"]
    h = 118.31769 - 111.8
    assert _triangle_areas(mesh).sum() == pytest.approx(2 * 12 * 10 + 2 * (12 + 10) * h)
    assert _signed_volume(mesh, mesh.tri_object == 0) == pytest.approx(12 * 10 * h)
    attrs = model.objects.attributes[0]
    assert attrs["name"] == "AC14-FZK-Haus"
    assert attrs["storeysAboveGround"] == 2
    assert attrs["measuredHeight"] == pytest.approx(6.52)
    assert attrs["ConstructionMethod"] == "New Building"
    assert attrs["GrossPlannedArea"] == pytest.approx(120.0)
    assert attrs["function"] == "1000" and attrs["roofType"] == "1030"
    assert "Eggenstein-Leopoldshafen" in attrs["address"]


def test_building_and_part_xlinks_are_not_double_counted(shared_data: Path) -> None:
    path = shared_data / "citygml" / "Building_and_garage_LOD2-EPSG25832.v3.gml"
    tree = etree.parse(str(path))
    model = read_citygml(path)
    mesh = model.meshes["2"]
    building = model.objects.ids.index(
        _xpath(tree, "//*[local-name()='Building']/@*[local-name()='id']")[0])
    part = model.objects.ids.index(
        _xpath(tree, "//*[local-name()='BuildingPart']/@*[local-name()='id']")[0])
    assert model.objects.parents[part] == [building]

    # building: its boundary polygons (not the part's), each once; the solid only xlinks them
    own = _xpath(tree, "//*[local-name()='Building']/*[local-name()='boundary']//"
                       "*[local-name()='Polygon']")
    expected = sum(_polygon_area(p) for p in own)
    assert _triangle_areas(mesh, mesh.tri_object == building).sum() == pytest.approx(expected)
    # part: its own polygons plus the building wall it references through OrientableSurface
    part_polys = _xpath(tree, "//*[local-name()='BuildingPart']//*[local-name()='Polygon']")
    shared_id = _xpath(tree, "//*[local-name()='BuildingPart']//*[local-name()='boundary']//"
                             "*[local-name()='baseSurface']/@*[local-name()='href']")[0][1:]
    shared = _xpath(tree, f"//*[@*[local-name()='id']='{shared_id}']")[0]
    expected = sum(_polygon_area(p) for p in [*part_polys, shared])
    assert _triangle_areas(mesh, mesh.tri_object == part).sum() == pytest.approx(expected)
    # both closed solids with outward faces (the flipped wall included)
    assert _signed_volume(mesh, mesh.tri_object == building) > 0
    assert _signed_volume(mesh, mesh.tri_object == part) > 0


def test_lod3_openings_and_holes(shared_data: Path) -> None:
    path = shared_data / "citygml" / "Building_LOD3-EPSG25832.v2.gml"
    tree = etree.parse(str(path))
    model = read_citygml(path)
    mesh = model.meshes["3"]
    building = model.objects.types.index("Building")
    polys = _xpath(tree, "//*[local-name()='Building']//*[local-name()='boundedBy']//"
                         "*[local-name()='Polygon']")
    expected = sum(_polygon_area(p) for p in polys)
    assert _triangle_areas(mesh, mesh.tri_object == building).sum() == pytest.approx(expected)
    windows = mesh.tri_semantic == SEMANTIC_CODES["Window"]
    n_windows = len(_xpath(tree, "//*[local-name()='Window']//*[local-name()='Polygon']"))
    assert windows.sum() == 2 * n_windows  # each window is one quad


# -- a generated CityGML 2.0 file ----------------------------------------------------------


def _box_polygons(x0: float, y0: float, w: float, d: float, h: float) -> dict[str, list]:
    """Outward-oriented faces of an axis-aligned box, by semantic surface type."""
    p = [(x0, y0, 0), (x0 + w, y0, 0), (x0 + w, y0 + d, 0), (x0, y0 + d, 0)]
    q = [(x, y, h) for x, y, _ in p]
    walls = [[p[i], p[(i + 1) % 4], q[(i + 1) % 4], q[i]] for i in range(4)]
    return {"GroundSurface": [p[::-1]], "RoofSurface": [q], "WallSurface": walls}


def _pos_list(ring: list, use_pos: bool) -> str:
    closed = [*ring, ring[0]]
    if use_pos:
        return "".join(f"<gml:pos>{x} {y} {z}</gml:pos>" for x, y, z in closed)
    text = " ".join(f"{x} {y} {z}" for x, y, z in closed)
    return f'<gml:posList srsDimension="3">{text}</gml:posList>'


def _building(i: int, with_part: bool) -> str:
    h = 5.0 + i % 4
    faces = _box_polygons(i * 20.0, 0.0, 10.0, 8.0, h)
    refs, bounded = [], []
    k = 0
    for kind, rings in faces.items():
        for ring in rings:
            pid = f"b{i}_p{k}"
            k += 1
            refs.append(f'<gml:surfaceMember xlink:href="#{pid}"/>')
            bounded.append(
                f"<bldg:boundedBy><bldg:{kind}><bldg:lod2MultiSurface><gml:MultiSurface>"
                f'<gml:surfaceMember><gml:Polygon gml:id="{pid}"><gml:exterior><gml:LinearRing>'
                f"{_pos_list(ring, use_pos=i % 2 == 1)}</gml:LinearRing></gml:exterior>"
                f"</gml:Polygon></gml:surfaceMember></gml:MultiSurface></bldg:lod2MultiSurface>"
                f"</bldg:{kind}></bldg:boundedBy>")
    part = ""
    if with_part:
        members = "".join(
            f"<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing>"
            f"{_pos_list(ring, False)}</gml:LinearRing></gml:exterior></gml:Polygon>"
            f"</gml:surfaceMember>"
            for rings in _box_polygons(i * 20.0 + 10, 0.0, 4.0, 4.0, 3.0).values()
            for ring in rings)
        part = (f'<bldg:consistsOfBuildingPart><bldg:BuildingPart gml:id="part{i}">'
                f"<bldg:lod1Solid><gml:Solid><gml:exterior><gml:CompositeSurface>{members}"
                f"</gml:CompositeSurface></gml:exterior></gml:Solid></bldg:lod1Solid>"
                f"</bldg:BuildingPart></bldg:consistsOfBuildingPart>")
    return (
        f'<cityObjectMember><bldg:Building gml:id="bldg{i}">'
        f'<gen:stringAttribute name="owner"><gen:value>city {i}</gen:value></gen:stringAttribute>'
        f'<gen:intAttribute name="rank"><gen:value>{i}</gen:value></gen:intAttribute>'
        f"<bldg:measuredHeight uom=\"m\">{h}</bldg:measuredHeight>"
        f"<bldg:lod2Solid><gml:Solid><gml:exterior><gml:CompositeSurface>{''.join(refs)}"
        f"</gml:CompositeSurface></gml:exterior></gml:Solid></bldg:lod2Solid>"
        f"{''.join(bounded)}{part}</bldg:Building></cityObjectMember>")


def _write_city(path: Path, n: int, srs: str = "urn:ogc:def:crs:EPSG::25832",
                extra: str = "") -> Path:
    ns = " ".join(f'xmlns{":" + k if k else ""}="{v}"' for k, v in NS2.items())
    with path.open("w", encoding="utf-8") as fh:
        fh.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<CityModel {ns}>\n')
        fh.write(f'<gml:boundedBy><gml:Envelope srsName="{srs}" srsDimension="3">'
                 f"<gml:lowerCorner>0 0 0</gml:lowerCorner><gml:upperCorner>{n * 20} 8 9"
                 f"</gml:upperCorner></gml:Envelope></gml:boundedBy>\n")
        for i in range(n):
            fh.write(_building(i, with_part=i % 5 == 0) + "\n")
        fh.write(extra + "</CityModel>\n")
    return path


def test_generated_file_streams_with_correct_counts(tmp_path: Path) -> None:
    n = 400
    path = _write_city(tmp_path / "city.gml", n)
    seen: list[float] = []
    model = read_citygml(path, progress=seen.append)

    n_parts = len(range(0, n, 5))
    assert model.objects.type_counts() == {"Building": n, "BuildingPart": n_parts}
    assert model.crs == "EPSG:25832"
    assert model.version == "2.0"
    assert sorted(model.meshes) == ["1", "2"]
    lod2, lod1 = model.meshes["2"], model.meshes["1"]
    # 6 quads per box, each taken once although the solid xlinks every boundary polygon
    assert lod2.n_triangles == 12 * n
    assert lod1.n_triangles == 12 * n_parts
    assert model.n_vertices == 24 * (n + n_parts)
    assert np.bincount(lod2.tri_semantic, minlength=4)[1:4].tolist() == [2 * n, 8 * n, 2 * n]
    for i in (0, 1, 7, n - 1):
        index = model.objects.ids.index(f"bldg{i}")
        h = 5.0 + i % 4
        assert _signed_volume(lod2, lod2.tri_object == index) == pytest.approx(80 * h)
        assert model.objects.attributes[index] == {"owner": f"city {i}", "rank": i,
                                                   "measuredHeight": h}
    part = model.objects.ids.index("part5")
    assert model.objects.parents[part] == [model.objects.ids.index("bldg5")]
    assert _signed_volume(lod1, lod1.tri_object == part) == pytest.approx(48.0)
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)


def test_streaming_clears_processed_members(tmp_path: Path, monkeypatch) -> None:
    """While reading member k, the members before it are gone: memory stays flat.

    Members after it may already be parsed (the parser reads ahead in blocks), so the
    root holds a bounded handful of members, never all of them.
    """
    path = _write_city(tmp_path / "city.gml", 200)
    original = citygml_objects.ObjectWalker.read
    root_sizes: list[int] = []

    def spy(self, element):
        root_sizes.append(len(element.getparent().getparent()))
        return original(self, element)

    monkeypatch.setattr(citygml_objects.ObjectWalker, "read", spy)
    model = read_citygml(path)
    assert len(root_sizes) == 200 and len(model.objects) == 240
    assert max(root_sizes) < 25
    assert max(root_sizes[-100:]) <= max(root_sizes[:100])


def test_cancel_stops_the_read(tmp_path: Path) -> None:
    path = _write_city(tmp_path / "city.gml", 50)
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) >= 3

    with pytest.raises(ReadCancelledError):
        read_citygml(path, cancelled=cancelled)
    assert len(calls) == 3


def test_polygon_with_hole_area(tmp_path: Path) -> None:
    roof = ("<cityObjectMember><bldg:Building gml:id=\"h\"><bldg:lod2MultiSurface>"
            "<gml:MultiSurface><gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing>"
            "<gml:posList>0 0 5 10 0 5 10 10 5 0 10 5 0 0 5</gml:posList></gml:LinearRing>"
            "</gml:exterior><gml:interior><gml:LinearRing>"
            "<gml:posList>2 2 5 2 4 5 4 4 5 4 2 5 2 2 5</gml:posList></gml:LinearRing>"
            "</gml:interior></gml:Polygon></gml:surfaceMember></gml:MultiSurface>"
            "</bldg:lod2MultiSurface></bldg:Building></cityObjectMember>")
    model = read_citygml(_write_city(tmp_path / "hole.gml", 0, extra=roof))
    mesh = model.meshes["2"]
    assert _triangle_areas(mesh).sum() == pytest.approx(100 - 4)
    normals = np.cross(*(mesh.vertices[mesh.triangles[:, i]] - mesh.vertices[mesh.triangles[:, 0]]
                         for i in (1, 2)))
    assert (normals[:, 2] > 0).all()  # keeps the exterior ring's (upward) orientation


def test_other_modules_are_counted_with_geometry(tmp_path: Path) -> None:
    extra = (
        '<cityObjectMember><veg:PlantCover xmlns:veg="http://www.opengis.net/citygml/'
        'vegetation/2.0" gml:id="pc1"><veg:lod1MultiSurface><gml:MultiSurface>'
        "<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList "
        'srsDimension="2">0 0 5 0 5 5 0 0</gml:posList></gml:LinearRing></gml:exterior>'
        "</gml:Polygon></gml:surfaceMember></gml:MultiSurface></veg:lod1MultiSurface>"
        "</veg:PlantCover></cityObjectMember>"
        '<cityObjectMember><veg:SolitaryVegetationObject xmlns:veg="http://www.opengis.net/'
        'citygml/vegetation/2.0" gml:id="tree1"><veg:lod2ImplicitRepresentation>'
        "<ImplicitGeometry/></veg:lod2ImplicitRepresentation></veg:SolitaryVegetationObject>"
        "</cityObjectMember>")
    model = read_citygml(_write_city(tmp_path / "veg.gml", 1, extra=extra))
    assert model.objects.type_counts() == {
        "Building": 1, "BuildingPart": 1, "PlantCover": 1, "SolitaryVegetationObject": 1}
    mesh = model.meshes["1"]
    cover = model.objects.ids.index("pc1")
    assert _triangle_areas(mesh, mesh.tri_object == cover).sum() == pytest.approx(12.5)
    assert (mesh.vertices[mesh.triangles[mesh.tri_object == cover]][..., 2] == 0).all()
    assert any("implicit" in w for w in model.warnings)


def test_citygml_1_0_reads(tmp_path: Path) -> None:
    text = _write_city(tmp_path / "a.gml", 3).read_text().replace("/2.0", "/1.0")
    path = tmp_path / "v1.gml"
    path.write_text(text)
    model = read_citygml(path)
    assert model.version == "1.0"
    assert model.objects.type_counts() == {"Building": 3, "BuildingPart": 1}


@pytest.mark.parametrize(("name", "expected"), [
    ("urn:ogc:def:crs:EPSG::25832", "EPSG:25832"),
    ("EPSG:25832", "EPSG:25832"),
    ("http://www.opengis.net/def/crs/EPSG/0/25832", "EPSG:25832"),
    ("urn:ogc:def:crs,crs:EPSG::25832,crs:EPSG::7837", "EPSG:25832+7837"),
    ("urn:adv:crs:ETRS89_UTM32*DE_DHHN2016_NH", "EPSG:25832+7837"),
    ("urn:adv:crs:ETRS89_UTM33", "EPSG:25833"),
    ("urn:adv:crs:Something_Else", None),
    ("local-grid", None),
    (None, None),
])
def test_crs_from_srs_name(name: str | None, expected: str | None) -> None:
    assert crs_from_srs_name(name) == expected


# -- malformed input -----------------------------------------------------------------------


def _ring_city(tmp_path: Path, pos_list: str, name: str = "bad.gml") -> Path:
    obj = ("<cityObjectMember><bldg:Building gml:id=\"x\"><bldg:lod2MultiSurface>"
           "<gml:MultiSurface><gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing>"
           f"\n<gml:posList>{pos_list}</gml:posList></gml:LinearRing></gml:exterior>"
           "</gml:Polygon></gml:surfaceMember></gml:MultiSurface></bldg:lod2MultiSurface>"
           "</bldg:Building></cityObjectMember>")
    return _write_city(tmp_path / name, 2, extra=obj)


@pytest.mark.parametrize(("pos_list", "message"), [
    ("0 0 0 1 0 0 1 1", "not a multiple of srsDimension 3"),
    ("0 0 0 1 0 0 nan 1 0 0 0 0", "NaN"),
    ("0 0 0 1 0 0 1 1 x 0 0 0", "not a number"),
])
def test_bad_coordinates_name_the_line(tmp_path: Path, pos_list: str, message: str) -> None:
    path = _ring_city(tmp_path, pos_list)
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1)
                if text.startswith(f"<gml:posList>{pos_list}"))
    with pytest.raises(ReadError) as info:
        read_citygml(path)
    assert message in str(info.value)
    assert info.value.where == f"<gml:posList> line {line}"
    assert info.value.path == path


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty"),
    (b"this is not xml at all", "not an XML file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "XML"),
    (b'<?xml version="1.0"?><FeatureCollection/>', "root element is <FeatureCollection>"),
    (b'<CityModel xmlns="urn:other"/>', "unknown CityGML namespace"),
    ('<?xml version="1.0" encoding="UTF-8"?><CityModel xmlns="http://www.opengis.net/'
     'citygml/2.0"><gml:name xmlns:gml="http://www.opengis.net/gml">Caf\xe9</gml:name>'
     "</CityModel>".encode("latin-1"), "encoding"),
])
def test_not_citygml(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.gml"
    path.write_bytes(content)
    with pytest.raises(ReadError, match=message):
        read_citygml(path)


def test_truncated_file(tmp_path: Path) -> None:
    data = _write_city(tmp_path / "full.gml", 20).read_bytes()
    path = tmp_path / "cut.gml"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReadError, match="malformed XML") as info:
        read_citygml(path)
    assert "line" in (info.value.where or "")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="does not exist"):
        read_citygml(tmp_path / "nope.gml")


def test_entity_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['<!ENTITY lol "lol">']
    lines += [f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
              for i in range(1, 10)]
    doc = ('<?xml version="1.0"?>\n<!DOCTYPE CityModel [\n' + "\n".join(lines) + "\n]>\n"
           '<CityModel xmlns="http://www.opengis.net/citygml/2.0"><cityObjectMember>'
           '<Building xmlns="http://www.opengis.net/citygml/building/2.0"><name>&lol9;</name>'
           "</Building></cityObjectMember></CityModel>")
    path = tmp_path / "bomb.gml"
    path.write_text(doc)
    start = time.perf_counter()
    with pytest.raises(ReadError, match="DOCTYPE"):
        read_citygml(path)
    assert time.perf_counter() - start < 2.0


def test_external_entity_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    doc = (f'<?xml version="1.0"?><!DOCTYPE CityModel [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
           '<CityModel xmlns="http://www.opengis.net/citygml/2.0"><cityObjectMember>'
           '<Building xmlns="http://www.opengis.net/citygml/building/2.0"><name>&x;</name>'
           "</Building></cityObjectMember></CityModel>")
    path = tmp_path / "xxe.gml"
    path.write_text(doc)
    with pytest.raises(ReadError) as info:
        read_citygml(path)
    assert "TOP SECRET" not in str(info.value)


def test_internal_errors_become_read_errors(tmp_path: Path, monkeypatch) -> None:
    path = _write_city(tmp_path / "city.gml", 2)

    def boom(self, element):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(citygml_objects.ObjectWalker, "read", boom)
    with pytest.raises(ReadError, match="RuntimeError: kaboom"):
        read_citygml(path)


def test_unresolved_xlinks_warn(tmp_path: Path) -> None:
    obj = ('<cityObjectMember><bldg:Building gml:id="y"><bldg:lod2Solid><gml:Solid>'
           '<gml:exterior><gml:CompositeSurface><gml:surfaceMember xlink:href="#elsewhere"/>'
           "</gml:CompositeSurface></gml:exterior></gml:Solid></bldg:lod2Solid>"
           "</bldg:Building></cityObjectMember>")
    model = read_citygml(_write_city(tmp_path / "x.gml", 1, extra=obj))
    assert model.objects.type_counts() == {"Building": 2, "BuildingPart": 1}
    assert any("#elsewhere" in w for w in model.warnings)


def test_crs_from_an_object_envelope_when_the_root_has_none(tmp_path: Path) -> None:
    text = _write_city(tmp_path / "a.gml", 2).read_text()
    start, end = text.index("<gml:boundedBy>"), text.index("</gml:boundedBy>") + 16
    text = text[:start] + text[end:]
    text = text.replace('<bldg:Building gml:id="bldg1">',
                        '<bldg:Building gml:id="bldg1"><gml:boundedBy><gml:Envelope '
                        'srsName="http://www.opengis.net/def/crs/EPSG/0/4547"/></gml:boundedBy>')
    path = tmp_path / "b.gml"
    path.write_text(text)
    assert read_citygml(path).crs == "EPSG:4547"


def _tree(gid: str, lod: int, matrix: str, point: str, prototype: str) -> str:
    return (
        '<cityObjectMember><veg:SolitaryVegetationObject xmlns:veg="http://www.opengis.net/'
        f'citygml/vegetation/2.0" gml:id="{gid}"><veg:lod{lod}ImplicitRepresentation>'
        f"<ImplicitGeometry><mimeType>model/gml</mimeType>"
        f"<transformationMatrix>{matrix}</transformationMatrix>"
        f"{prototype}<referencePoint><gml:Point><gml:pos>{point}</gml:pos></gml:Point>"
        "</referencePoint></ImplicitGeometry></veg:lod"
        f"{lod}ImplicitRepresentation></veg:SolitaryVegetationObject></cityObjectMember>")


def test_implicit_geometry_places_its_prototype(tmp_path: Path) -> None:
    """A 1 x 1 square crown at height 3, placed twice: scaled 2x and turned 90 degrees, at
    two reference points; the second tree refers to the first one's prototype."""
    square = ("<gml:MultiSurface gml:id=\"crown\"><gml:surfaceMember><gml:Polygon>"
              "<gml:exterior><gml:LinearRing><gml:posList>0 0 3 1 0 3 1 1 3 0 1 3 0 0 3"
              "</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>"
              "</gml:surfaceMember></gml:MultiSurface>")
    inline = f"<relativeGMLGeometry>{square}</relativeGMLGeometry>"
    linked = '<relativeGMLGeometry xlink:href="#crown"/>'
    scale_turn = "0 -2 0 0  2 0 0 0  0 0 2 0  0 0 0 1"  # row by row
    extra = (_tree("t1", 2, scale_turn, "100 200 10", inline)
             + _tree("t2", 2, "1 0 0 5  0 1 0 0  0 0 1 0  0 0 0 1", "300 400 20", linked))
    path = _write_city(tmp_path / "trees.gml", 0, extra=extra)
    text = path.read_text()
    if "xmlns:xlink" not in text:
        text = text.replace("<core:CityModel", '<core:CityModel xmlns:xlink='
                            '"http://www.w3.org/1999/xlink"', 1)
        path.write_text(text)
    model = read_citygml(path)
    assert not [w for w in model.warnings if "implicit" in w], model.warnings
    mesh = model.meshes["2"]
    for gid, area, corner in (("t1", 4.0, (100.0, 200.0, 16.0)),
                              ("t2", 1.0, (305.0, 400.0, 23.0))):
        obj = model.objects.ids.index(gid)
        assert _triangle_areas(mesh, mesh.tri_object == obj).sum() == pytest.approx(area)
        placed = mesh.vertices[np.unique(mesh.triangles[mesh.tri_object == obj])]
        assert any(np.allclose(v, corner) for v in placed), placed
    # t1: (1, 0, 3) turned 90 degrees and doubled lands at (0, 2, 6) + the reference point
    t1 = mesh.vertices[np.unique(mesh.triangles[mesh.tri_object == model.objects.ids.index("t1")])]
    assert any(np.allclose(v, (100.0, 202.0, 16.0)) for v in t1)


def test_a_bad_implicit_matrix_is_a_clear_error(tmp_path: Path) -> None:
    square = ("<gml:MultiSurface gml:id=\"c\"><gml:surfaceMember><gml:Polygon><gml:exterior>"
              "<gml:LinearRing><gml:posList>0 0 0 1 0 0 1 1 0 0 0 0</gml:posList>"
              "</gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>"
              "</gml:MultiSurface>")
    extra = _tree("t", 1, "1 0 0", "0 0 0", f"<relativeGMLGeometry>{square}"
                  "</relativeGMLGeometry>")
    with pytest.raises(ReadError, match="expected 16 numbers, found 3"):
        read_citygml(_write_city(tmp_path / "bad.gml", 0, extra=extra))


def test_a_ring_of_two_points_is_skipped_and_reported(tmp_path: Path) -> None:
    """One polygon among many with a ring of 2 distinct points (val3dity TOO_FEW_POINTS)
    no longer costs the file: it is left out, counted, and placed in the file."""
    good = read_citygml(_write_city(tmp_path / "good.gml", 2))
    path = _ring_city(tmp_path, "0 0 0 1 0 0 0 0 0")
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1)
                if text.startswith("<gml:posList>0 0 0 1 0 0 0 0 0"))
    model = read_citygml(path)
    assert model.mesh_for_lod(None).n_triangles == good.mesh_for_lod(None).n_triangles
    assert len(model.objects) == len(good.objects) + 1  # the object is kept
    problem = next(p for p in model.problems if p.startswith("TOO_FEW_POINTS"))
    assert "1 ring(s)" in problem and f"line {line}" in problem
    assert problem in model.warnings
