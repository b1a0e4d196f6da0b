"""CityGML appearances: ParameterizedTexture, GeoreferencedTexture, X3DMaterial."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from cimviewer.core.semantics import SEMANTIC_CODES
from cimviewer.io.citygml.reader import read_citygml
from cimviewer.io.summary import summarize_path
from tests.io.citygml.texgml import SIZE, X0, Y0, box_gml
from tests.render.texcity import quadrant_image

WALL, ROOF = SEMANTIC_CODES["WallSurface"], SEMANTIC_CODES["RoofSurface"]


@pytest.fixture
def images(tmp_path):
    quadrant_image(tmp_path / "facade.png")
    ortho = np.zeros((10, 10, 3), np.uint8)
    ortho[:5], ortho[5:] = (20, 200, 20), (20, 20, 230)  # north green, south blue
    Image.fromarray(ortho).save(tmp_path / "ortho.png")
    return tmp_path


def _south(mesh) -> np.ndarray:
    y = mesh.vertices[mesh.triangles][..., 1]
    return (mesh.tri_semantic == WALL) & (np.abs(y - Y0) < 1e-6).all(axis=1)


@pytest.mark.parametrize("inside", [False, True])
def test_parameterized_texture_and_material(images, inside):
    model = read_citygml(box_gml(images / "b.gml", inside=inside))
    mesh = model.meshes["2"]
    mesh.validate()
    south = _south(mesh)
    assert south.sum() == 2 and (mesh.tri_texture[south] == 0).all()
    assert (mesh.tri_texture[~south] == -1).all()
    # u runs along the wall (x), v up (z)
    corners = mesh.vertices[mesh.triangles[south]]
    np.testing.assert_allclose(mesh.tri_uv[south][..., 0], (corners[..., 0] - X0) / SIZE,
                               atol=1e-5)
    np.testing.assert_allclose(mesh.tri_uv[south][..., 1], corners[..., 2] / SIZE, atol=1e-5)
    roof = mesh.tri_semantic == ROOF
    assert mesh.tri_has_color[roof].all() and not mesh.tri_has_color[~roof].any()
    assert (mesh.tri_color[roof] == (230, 26, 26)).all()
    assert model.textures == [(images / "facade.png").resolve()]
    assert model.appearance == {"textures": 1, "textures_missing": 0, "materials": 1}


@pytest.mark.parametrize("roof", ["georef", "texgen"])
def test_roof_coordinates_from_positions(images, roof):
    """GeoreferencedTexture (reference point, orientation) and TexCoordGen matrices."""
    model = read_citygml(box_gml(images / "b.gml", roof=roof))
    mesh = model.meshes["2"]
    roof = mesh.tri_semantic == ROOF
    assert (mesh.tri_texture[roof] == 1).all()
    corners = mesh.vertices[mesh.triangles[roof]]
    np.testing.assert_allclose(mesh.tri_uv[roof][..., 0], (corners[..., 0] - X0) / SIZE,
                               atol=1e-5)
    np.testing.assert_allclose(mesh.tri_uv[roof][..., 1], (corners[..., 1] - Y0) / SIZE,
                               atol=1e-5)


def test_georeferenced_texture_from_a_world_file(images):
    path = box_gml(images / "b.gml", roof="georef")
    text = path.read_text()
    start, end = text.index("<app:referencePoint>"), text.index("</app:orientation>")
    path.write_text(text[:start] + text[end + len("</app:orientation>"):])
    (images / "ortho.pgw").write_text(f"1\n0\n0\n-1\n{X0 + 0.5}\n{Y0 + SIZE - 0.5}\n")
    mesh = read_citygml(path).meshes["2"]
    roof = mesh.tri_semantic == ROOF
    corners = mesh.vertices[mesh.triangles[roof]]
    np.testing.assert_allclose(mesh.tri_uv[roof][..., 1], (corners[..., 1] - Y0) / SIZE,
                               atol=1e-5)


def test_missing_images_one_warning_and_counts(tmp_path):
    path = box_gml(tmp_path / "b.gml", image="lost/facade.jpg", roof="georef",
                   roof_image="lost/ortho.png")
    model = read_citygml(path)
    warnings = [w for w in model.warnings if "texture" in w]
    assert len(warnings) == 1 and warnings[0].startswith("2 texture images not found")
    assert "lost/facade.jpg" in warnings[0]
    assert not model.meshes["2"].textured
    assert summarize_path(path)["appearance"] == {"textures": 0, "textures_missing": 2,
                                                  "materials": 0}


def test_file_without_appearance(shared_data):
    model = read_citygml(shared_data / "citygml" / "FZK-Haus-LoD2.v3.gml")
    assert model.appearance == {} and model.textures == []
    assert all(m.tri_texture is None for m in model.meshes.values())


def test_theme_option_picks_the_appearance(images):
    path = box_gml(images / "b.gml")
    assert read_citygml(path, theme="rgbTexture").meshes["2"].textured
    other = read_citygml(path, theme="infrared")
    assert not other.meshes["2"].textured and other.meshes["2"].tri_color is None


def test_citygml3_texture_association_and_material(shared_data, tmp_path):
    """CityGML 3.0 (FZK-Haus): TextureAssociation targets and X3DMaterial hrefs."""
    from lxml import etree

    source = shared_data / "citygml" / "FZK-Haus-LoD2.v3.gml"
    text = source.read_text(encoding="utf-8")
    tree = etree.fromstring(text.encode())
    gml = "{http://www.opengis.net/gml/3.2}"
    rings = tree.iter(f"{gml}LinearRing")
    ring = next(rings)
    n = len(ring.findall(f"{gml}pos"))
    coords = " ".join(["0 0", "1 0", "1 1", "0 1"] * n).split()[: 2 * n]
    polygon, other = ring.getparent().getparent(), next(rings).getparent().getparent()
    pid, oid = polygon.get(f"{gml}id"), other.get(f"{gml}id")
    quadrant_image(tmp_path / "facade.png")
    appearance = (
        "<appearanceMember><app:Appearance><app:theme>rgb</app:theme>"
        "<app:surfaceData><app:ParameterizedTexture><app:imageURI>facade.png</app:imageURI>"
        "<app:textureParameterization><app:TextureAssociation>"
        f'<app:target xlink:href="#{pid}"/><app:textureParameterization><app:TexCoordList>'
        f'<app:textureCoordinates ring="#{ring.get(f"{gml}id")}">{" ".join(coords)}'
        "</app:textureCoordinates></app:TexCoordList></app:textureParameterization>"
        "</app:TextureAssociation></app:textureParameterization></app:ParameterizedTexture>"
        "</app:surfaceData><app:surfaceData><app:X3DMaterial>"
        f'<app:diffuseColor>0 0 1</app:diffuseColor><app:target xlink:href="#{oid}"/>'
        "</app:X3DMaterial></app:surfaceData></app:Appearance></appearanceMember>")
    path = tmp_path / "fzk.gml"
    path.write_text(text.replace("</CityModel>", appearance + "</CityModel>"),
                    encoding="utf-8")
    model = read_citygml(path)
    mesh = model.meshes["2"]
    assert mesh.textured and 0 < (mesh.tri_texture == 0).sum() < mesh.n_triangles
    assert ((mesh.tri_uv[mesh.tri_texture == 0] == 0) | (mesh.tri_uv[mesh.tri_texture == 0]
                                                          == 1)).all()
    assert (mesh.tri_color[mesh.tri_has_color] == (0, 0, 255)).all()
    assert model.appearance == {"textures": 1, "textures_missing": 0, "materials": 1}
