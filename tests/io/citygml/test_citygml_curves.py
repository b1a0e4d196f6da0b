"""CityGML curves and points (road centrelines, generic points) are read as lines and
points of their objects, drawn, and picked."""

from __future__ import annotations

import numpy as np
import pytest

from cimviewer.core.layers import CityModelLayer
from cimviewer.core.project import Project
from cimviewer.io.citygml.reader import read_citygml
from cimviewer.io.errors import ReadError
from cimviewer.render.snapshot import OffscreenView

GML = """<?xml version="1.0" encoding="UTF-8"?>
<CityModel xmlns="http://www.opengis.net/citygml/2.0" xmlns:gml="http://www.opengis.net/gml"
 xmlns:tran="http://www.opengis.net/citygml/transportation/2.0"
 xmlns:gen="http://www.opengis.net/citygml/generics/2.0">
<gml:boundedBy><gml:Envelope srsName="urn:ogc:def:crs:EPSG::25832" srsDimension="3">
<gml:lowerCorner>0 0 0</gml:lowerCorner><gml:upperCorner>100 100 10</gml:upperCorner>
</gml:Envelope></gml:boundedBy>
<cityObjectMember><tran:Road gml:id="road1"><tran:lod0Network><gml:CompositeCurve>
<gml:curveMember><gml:LineString><gml:posList srsDimension="3">0 0 0 50 0 0 50 50 0
</gml:posList></gml:LineString></gml:curveMember>
<gml:curveMember><gml:Curve><gml:segments><gml:LineStringSegment>
<gml:posList>50 50 0 100 100 0</gml:posList></gml:LineStringSegment></gml:segments>
</gml:Curve></gml:curveMember></gml:CompositeCurve></tran:lod0Network></tran:Road>
</cityObjectMember>
<cityObjectMember><gen:GenericCityObject gml:id="lamp"><gen:lod1Geometry>
<gml:Point><gml:pos>20 30 5</gml:pos></gml:Point></gen:lod1Geometry>
</gen:GenericCityObject></cityObjectMember>
{extra}
</CityModel>
"""


def write(tmp_path, extra=""):
    path = tmp_path / "network.gml"
    path.write_text(GML.replace("{extra}", extra), encoding="utf-8")
    return path


def test_curves_and_points_are_read_per_object_and_lod(tmp_path):
    model = read_citygml(write(tmp_path))
    assert model.objects.ids == ["road1", "lamp"]
    lines = model.lines["0"]
    assert lines.offsets.tolist() == [0, 3, 5] and lines.line_object.tolist() == [0, 0]
    np.testing.assert_allclose(lines.vertices[[0, 2, 4]], [[0, 0, 0], [50, 50, 0],
                                                           [100, 100, 0]])
    points = model.points["1"]
    assert points.point_object.tolist() == [1]
    np.testing.assert_allclose(points.vertices, [[20, 30, 5]])
    assert model.lods == ["0", "1"]


def test_bad_curve_coordinates_name_the_place(tmp_path):
    extra = ("<cityObjectMember><tran:Road gml:id='bad'><tran:lod0Network><gml:LineString>"
             "<gml:posList>0 0 0 1 x 0</gml:posList></gml:LineString></tran:lod0Network>"
             "</tran:Road></cityObjectMember>")
    with pytest.raises(ReadError, match="not a number"):
        read_citygml(write(tmp_path, extra))


def test_curves_and_points_are_drawn_and_picked(tmp_path):
    project = Project()
    layer = project.add_layer(CityModelLayer("network", read_citygml(write(tmp_path))))
    view = OffscreenView(project, (300, 300))
    try:
        layer.visible = False
        background = view.image().astype(int)
        layer.visible = True
        drawn = np.abs(view.image().astype(int) - background).sum(axis=2) > 40
        renderer = view.scene.renderer

        def screen(world):
            renderer.SetWorldPoint(*(np.asarray(world, float) - view.scene.origin), 1.0)
            renderer.WorldToDisplay()
            x, y, _ = renderer.GetDisplayPoint()
            return round(x), round(y)

        for world, index in (([25, 0, 0], 0), ([75, 75, 0], 0), ([20, 30, 5], 1)):
            x, y = screen(world)
            assert drawn[300 - 1 - y - 2:300 - y + 2, x - 2:x + 3].any()
            assert view.scene.pick(x, y) == (layer.uid, index)
        # a pick well away from both hits nothing
        x, y = screen([90, 10, 0])
        assert view.scene.pick(x, y) is None
        # selecting the road paints it in the highlight colour
        project.selection.set([(layer.uid, 0)])
        frame = view.image().astype(int)
        x, y = screen([25, 0, 0])
        patch = frame[300 - 1 - y - 2:300 - y + 2, x - 2:x + 3].reshape(-1, 3)
        assert any(p[0] > 230 and p[1] > 180 and p[2] < 80 for p in patch)  # yellow
    finally:
        view.close()
