"""Running an algorithm: validate, execute on a backend, check what came back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cimviewer.algorithms.backends import Backend, LocalBackend
from cimviewer.algorithms.base import Algorithm, AlgorithmError, Cancelled, Context
from cimviewer.algorithms.outputs import (
    LayerOutput,
    NumberOutput,
    Report,
    ReportOutput,
    Table,
    ValuesOutput,
)
from cimviewer.algorithms.parameters import LayerResolver, ParameterError, validate_all
from cimviewer.core.citymodel import CityModel
from cimviewer.core.datasets import TerrainGrid, ValueGrid, VectorData
from cimviewer.core.layers import Layer


def validate(algorithm: Algorithm, raw: dict[str, Any],
             resolve_layer: LayerResolver | None = None) -> dict[str, Any]:
    """Checked parameter values; raises ParameterError (one line)."""
    return validate_all(list(algorithm.parameters()), raw, resolve_layer)


def execute(algorithm: Algorithm, params: dict[str, Any], ctx: Context,
            backend: Backend | None = None) -> dict[str, Any]:
    """Run with checked ``params``; returns the outputs dict.

    Raises Cancelled, ParameterError or AlgorithmError; any other exception from the
    algorithm becomes an AlgorithmError naming its type.
    """
    try:
        specs = algorithm.tasks(params, ctx) if algorithm.splits else None
        if specs is None:
            outputs = algorithm.run(params, ctx)
        else:
            fn = type(algorithm).run_task
            if fn is None:
                raise AlgorithmError(f"{algorithm.qualified_name} declares tasks but no run_task")
            results = (backend or LocalBackend()).map(fn, list(specs), ctx)
            ctx.check_cancelled()
            outputs = algorithm.combine(results, params, ctx)
    except (Cancelled, AlgorithmError, ParameterError):
        raise
    except SystemExit as exc:  # the algorithm's failure, never the app's exit
        raise AlgorithmError(f"called sys.exit({exc.code!r})") from exc
    except Exception as exc:
        raise AlgorithmError(f"{type(exc).__name__}: {exc}{where_raised(exc)}") from exc
    return check_outputs(algorithm, outputs)


def where_raised(exc: BaseException) -> str:
    """" (at FILE:LINE in FUNCTION)" of the innermost frame that raised ``exc``, so the
    one-line error points a plugin author at their code (the full traceback comes with
    ``--traceback`` or the GUI's Details)."""
    tb = exc.__traceback__
    if tb is None:
        return ""
    while tb.tb_next is not None:
        tb = tb.tb_next
    code = tb.tb_frame.f_code
    return f" (at {Path(code.co_filename).name}:{tb.tb_lineno} in {code.co_name})"


_TYPES = {LayerOutput: (Layer, CityModel, VectorData, TerrainGrid, ValueGrid),
          NumberOutput: (int, float), ReportOutput: (Report, str), ValuesOutput: (list, tuple)}


def check_outputs(algorithm: Algorithm, outputs: Any) -> dict[str, Any]:
    """The outputs must be a dict of the declared names with values of the declared types."""
    if not isinstance(outputs, dict):
        raise AlgorithmError(f"returned {type(outputs).__name__}, not a dict of outputs")
    declared = {o.name: o for o in algorithm.outputs()}
    unknown = sorted(set(outputs) - set(declared))
    if unknown:
        raise AlgorithmError(f"returned undeclared outputs: {', '.join(unknown)}")
    for name, value in outputs.items():
        decl = declared[name]
        expected = _TYPES.get(type(decl), (Table,))
        if value is not None and not isinstance(value, expected):
            raise AlgorithmError(f"output {name!r} is a {type(value).__name__}, "
                                 f"expected a {decl.type_name}")
    return outputs
