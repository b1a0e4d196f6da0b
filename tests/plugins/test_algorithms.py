"""The algorithm framework: parameters, outputs, backends (in-process and dask)."""

from __future__ import annotations

import os

import numpy as np
import pytest

from cimviewer.algorithms import parameters as P
from cimviewer.algorithms.backends import DaskBackend, LocalBackend
from cimviewer.algorithms.base import Cancelled, Context
from cimviewer.algorithms.runner import execute, validate
from cimviewer.core.datasets import VectorData
from cimviewer.core.layers import VectorLayer
from cimviewer.plugins.manager import PluginManager


@pytest.fixture
def manager(samples):
    m = PluginManager()
    m.add_folder(samples)
    m.enable("cimtest_hello")
    yield m
    m.disable_all()


def points_layer():
    data = VectorData("point", np.zeros((3, 3)), columns={"kind": ["a", "b", "a"],
                                                          "h": [1.0, 2.0, 3.0]}, n_features=3)
    return VectorLayer("pts", data)


def test_parameter_validation():
    assert P.Number("n", minimum=0, maximum=10, unit="m").validate("2.5") == 2.5
    with pytest.raises(P.ParameterError, match="above the maximum 10 m"):
        P.Number("n", minimum=0, maximum=10, unit="m").validate("11")
    with pytest.raises(P.ParameterError, match="whole number"):
        P.Number("n", integer=True).validate("1.5")
    with pytest.raises(P.ParameterError, match="required"):
        P.Number("n").validate(None)
    assert P.Enum("e", choices=("a", "b")).validate("b") == "b"
    with pytest.raises(P.ParameterError, match="not one of a, b"):
        P.Enum("e", choices=("a", "b")).validate("c")
    assert P.Bool("b").validate("yes") is True
    assert P.PointParam("p").validate("1, 2") == (1.0, 2.0)
    assert P.PolygonParam("p").validate("0,0;1,0;1,1;0,0") == [(0, 0), (1, 0), (1, 1)]
    assert len(P.PolygonParam("p").validate("POLYGON((0 0, 1 0, 1 1, 0 0))")) == 3
    assert P.CRSParam("c").validate("epsg:4547") == "EPSG:4547"
    with pytest.raises(P.ParameterError, match="not a known coordinate"):
        P.CRSParam("c").validate("EPSG:99999999")


def test_layer_and_field_parameters():
    params = [P.LayerParam("layer", kinds=("vector",), geometry=("point",)),
              P.FieldParam("field", layer="layer", numeric=True)]
    layer = points_layer()
    assert P.validate_all(params, {"layer": layer, "field": "h"})["field"] == "h"
    with pytest.raises(P.ParameterError, match="no numeric field 'kind'"):
        P.validate_all(params, {"layer": layer, "field": "kind"})
    with pytest.raises(P.ParameterError, match="unknown parameter"):
        P.validate_all(params, {"layer": layer, "field": "h", "zzz": 1})
    with pytest.raises(P.ParameterError, match="expected citymodel"):
        P.LayerParam("l", kinds=("citymodel",)).validate(layer)


def test_split_algorithm_in_process(manager):
    algorithm = manager.algorithm("cimtest_hello.squares")
    seen = []
    out = execute(algorithm, validate(algorithm, {"n": 100, "chunk": 7}),
                  Context(progress=seen.append), LocalBackend())
    assert out["total"] == sum(i * i for i in range(100))
    assert out["chunks"].n_rows == 15 and seen[-1] == 1.0


def test_cancel_between_tasks(manager):
    algorithm = manager.algorithm("cimtest_hello.squares")
    calls = iter(range(100))
    with pytest.raises(Cancelled):
        execute(algorithm, validate(algorithm, {"n": 100, "chunk": 1}),
                Context(cancelled=lambda: next(calls) > 5))


def test_dask_threads(manager, dask_threads):
    algorithm = manager.algorithm("cimtest_hello.squares")
    params = validate(algorithm, {"n": 1000, "chunk": 100})
    local = execute(algorithm, params, Context())
    distributed = execute(algorithm, params, Context(), dask_threads)
    assert distributed["total"] == local["total"]
    assert distributed["chunks"].columns["sum"] == local["chunks"].columns["sum"]


@pytest.mark.slow
def test_dask_worker_processes_run_folder_plugins(manager):
    """Real worker processes: the folder plugin's code travels by value."""
    pytest.importorskip("distributed")
    from cimviewer.algorithms import backends

    algorithm = manager.algorithm("cimtest_hello.squares")
    backend = DaskBackend(processes=True, n_workers=1)
    try:
        out = execute(algorithm, validate(algorithm, {"n": 50, "chunk": 25}), Context(), backend)
    finally:
        client = backend.client()
        backends._CLIENTS.pop((None, True, 1), None)
        client.close()
        client.cluster.close()
    assert out["total"] == sum(i * i for i in range(50))
    assert set(out["chunks"].columns["pid"]) != {os.getpid()}


def test_writers_round_trip(manager, tmp_path):
    from cimviewer.algorithms.writers import write_outputs
    from cimviewer.io.layers import open_layer

    algorithm = manager.algorithm("cimtest_hello.points")
    out = execute(algorithm, validate(algorithm, {"count": 4, "shape": "diagonal"}), Context())
    summary = write_outputs(algorithm, out, lambda name, suffix: tmp_path / f"{name}{suffix}")
    assert summary["points"]["features"] == 4
    layer = open_layer(summary["points"]["path"])
    assert layer.data.n_features == 4
    assert layer.data.columns["index"] == [0, 1, 2, 3]


