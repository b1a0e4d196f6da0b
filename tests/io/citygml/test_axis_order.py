"""Geographic CRSs in GML put latitude first (EPSG:4326, 6697...): the reader honours the
declared axis order, so a Tokyo building lands in Tokyo and the view can show it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cimviewer.io.citygml.reader import read_citygml

NS = ('xmlns="http://www.opengis.net/citygml/2.0" '
      'xmlns:bldg="http://www.opengis.net/citygml/building/2.0" '
      'xmlns:gml="http://www.opengis.net/gml"')
LAT, LON = 35.679, 139.718  # near Shinjuku, as in the PLATEAU files (EPSG:6697)


def _box(lat0: float, lon0: float, height: float, lat_first: bool) -> str:
    d = 0.0001  # about 10 m
    corners = [(lat0, lon0), (lat0, lon0 + d), (lat0 + d, lon0 + d), (lat0 + d, lon0)]

    def ring(z: float, reverse: bool) -> str:
        pts = corners[::-1] if reverse else corners
        pts = [*pts, pts[0]]
        text = " ".join(f"{a} {b} {z}" if lat_first else f"{b} {a} {z}" for a, b in pts)
        return (f"<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing>"
                f"<gml:posList>{text}</gml:posList></gml:LinearRing></gml:exterior>"
                f"</gml:Polygon></gml:surfaceMember>")
    walls = []
    for i in range(4):
        a, b = corners[i], corners[(i + 1) % 4]
        pts = [(*a, 40.0), (*b, 40.0), (*b, 40.0 + height), (*a, 40.0 + height), (*a, 40.0)]
        text = " ".join(f"{p} {q} {z}" if lat_first else f"{q} {p} {z}" for p, q, z in pts)
        walls.append(f"<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing>"
                     f"<gml:posList>{text}</gml:posList></gml:LinearRing></gml:exterior>"
                     f"</gml:Polygon></gml:surfaceMember>")
    return (f'<cityObjectMember><bldg:Building gml:id="b"><bldg:lod1Solid><gml:Solid>'
            f"<gml:exterior><gml:CompositeSurface>{ring(40.0, True)}"
            f"{ring(40.0 + height, False)}{''.join(walls)}</gml:CompositeSurface>"
            f"</gml:exterior></gml:Solid></bldg:lod1Solid></bldg:Building></cityObjectMember>")


def _write(path: Path, srs: str, lat_first: bool) -> Path:
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n<CityModel {NS}>'
                    f'<gml:boundedBy><gml:Envelope srsName="{srs}" srsDimension="3">'
                    f"<gml:lowerCorner>0 0 0</gml:lowerCorner><gml:upperCorner>1 1 1"
                    f"</gml:upperCorner></gml:Envelope></gml:boundedBy>"
                    f"{_box(LAT, LON, 25.0, lat_first)}</CityModel>\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("srs", ["urn:ogc:def:crs:EPSG::6697", "urn:ogc:def:crs:EPSG::4326",
                                 "http://www.opengis.net/def/crs/EPSG/0/4979"])
def test_latitude_first_crs_is_read_longitude_first(tmp_path, srs):
    model = read_citygml(_write(tmp_path / "tokyo.gml", srs, lat_first=True))
    v = model.mesh_for_lod(None).vertices
    assert v[:, 0].min() == pytest.approx(LON, abs=1e-3)  # x is the longitude
    assert v[:, 1].min() == pytest.approx(LAT, abs=1e-3)
    assert not [w for w in model.warnings if "longitude first" in w]


def test_a_projected_crs_keeps_its_order(tmp_path):
    """Easting, northing stay as written (the swap is for latitude-first CRSs only)."""
    path = tmp_path / "utm.gml"
    text = _write(path, "urn:ogc:def:crs:EPSG::4326", lat_first=True).read_text()
    path.write_text(text.replace("EPSG::4326", "EPSG::32654"), encoding="utf-8")
    v = read_citygml(path).mesh_for_lod(None).vertices
    assert v[:, 0].min() == pytest.approx(LAT, abs=1e-3)


def test_longitude_written_first_despite_the_crs_is_kept_and_reported(tmp_path):
    model = read_citygml(_write(tmp_path / "lonfirst.gml", "urn:ogc:def:crs:EPSG::6697",
                                lat_first=False))
    v = model.mesh_for_lod(None).vertices
    assert v[:, 0].min() == pytest.approx(LON, abs=1e-3)
    assert any("longitude first" in w for w in model.warnings)


@pytest.mark.render
def test_the_tokyo_building_is_drawn(tmp_path):
    """'screenshot' reprojects it to a metric CRS (UTM 54N) and draws it, framed."""
    from cimviewer.core.project import Project
    from cimviewer.io.layers import open_layer
    from cimviewer.render.snapshot import OffscreenView

    layer = open_layer(_write(tmp_path / "tokyo.gml", "urn:ogc:def:crs:EPSG::6697", True))
    bbox = layer.bbox()
    assert 300_000 < bbox[0] < 400_000 and 3_900_000 < bbox[1] < 4_000_000  # UTM 54N
    project = Project()
    project.add_layer(layer)
    view = OffscreenView(project, (200, 200))
    try:
        image = view.image().astype(int)
    finally:
        view.close()
    background = image[0, 0]
    drawn = (np.abs(image - background).sum(axis=2) > 60).mean()
    assert drawn > 0.02
