"""The headless algorithm framework: typed parameters, progress, cancellation, results.

Nothing here imports Qt or VTK: algorithms run the same in the GUI, the CLI and on
dask workers.
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
)

__all__ = ["Algorithm", "AlgorithmError", "Bool", "CRSParam", "Cancelled", "Context", "Enum",
           "FieldParam", "FileParam", "LayerOutput", "LayerParam", "Number", "NumberOutput",
           "Output", "Parameter", "ParameterError", "PointParam", "PolygonParam", "Report",
           "ReportOutput", "Table", "TableOutput", "Text", "ValuesOutput"]
