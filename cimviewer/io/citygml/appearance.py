"""CityGML appearances: ParameterizedTexture, GeoreferencedTexture and X3DMaterial.

Appearances come as top-level ``appearanceMember`` elements (often after the city
objects) or inside an object (``app:appearance``). Both are read into small tables
while the file streams by: texture coordinates as text per target ring id, materials
and georeferenced textures per target polygon id. They are applied once the whole file
is read, when every ring's global number is known (:class:`SurfaceBatch` records
``gml:id`` values of rings and polygons, and for every mesh vertex the ring and
position it came from):

* ParameterizedTexture: ``textureCoordinates ring="#id"`` lists (u, v) per ring
  position (CityGML 2.0 ``target/TexCoordList`` and 3.0 ``TextureAssociation`` alike);
  ``TexCoordGen`` gives them by a 3 x 4 ``worldToTexture`` matrix instead;
* GeoreferencedTexture: (u, v) from the vertex's x, y through ``referencePoint`` and
  ``orientation`` (the centre of the upper-left pixel and the 2 x 2 pixel-to-world
  matrix), or the image's world file (``.jgw``, ``.pgw``, ``.tfw``, ``.wld``);
* X3DMaterial: ``diffuseColor`` becomes the triangles' material colour and
  ``transparency`` their opacity.

One theme is used for textures and one for materials: the first met of each. Images
are found relative to the file; missing ones are counted in one warning and their
surfaces keep the style colour.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cimviewer.core.citymodel import INDEX, CityModel, TriangleMesh
from cimviewer.io.citygml.geometry import SurfaceBatch, local_name

XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
TEXTURES = frozenset({"ParameterizedTexture", "GeoreferencedTexture"})
WORLD_FILES = {".jpg": ".jgw", ".jpeg": ".jgw", ".png": ".pgw", ".tif": ".tfw",
               ".tiff": ".tfw"}


@dataclass
class _Projection:
    """Texture coordinates computed from positions: a TexCoordGen's ``worldToTexture``
    matrix, or a GeoreferencedTexture's reference point and orientation."""

    texture: int
    targets: list[str]
    world_to_texture: np.ndarray | None = None  # (3, 4): (s, t, q) = M [x y z 1]
    reference: np.ndarray | None = None  # (2,) world x, y of the upper-left pixel's centre
    matrix: np.ndarray | None = None  # (2, 2) pixel (column, row) -> world x, y

    def resolve(self, image: Path) -> np.ndarray | None:
        """The (3, 4) world-to-texture matrix (a georeferenced image needs its size and,
        without its own parameters, its world file); None when it cannot be made."""
        if self.world_to_texture is not None:
            return self.world_to_texture
        if self.reference is None or self.matrix is None:
            self.reference, self.matrix = _world_file(image)
        size = _image_size(image)
        if self.reference is None or self.matrix is None or size is None:
            return None
        try:
            inverse = np.linalg.inv(self.matrix)  # world -> pixel (column, row down)
        except np.linalg.LinAlgError:
            return None
        width, height = size
        shift = -inverse @ self.reference + 0.5  # pixel centres
        out = np.zeros((3, 4))
        out[0, :2], out[0, 3] = inverse[0] / width, shift[0] / width
        out[1, :2], out[1, 3] = -inverse[1] / height, 1.0 - shift[1] / height
        out[2, 3] = 1.0
        return out


