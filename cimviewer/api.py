"""The public plugin API: the only part of cimviewer a plugin may import.

Versioned with ``API_VERSION`` (SemVer rules in docs/plugins.md): names here keep
their meaning within a major version; minor versions only add. Nothing in this module
imports Qt, so algorithms that use it run in the CLI and on dask workers.
"""

from cimviewer.algorithms.base import Algorithm, AlgorithmError, Cancelled, Context
from cimviewer.algorithms.outputs import (
    LayerOutput,
    NumberOutput,
    Output,
    Report,
    ReportOutput,
    Table,
    TableOutput,
    ValuesOutput,
)
from cimviewer.algorithms.parameters import (
    Bool,
    CRSParam,
    Enum,
    FieldParam,
    FileParam,
    LayerParam,
    Number,
    Parameter,
    ParameterError,
    PointParam,
    PolygonParam,
    Text,
    layer_fields,
)
from cimviewer.algorithms.runner import execute, validate
from cimviewer.core.camera import CameraState, top_down_camera
from cimviewer.core.citymodel import CityModel, ObjectTable, TriangleMesh
from cimviewer.core.datasets import TerrainGrid, ValueGrid, VectorData
from cimviewer.core.layers import (
    CityModelLayer,
    Layer,
    RasterLayer,
    TerrainLayer,
    VectorLayer,
)
from cimviewer.core.project import Project
from cimviewer.core.semantics import SEMANTIC_CODES, SEMANTIC_NAMES
from cimviewer.core.style import LayerStyle, ValueClass
from cimviewer.core.sun import sun_direction, sun_position
from cimviewer.geometry.terrain import sample_grid, sample_heights
from cimviewer.io.errors import ReadError
from cimviewer.io.project.paths import result_path
from cimviewer.plugins.apiversion import API_VERSION
from cimviewer.plugins.context import PluginContext


def write_pdf_report(path, title, text="", tables=(), font=None):
    """Write a PDF report with Chinese text (API 1.3; see ``cimviewer.io.pdf_report``):
    ``title``, Markdown-like ``text``, ``tables`` as (caption, Table) pairs. Returns a
    ``PdfReport`` (``path``, ``font`` used or None, ``warnings`` such as a missing CJK
    font: the report is still written, with '?' for what the fallback font cannot show).
    """
    from cimviewer.io.pdf_report import write_pdf_report as _write

    return _write(path, title, text, tables, font)


def open_layer(path, **kwargs):
    """Read a file as a layer: ``open_layer(path, name=None, project_crs=None,
    options=None)``. ``project_crs`` reprojects into the project's CRS; ``options`` are
    load options: ``layer`` (of a multi-layer vector file), ``extrude`` with
    ``height_attribute`` / ``storeys_attribute`` / ``storey_height`` / ``default_height``
    (footprints become LoD1 buildings), ``band`` (of a raster). Raises ReadError."""
    from cimviewer.io.layers import open_layer as _open_layer

    return _open_layer(path, **kwargs)


__all__ = [
    "API_VERSION", "SEMANTIC_CODES", "SEMANTIC_NAMES", "Algorithm", "AlgorithmError", "Bool",
    "CRSParam", "CameraState", "Cancelled", "CityModel", "CityModelLayer", "Context", "Enum",
    "FieldParam", "FileParam", "Layer", "LayerOutput", "LayerParam", "LayerStyle", "Number",
    "NumberOutput", "ObjectTable", "Output", "Parameter", "ParameterError", "PluginContext",
    "PointParam", "PolygonParam", "Project", "RasterLayer", "ReadError", "Report",
    "ReportOutput", "Table", "TableOutput", "TerrainGrid", "TerrainLayer", "Text",
    "TriangleMesh", "ValueClass", "ValueGrid", "ValuesOutput", "VectorData", "VectorLayer",
    "execute", "layer_fields", "open_layer", "result_path", "sample_grid", "sample_heights",
    "sun_direction", "sun_position", "top_down_camera", "validate", "write_pdf_report",
]
