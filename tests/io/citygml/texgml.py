"""Small CityGML 2.0 files with appearances that tests write themselves.

One box building (10 m, ``lod2MultiSurface``): its south wall gets a
ParameterizedTexture (u along the wall, v up), the roof an X3DMaterial or a
GeoreferencedTexture. The appearance sits in a top-level ``appearanceMember`` after the
building (as most files do) or inside the building (``inside=True``).
"""

from __future__ import annotations

from pathlib import Path

X0, Y0, SIZE = 500000.0, 5400000.0, 10.0

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<core:CityModel xmlns:core="http://www.opengis.net/citygml/2.0"
  xmlns:bldg="http://www.opengis.net/citygml/building/2.0"
  xmlns:app="http://www.opengis.net/citygml/appearance/2.0"
  xmlns:gml="http://www.opengis.net/gml" xmlns:xlink="http://www.w3.org/1999/xlink">
"""


def _ring(gid: str, points: list[tuple[float, float, float]]) -> str:
    closed = [*points, points[0]]
    text = " ".join(f"{x:.3f} {y:.3f} {z:.3f}" for x, y, z in closed)
    return (f'<gml:Polygon gml:id="{gid}"><gml:exterior><gml:LinearRing gml:id="{gid}_r">'
            f"<gml:posList srsDimension=\"3\">{text}</gml:posList></gml:LinearRing>"
            "</gml:exterior></gml:Polygon>")


def _surfaces() -> dict[str, tuple[str, list[tuple[float, float, float]]]]:
    x0, y0, x1, y1, h = X0, Y0, X0 + SIZE, Y0 + SIZE, SIZE
    return {
        "south": ("WallSurface", [(x0, y0, 0), (x1, y0, 0), (x1, y0, h), (x0, y0, h)]),
        "east": ("WallSurface", [(x1, y0, 0), (x1, y1, 0), (x1, y1, h), (x1, y0, h)]),
        "north": ("WallSurface", [(x1, y1, 0), (x0, y1, 0), (x0, y1, h), (x1, y1, h)]),
        "west": ("WallSurface", [(x0, y1, 0), (x0, y0, 0), (x0, y0, h), (x0, y1, h)]),
        "roof": ("RoofSurface", [(x0, y0, h), (x1, y0, h), (x1, y1, h), (x0, y1, h)]),
        "ground": ("GroundSurface", [(x0, y0, 0), (x0, y1, 0), (x1, y1, 0), (x1, y0, 0)]),
    }


def appearance(image: str = "facade.png", roof: str = "material",
               roof_image: str = "ortho.png") -> str:
    """An ``app:Appearance`` (theme rgbTexture): the south wall textured, the roof red
    (``roof="material"``), georeferenced (``roof="georef"``) or textured through a
    ``TexCoordGen`` matrix (``roof="texgen"``)."""
    south = ('<app:surfaceDataMember><app:ParameterizedTexture>'
             f'<app:imageURI>{image}</app:imageURI>'
             '<app:target uri="#south"><app:TexCoordList>'
             '<app:textureCoordinates ring="#south_r">0 0 1 0 1 1 0 1 0 0'
             '</app:textureCoordinates></app:TexCoordList></app:target>'
             '</app:ParameterizedTexture></app:surfaceDataMember>')
    if roof == "material":
        top = ('<app:surfaceDataMember><app:X3DMaterial>'
               '<app:diffuseColor>0.9 0.1 0.1</app:diffuseColor>'
               '<app:transparency>0.0</app:transparency>'
               '<app:target>#roof</app:target></app:X3DMaterial></app:surfaceDataMember>')
    elif roof == "texgen":  # u = (x - X0) / SIZE, v = (y - Y0) / SIZE
        s = 1.0 / SIZE
        matrix = f"{s} 0 0 {-X0 * s} 0 {s} 0 {-Y0 * s} 0 0 0 1"
        top = ('<app:surfaceDataMember><app:ParameterizedTexture>'
               f'<app:imageURI>{roof_image}</app:imageURI><app:target uri="#roof">'
               f'<app:TexCoordGen><app:worldToTexture>{matrix}</app:worldToTexture>'
               '</app:TexCoordGen></app:target></app:ParameterizedTexture>'
               '</app:surfaceDataMember>')
    else:  # the image covers the roof exactly: 1 m a pixel for a 10 pixel image
        top = ('<app:surfaceDataMember><app:GeoreferencedTexture>'
               f'<app:imageURI>{roof_image}</app:imageURI>'
               f'<app:referencePoint><gml:Point><gml:pos>{X0 + 0.5} {Y0 + SIZE - 0.5}'
               '</gml:pos></gml:Point></app:referencePoint>'
               '<app:orientation>1 0 0 -1</app:orientation>'
               '<app:target>#roof</app:target></app:GeoreferencedTexture>'
               '</app:surfaceDataMember>')
    return (f"<app:Appearance><app:theme>rgbTexture</app:theme>{south}{top}"
            "</app:Appearance>")


def box_gml(path: Path, inside: bool = False, **kwargs: str) -> Path:
    members = "".join(
        f"<bldg:boundedBy><bldg:{kind}><bldg:lod2MultiSurface><gml:MultiSurface>"
        f"<gml:surfaceMember>{_ring(gid, pts)}</gml:surfaceMember>"
        f"</gml:MultiSurface></bldg:lod2MultiSurface></bldg:{kind}></bldg:boundedBy>"
        for gid, (kind, pts) in _surfaces().items())
    app = appearance(**kwargs)
    inner = f"<app:appearance>{app}</app:appearance>" if inside else ""
    outer = "" if inside else f"<app:appearanceMember>{app}</app:appearanceMember>"
    text = (HEAD + f'<core:cityObjectMember><bldg:Building gml:id="b0">{inner}'
            f"<bldg:measuredHeight>10</bldg:measuredHeight>{members}</bldg:Building>"
            f"</core:cityObjectMember>{outer}</core:CityModel>\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path
