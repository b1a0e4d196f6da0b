"""City model adapter: one batched polydata per layer with an object-id cell array."""

from __future__ import annotations

import numpy as np
from vtkmodules.vtkRenderingCore import vtkPolyDataMapper

from cimviewer.core.citymodel import TriangleMesh
from cimviewer.core.layers import CityModelLayer
from cimviewer.core.semantics import SEMANTIC_COLORS
from cimviewer.core.styling import object_colors
from cimviewer.render.adapters.base import LayerAdapter
from cimviewer.render.vtk_arrays import add_array, triangle_polydata

HIGHLIGHT = np.array([255, 214, 0], dtype=np.uint8)


class CityModelAdapter(LayerAdapter):
    layer: CityModelLayer
    pickable = True

    def build(self) -> None:
        self.mapper = vtkPolyDataMapper()
        self.mapper.SetColorModeToDirectScalars()
        self.mapper.SetScalarModeToUseCellData()
        self.actor.SetMapper(self.mapper)
        prop = self.actor.GetProperty()
        prop.SetAmbient(0.25)
        prop.SetDiffuse(0.8)
        self._build_mesh()
        self.layer.lod_changed.connect(self._on_lod)
        self.selection.changed.connect(self._on_selection)

    def _build_mesh(self) -> None:
        mesh = self.layer.model.mesh_for_lod(self.layer.lod)
        self.mesh: TriangleMesh = mesh
        self.polydata = triangle_polydata(self.local(mesh.vertices), mesh.triangles)
        self.cell_objects = mesh.tri_object
        add_array(self.polydata.GetCellData(), mesh.tri_object, "object_id")
        self.update_colors(render=False)
        self.mapper.SetInputData(self.polydata)

    def base_colors(self) -> np.ndarray:
        mesh = self.mesh
        style = self.layer.style
        if style.mode == "semantic":
            colors = SEMANTIC_COLORS[mesh.tri_semantic]
            if mesh.tri_color is not None and mesh.tri_has_color is not None:
                colors = np.where(mesh.tri_has_color[:, None], mesh.tri_color, colors)
            return colors
        per_object = object_colors(style, self.layer.model.objects.attributes)
        return per_object[mesh.tri_object] if len(per_object) else np.zeros((0, 3), np.uint8)

    def update_colors(self, render: bool = True) -> None:
        colors = np.array(self.base_colors(), dtype=np.uint8, copy=True)
        selected = self.selection.for_layer(self.layer.uid)
        if selected and len(colors):
            objects = self.layer.model.objects
            family = set(selected)
            for index in selected:
                family.update(objects.children_of(index))
            mask = np.isin(self.mesh.tri_object, np.fromiter(family, dtype=np.int32))
            colors[mask] = HIGHLIGHT
        add_array(self.polydata.GetCellData(), colors, "colors", scalars=True)
        self.polydata.Modified()
        if render:
            self.on_change()

    def _on_lod(self, _lod: object) -> None:
        self._build_mesh()
        self.on_change()

    def _on_selection(self, _items: object) -> None:
        self.update_colors()

    def dispose(self) -> None:
        self.layer.lod_changed.disconnect(self._on_lod)
        self.selection.changed.disconnect(self._on_selection)
        super().dispose()