@dataclass
class Appearances:
    """Appearance data of one file, read as it streams, applied at the end."""

    folder: Path
    texture_theme: str | None = None
    material_theme: str | None = None
    images: list[str] = field(default_factory=list)
    #: ring id -> (texture, coordinate text)
    ring_coords: dict[str, tuple[int, str]] = field(default_factory=dict)
    projections: list[_Projection] = field(default_factory=list)
    #: material: (rgb 0..255, transparency 0..1)
    materials: list[tuple[tuple[int, int, int], float]] = field(default_factory=list)
    material_targets: dict[str, int] = field(default_factory=dict)  # polygon id -> material
    _image_index: dict[str, int] = field(default_factory=dict)
    #: every theme the file's appearances name
    themes: set[str] = field(default_factory=set)

    # -- reading --------------------------------------------------------------------------
    def read_all(self, element) -> None:
        """Every ``Appearance`` under an element (a member or a city object)."""
        for appearance in element.iter("{*}Appearance"):
            self.read(appearance)

    def read(self, appearance) -> None:
        theme = ""
        for child in appearance:
            if isinstance(child.tag, str) and local_name(child.tag) == "theme":
                theme = (child.text or "").strip()
                if theme:
                    self.themes.add(theme)
        for data in appearance.iter("{*}ParameterizedTexture", "{*}GeoreferencedTexture",
                                    "{*}X3DMaterial"):
            name = local_name(data.tag)
            if name in TEXTURES:
                if self.texture_theme is None:
                    self.texture_theme = theme
                if theme == self.texture_theme:
                    self._texture(data, name)
            else:
                if self.material_theme is None:
                    self.material_theme = theme
                if theme == self.material_theme:
                    self._material(data)

    def _image(self, data) -> int | None:
        uri = _child_text(data, "imageURI")
        if not uri:
            return None
        if uri not in self._image_index:
            self._image_index[uri] = len(self.images)
            self.images.append(uri)
        return self._image_index[uri]

    def _texture(self, data, name: str) -> None:
        texture = self._image(data)
        if texture is None:
            return
        if name == "ParameterizedTexture":
            for coords in data.iter("{*}textureCoordinates"):
                ring = (coords.get("ring") or "").strip().lstrip("#")
                if ring:
                    self.ring_coords[ring] = (texture, coords.text or "")
            for gen in data.iter("{*}TexCoordGen"):
                try:
                    world = np.array((_child_text(gen, "worldToTexture") or "").split()[:12],
                                     np.float64).reshape(3, 4)
                except ValueError:
                    continue
                self.projections.append(_Projection(texture, _gen_targets(gen), world))
            return
        reference: np.ndarray | None = None
        matrix: np.ndarray | None = None
        point = next(data.iter("{*}pos"), None)
        orientation = _child_text(data, "orientation")
        if point is not None and orientation:
            try:
                reference = np.array((point.text or "").split()[:2], np.float64)
                matrix = np.array(orientation.split()[:4], np.float64).reshape(2, 2)
            except ValueError:
                reference = matrix = None
        self.projections.append(_Projection(texture, _targets(data), None, reference, matrix))

    def _material(self, data) -> None:
        try:
            rgb = np.clip(np.array((_child_text(data, "diffuseColor") or "0.8 0.8 0.8")
                                   .split()[:3], np.float64), 0, 1)
            transparency = float(_child_text(data, "transparency") or 0.0)
        except ValueError:
            return
        if len(rgb) != 3:
            return
        index = len(self.materials)
        r, g, b = (int(v) for v in np.round(rgb * 255))
        self.materials.append(((r, g, b), transparency))
        for target in _targets(data):
            self.material_targets[target] = index

    # -- applying -------------------------------------------------------------------------
    def apply(self, model: CityModel, batch: SurfaceBatch) -> None:
        """Texture and material of every mesh triangle; counts and warning on the model."""
        model.themes = sorted(self.themes)
        drawn = self.texture_theme if self.texture_theme in self.themes else \
            self.material_theme
        model.theme = drawn if drawn in self.themes else None
        if not self.images and not self.materials:
            return
        paths = [self.folder / uri for uri in self.images]
        found = np.array(["://" not in uri and p.is_file()
                          for uri, p in zip(self.images, paths, strict=True)], bool)
        n_rings = batch.ring_base
        ring_tex, uv_start, uv_table = self._ring_uvs(batch.ring_ids, n_rings)
        ring_mat = np.full(n_rings + 1, -1, np.int64)  # the extra row answers ring -1
        for target, material in self.material_targets.items():
            rings = batch.polygon_ids.get(target)
            if rings is not None:
                ring_mat[rings[0]:rings[1]] = material
        ring_projection, matrices = self._ring_projections(batch, n_rings, paths)
        for lod, (vring, vpos) in _vertex_rings(batch).items():
            mesh = model.meshes.get(lod)
            if mesh is None or not mesh.n_triangles or vring is None:
                continue
            corner_ring = vring[mesh.triangles]  # (m, 3)
            self._apply_materials(mesh, ring_mat[corner_ring[:, 0]])
            tex = np.full(mesh.n_triangles, -1, np.int64)
            uv = np.zeros((mesh.n_triangles, 3, 2), np.float32)
            if len(uv_table):
                has = (ring_tex[corner_ring] >= 0).all(axis=1)
                tex[has] = ring_tex[corner_ring[has, 0]]
                index = uv_start[corner_ring[has]] + vpos[mesh.triangles[has]]
                inside = (index < uv_start[corner_ring[has] + 1]).all(axis=1)
                rows = np.flatnonzero(has)
                tex[rows[~inside]] = -1
                uv[rows[inside]] = uv_table[index[inside]]
            if ring_projection is not None:
                self._project(mesh, ring_projection[corner_ring[:, 0]], matrices, tex, uv)
            tex[~np.r_[found, False][tex]] = -1  # missing images: the style colour
            if (tex >= 0).any():
                mesh.tri_texture, mesh.tri_uv = tex.astype(INDEX), uv
        batch.vertex_rings.clear()  # per-vertex bookkeeping is done with
        missing = [uri for uri, ok in zip(self.images, found, strict=True) if not ok]
        model.textures = paths
        if self.images or self.materials:
            model.appearance = {"textures": int(found.sum()), "textures_missing": len(missing),
                                "materials": len(self.materials)}
        if missing:
            model.warnings.append(f"{len(missing)} texture images not found (first: "
                                  f"{missing[0]}); their surfaces show the style colour")

    def _ring_uvs(self, ring_ids: dict[str, int], n_rings: int,
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Texture per ring (-1 none), start of each ring's (u, v) list in the table
        (n_rings + 2 entries: ring -1 looks up the last) and the (k, 2) table."""
        ring_tex = np.full(n_rings + 1, -1, np.int64)
        counts = np.zeros(n_rings + 1, np.int64)
        listed: list[tuple[int, str]] = []
        for ring_id, (texture, text) in self.ring_coords.items():  # per textured ring
            ring = ring_ids.get(ring_id)
            n = len(text.split())
            if ring is not None and n >= 6 and n % 2 == 0:
                ring_tex[ring] = texture
                counts[ring] = n // 2
                listed.append((ring, text))
        listed.sort(key=lambda item: item[0])
        flat = " ".join(text for _, text in listed).split()
        try:
            values = np.array(flat, np.float64)  # converted in C, not per token in Python
        except ValueError:
            values = np.array([_number(t) for t in flat], np.float64)
        table = values.reshape(-1, 2).astype(np.float32)
        bad = ~np.isfinite(table).all(axis=1)
        if bad.any():
            table[bad] = 0.0
        starts = np.zeros(n_rings + 2, np.int64)
        np.cumsum(counts, out=starts[1:])
        ring_tex[counts == 0] = -1
        return ring_tex, starts, table

    def _ring_projections(self, batch: SurfaceBatch, n_rings: int, paths: list[Path],
                          ) -> tuple[np.ndarray | None, list[np.ndarray | None]]:
        """The projection (index into ``projections``) per ring, or None, and each
        projection's world-to-texture matrix."""
        if not self.projections:
            return None, []
        out = np.full(n_rings + 1, -1, np.int64)
        matrices = []
        for i, projection in enumerate(self.projections):  # per texture entry
            matrices.append(projection.resolve(paths[projection.texture]))
            for target in projection.targets:
                rings = batch.polygon_ids.get(target)
                if rings is not None:
                    out[rings[0]:rings[1]] = i
        return out, matrices

    def _project(self, mesh: TriangleMesh, projection: np.ndarray,
                 matrices: list[np.ndarray | None], tex: np.ndarray, uv: np.ndarray) -> None:
        """(u, v) of the triangles' corners from their positions, per projection."""
        for i in np.unique(projection[projection >= 0]).tolist():
            matrix = matrices[i]
            if matrix is None:
                continue
            rows = np.flatnonzero(projection == i)
            xyz = mesh.vertices[mesh.triangles[rows]]  # (r, 3, 3)
            stq = xyz @ matrix[:, :3].T + matrix[:, 3]
            with np.errstate(divide="ignore", invalid="ignore"):
                st = stq[..., :2] / stq[..., 2:]
            good = np.isfinite(st).all(axis=(1, 2))
            uv[rows[good]] = st[good]
            tex[rows[good]] = self.projections[i].texture

    def _apply_materials(self, mesh: TriangleMesh, tri_mat: np.ndarray) -> None:
        """Diffuse colours of the triangles' materials as their material colour."""
        has = tri_mat >= 0
        if not has.any():
            return
        palette = np.array([rgb for rgb, _ in self.materials], np.uint8).reshape(-1, 3)
        color = (np.zeros((mesh.n_triangles, 3), np.uint8) if mesh.tri_color is None
                 else mesh.tri_color.copy())
        color[has] = palette[tri_mat[has]]
        before = mesh.tri_has_color
        mesh.tri_color = color
        mesh.tri_has_color = has if before is None else before | has
        alpha = np.array([round((1.0 - min(max(t, 0.0), 1.0)) * 255)
                          for _, t in self.materials], np.uint8)
        if (alpha[tri_mat[has]] < 255).any():
            mesh.tri_opacity = np.where(has, alpha[np.maximum(tri_mat, 0)], 255).astype(np.uint8)


def _vertex_rings(batch: SurfaceBatch) -> dict[str, tuple[np.ndarray | None, np.ndarray]]:
    """Per LoD, aligned with ``batch.meshes()``: each vertex's global ring (-1 where it
    came from no ring, e.g. implicit geometry) and its position in the ring."""
    out: dict[str, tuple[np.ndarray | None, np.ndarray]] = {}
    for lod, parts in batch.pieces.items():
        parts = [p for p in parts if p.n_triangles]
        rings, positions = [], []
        for p in parts:
            known = batch.vertex_rings.get(id(p))
            if known is None:
                known = (np.full(p.n_vertices, -1, np.int64), np.zeros(p.n_vertices, np.int64))
            rings.append(known[0].astype(np.int64))
            positions.append(known[1].astype(np.int64))
        out[lod] = ((np.concatenate(rings), np.concatenate(positions)) if parts
                    else (None, np.zeros(0, np.int64)))
    return out


def _gen_targets(gen) -> list[str]:
    """The polygon a TexCoordGen is for: its enclosing ``target uri`` (CityGML 2.0) or
    its TextureAssociation's ``target`` (3.0)."""
    node = gen.getparent()
    while node is not None:
        name = local_name(node.tag) if isinstance(node.tag, str) else ""
        if name == "target" and node.get("uri"):
            return [node.get("uri").strip().lstrip("#")]
        if name == "TextureAssociation":
            return [ref for child in node if isinstance(child.tag, str)
                    and local_name(child.tag) == "target"
                    for ref in [(child.get(XLINK_HREF) or child.text or "").strip().lstrip("#")]
                    if ref]
        if name == "ParameterizedTexture":
            break
        node = node.getparent()
    return []


def _targets(data) -> list[str]:
    """Polygon ids a material or georeferenced texture applies to (2.0 text, 3.0 href)."""
    out = []
    for target in data.iter("{*}target"):
        ref = target.get(XLINK_HREF) or target.get("uri") or target.text or ""
        ref = ref.strip().lstrip("#")
        if ref:
            out.append(ref)
    return out


def _child_text(element, name: str) -> str | None:
    for child in element:
        if isinstance(child.tag, str) and local_name(child.tag) == name:
            return (child.text or "").strip()
    return None


def _number(token: str) -> float:
    try:
        return float(token)
    except ValueError:
        return float("nan")


def _world_file(image: Path) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Reference point and matrix from an image's world file, or (None, None)."""
    suffix = WORLD_FILES.get(image.suffix.lower(), ".wld")
    for candidate in (image.with_suffix(suffix), image.with_suffix(".wld")):
        try:
            a, d, b, e, c, f = (float(v) for v in candidate.read_text().split()[:6])
        except (OSError, ValueError):
            continue
        return np.array([c, f]), np.array([[a, b], [d, e]])
    return None, None


def _image_size(path: Path) -> tuple[int, int] | None:
    from PIL import Image

    try:
        with Image.open(path) as img:
            return int(img.size[0]), int(img.size[1])
    except (OSError, ValueError):
        return None