def test_building_stats_summary(cim_demo_project_session):
    manager = PluginManager()
    manager.discover(entry_points=False)
    manager.enable("building_stats")
    algorithm = manager.algorithm("building_stats.summary")
    layer = next(lay for lay in cim_demo_project_session.layers if lay.kind == "citymodel")
    out = execute(algorithm, validate(algorithm, {"layer": layer}), Context())
    groups = out["groups"].columns
    assert sum(groups["buildings"]) == out["buildings"] > 100
    assert "residential" in groups["function"]
    assert out["total_floor_area"] == pytest.approx(sum(groups["floor_area_m2"]), rel=1e-6)
    assert all(f > 0 for f in groups["footprint_m2"])
    stats = dict(zip(out["attributes"].columns["attribute"], out["attributes"].columns["type"],
                     strict=True))
    assert stats["measuredHeight"] == "number" and stats["function"] == "text"
    assert "# Buildings of" in out["report"].text


def test_folder_plugin_modules_pickle_by_value_for_numba_too(monkeypatch):
    """numba pickles its compiled functions with its own cloudpickle: register there too,
    or a process-based dask worker cannot find a folder plugin's numba kernels."""
    import sys
    import types

    import cloudpickle
    from numba import cloudpickle as numba_cloudpickle

    from cimviewer.algorithms.backends import _register_by_value

    package = types.ModuleType("cimtest_byvalue")
    sub = types.ModuleType("cimtest_byvalue.kernels")
    monkeypatch.setitem(sys.modules, "cimtest_byvalue", package)
    monkeypatch.setitem(sys.modules, "cimtest_byvalue.kernels", sub)

    def task(spec):
        return spec

    task.__module__ = "cimtest_byvalue.kernels"
    try:
        _register_by_value(task)
        for pickler in (cloudpickle, numba_cloudpickle):
            assert {"cimtest_byvalue", "cimtest_byvalue.kernels"} <= set(
                pickler.list_registry_pickle_by_value())
    finally:
        for pickler in (cloudpickle, numba_cloudpickle):
            for module in (package, sub):
                if module.__name__ in pickler.list_registry_pickle_by_value():
                    pickler.unregister_pickle_by_value(module)


def _lods_of(layer) -> list[str]:
    return sorted(set(layer.data.columns["kind"]))


def test_choices_that_depend_on_a_layer_and_text_fields():
    """An Enum can list what the chosen layer has (its LoDs, its categories); the CLI
    checks the value against that list. FieldParam(text=True) offers names only."""
    params = [P.LayerParam("layer", kinds=("vector",)),
              P.Enum("kind", depends_on="layer", choices_from=_lods_of),
              P.FieldParam("label", layer="layer", text=True, optional=True)]
    layer = points_layer()
    assert params[1].choices_for({"layer": layer}) == ["a", "b"]
    assert P.validate_all(params, {"layer": layer, "kind": "b"})["kind"] == "b"
    with pytest.raises(P.ParameterError, match="'c' is not one of a, b for this layer"):
        P.validate_all(params, {"layer": layer, "kind": "c"})
    assert P.validate_all(params, {"layer": layer, "kind": "a", "label": "kind"})["label"] \
        == "kind"
    with pytest.raises(P.ParameterError, match="no text field 'h'"):
        P.validate_all(params, {"layer": layer, "kind": "a", "label": "h"})
    assert P.layer_fields(layer, text=True) == ["kind"]
    assert P.layer_fields(layer, numeric=True) == ["h"]
    broken = P.Enum("kind", depends_on="layer", choices_from=lambda layer: layer.nothing)
    with pytest.raises(P.ParameterError, match="cannot list the choices for 'layer'"):
        P.validate_all([params[0], broken], {"layer": layer, "kind": "a"})
    with pytest.raises(ValueError, match="go together"):
        P.Enum("kind", depends_on="layer")
    assert params[1].describe()["depends_on"] == "layer"


def test_the_form_refills_dependent_choices(qtbot):
    from cimviewer.algorithms.base import Algorithm
    from cimviewer.core.project import Project
    from cimviewer.ui.parameter_form import ParameterForm

    class Pick(Algorithm):
        title = "Pick"

        def parameters(self):
            return [P.LayerParam("layer", kinds=("vector",)),
                    P.Enum("kind", depends_on="layer", choices_from=_lods_of, default="b")]

    project = Project()
    first = project.add_layer(points_layer())
    other = points_layer()
    other.name = "others"
    other.data.columns["kind"] = ["x", "y", "z"]
    project.add_layer(other)
    form = ParameterForm(Pick(), project)
    qtbot.addWidget(form)
    combo = form.widgets["kind"]
    form.set_value("layer", first)
    assert [combo.itemData(i) for i in range(combo.count())] == ["a", "b"]
    assert combo.currentData() == "b"  # the default, offered by this layer
    form.set_value("layer", other)
    assert [combo.itemData(i) for i in range(combo.count())] == ["x", "y", "z"]
    form.set_value("kind", "z")
    assert validate(Pick(), form.raw_values())["kind"] == "z"
