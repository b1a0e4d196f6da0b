"""`cimviewer run`, `plugins list` and `plugin new`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cimviewer.cli import main
from cimviewer.io.demo import demo_building_path
from tests.plugins.samples import install_user_plugin


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_plugins_list_json(capsys):
    install_user_plugin("cimtest_hello")
    install_user_plugin("cimtest_future")
    code, out, _ = run_cli(capsys, "plugins", "list", "--json")
    assert code == 0
    data = json.loads(out)
    by_name = {p["name"]: p for p in data["plugins"]}
    assert by_name["building_stats"]["origin"] == "built-in"
    assert by_name["cimtest_hello"]["origin"] == "user"
    assert by_name["cimtest_hello"]["contributions"]["readers"] == ["hello"]
    assert by_name["cimtest_future"]["status"] == "refused"
    assert "cimtest_hello" not in sys.modules


def test_run_json_summary_and_progress(capsys, tmp_path):
    code, out, err = run_cli(capsys, "run", "building_stats.summary",
                             "--param", f"layer={demo_building_path()}",
                             "--param", "storey_height=3.5", "--out", str(tmp_path), "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["outputs"]["groups"]["path"] == str(tmp_path / "groups.csv")
    assert summary["outputs"]["buildings"]["value"] > 100
    assert (tmp_path / "attributes.csv").read_text(encoding="utf-8").startswith("attribute,")
    assert "100%" in err


def test_run_help(capsys):
    code, out, _ = run_cli(capsys, "run", "building_stats.summary", "--help")
    assert code == 0
    assert "storey_height=<number [2..10] m>" in out and "layer=" in out


@pytest.mark.parametrize("argv, code, message", [
    (["run", "building_stats.summary"], 2, "parameter 'layer': a value is required"),
    (["run", "building_stats.summary", "-p", "layer=/no/such.json"], 2, "is not a file"),
    (["run", "building_stats.summary", "-p", "nonsense"], 2, "NAME=VALUE"),
    (["run", "nope.algo"], 2, "no algorithm 'nope.algo'"),
])
def test_parameter_errors_exit_2(capsys, argv, code, message):
    got, out, err = run_cli(capsys, *argv)
    assert got == code
    assert message in err and len(err.strip().splitlines()) == 1 and not out


def test_algorithm_error_exits_1(capsys):
    install_user_plugin("cimtest_raising")
    code, _, err = run_cli(capsys, "run", "cimtest_raising.boom")
    assert code == 1
    last = err.strip().splitlines()[-1]
    # one line that names the plugin's file and line (the traceback only on request)
    assert last == ("cimviewer: error: cimtest_raising.boom: RuntimeError: the algorithm "
                    "exploded (at algo.py:14 in run)")
    assert "Traceback" not in err


def test_traceback_on_request_and_only_the_run_plugins_problems(capsys):
    install_user_plugin("cimtest_raising")
    install_user_plugin("cimtest_broken")  # broken, but not the plugin being run
    code, _, err = run_cli(capsys, "run", "cimtest_raising.boom", "--traceback")
    assert code == 1
    assert "Traceback (most recent call last)" in err and 'algo.py", line 14' in err
    assert "cimtest_broken" not in err  # no noise from unrelated plugins
    assert err.strip().splitlines()[-1].startswith("cimviewer: error: cimtest_raising.boom")


def test_a_task_failing_on_dask_names_the_plugins_file_and_line(capsys, dask_threads):
    """Tasks of folder plugins travel to dask workers by value, which strips their file
    names; the error and the traceback still point at the plugin's source."""
    from cimviewer.algorithms import backends

    install_user_plugin("cimtest_raising")
    key = (None, True, None)  # what --backend dask asks for: the session's threads instead
    backends._CLIENTS[key] = dask_threads.client()
    try:
        code, _, err = run_cli(capsys, "run", "cimtest_raising.split_boom", "--backend",
                               "dask", "--traceback")
    finally:
        backends._CLIENTS.pop(key, None)
    assert code == 1
    assert err.strip().splitlines()[-1] == (
        "cimviewer: error: cimtest_raising.split_boom: task 3 of 3 failed: IndexError: list "
        "index out of range (at algo.py:28 in pick_item)")
    assert "<dynamic-code>" not in err
    assert 'cimtest_raising/algo.py", line 28, in pick_item' in err.replace("\\", "/")
    assert "return items[spec]" in err  # the source line, read from the plugin's file


def test_progress_is_plain_lines_off_a_terminal(capsys):
    from cimviewer.cli_plugins import TerminalProgress

    progress = TerminalProgress("job", interactive=False)
    for i in range(101):
        progress(i / 100)
    progress.done()
    err = capsys.readouterr().err
    assert "\r" not in err
    assert err.splitlines() == [f"job: {p}%" for p in range(0, 101, 10)]


def test_dask_asked_for_an_algorithm_that_does_not_split(capsys):
    code, _, err = run_cli(capsys, "run", "coverage_5g.link_budget", "--backend", "dask",
                           "--param", "model=uma", "--param", "frequency_ghz=3.5",
                           "--param", "distance_m=1000", "--param", "tx_height_m=25",
                           "--param", "rx_height_m=1.5", "--json")
    assert code == 0
    assert "does not split into tasks" in err


def test_units_are_spaced_in_range_errors():
    from cimviewer.algorithms.parameters import Number, ParameterError, validate_all

    with pytest.raises(ParameterError, match="above the maximum 100 m²"):
        validate_all([Number("area", maximum=100, unit="m²")], {"area": 1000})
    with pytest.raises(ParameterError, match="above the maximum 50%"):
        validate_all([Number("share", maximum=50, unit="%")], {"share": 60})


def test_run_with_project_layer_names(capsys, tmp_path):
    from cimviewer.core.project import Project
    from cimviewer.io.layers import open_layer
    from cimviewer.io.project.file import save_project

    project = Project()
    project.add_layer(open_layer(demo_building_path(), name="Town"))
    save_project(project, tmp_path / "town.cimproj")
    code, out, err = run_cli(capsys, "run", "building_stats.summary", "-p", "layer=Town",
                             "--project", str(tmp_path / "town.cimproj"), "--json")
    assert code == 0, err
    path = json.loads(out)["outputs"]["groups"]["path"]
    assert path.startswith(str(tmp_path / "town_data" / "building_stats" / "summary"))


def test_run_on_dask(capsys, dask_threads, monkeypatch, tmp_path):
    install_user_plugin("cimtest_hello")
    import cimviewer.algorithms.backends as backends

    # the session's threaded cluster instead of a new process cluster
    client = dask_threads.client()
    monkeypatch.setattr(backends.DaskBackend, "client", lambda self: client)
    code, out, err = run_cli(capsys, "run", "cimtest_hello.squares", "-p", "n=100",
                             "--backend", "dask", "--out", str(tmp_path), "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["backend"] == "dask"
    assert summary["outputs"]["total"]["value"] == sum(i * i for i in range(100))


def test_subprocess_no_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "cimviewer", "run", "building_stats.summary",
                           "-p", "storey_height=99", "-p", f"layer={demo_building_path()}"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("cimviewer: error: parameter 'storey_height': 99 is above "
                                   "the maximum 10 m")


def test_scaffold_passes_its_own_test(tmp_path, capsys):
    code, _, _ = run_cli(capsys, "plugin", "new", "my_tool", "--dir", str(tmp_path))
    assert code == 0
    root = tmp_path / "my_tool"
    assert (root / "my_tool" / "plugin.toml").is_file()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                          cwd=root, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 passed" in proc.stdout
    code, _, err = run_cli(capsys, "plugin", "new", "my_tool", "--dir", str(tmp_path))
    assert code == 2 and "already exists" in err


def test_scaffold_plugin_loads_in_the_app(tmp_path):
    from cimviewer.plugins.manager import PluginManager
    from cimviewer.plugins.scaffold import write_skeleton

    root = write_skeleton("cimtest_scaffold", tmp_path)
    manager = PluginManager()
    manager.add_folder(root)
    assert manager.enable("cimtest_scaffold")
    assert manager.contributions("cimtest_scaffold", "docks")[0].id == "panel"
    manager.algorithm("cimtest_scaffold.count_features")
    manager.disable_all()
    from cimviewer.plugins.loader import forget_package

    forget_package("cimtest_scaffold")


def test_plugin_check_finds_what_first_use_would(capsys, tmp_path):
    """A syntax error in a module nobody imported yet, and a target naming nothing, are
    found by 'plugin check' before a planner meets them."""
    code, _, _ = run_cli(capsys, "plugin", "new", "my_check", "--dir", str(tmp_path))
    folder = tmp_path / "my_check" / "my_check"
    code, out, err = run_cli(capsys, "plugin", "check", str(folder))
    assert code == 0 and "ok" in out and not err
    (folder / "later.py").write_text("def broken(:\n    pass\n", encoding="utf-8")
    manifest = folder / "plugin.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(
        "my_check.algorithm:", "my_check.nowhere:"), encoding="utf-8")
    code, out, err = run_cli(capsys, "plugin", "check", str(folder))
    assert code == 1
    lines = err.strip().splitlines()
    assert any("later.py" in line and "invalid syntax" in line for line in lines), err
    assert any("nowhere" in line for line in lines), err
    assert "Traceback" not in err


def test_multi_layer_files_take_a_layer_name(tmp_path):
    """FILE:LAYER picks a layer of a GeoPackage; a bare multi-layer FILE is refused with
    the layers it holds, never read as its first layer silently."""
    from cimviewer.cli_plugins import layer_resolver
    from tests.io.project.data import write_dataset

    write_dataset(tmp_path)
    resolve = layer_resolver(None)
    poles = resolve(f"{tmp_path / 'things.gpkg'}:poles")
    roads = resolve(f"{tmp_path / 'things.gpkg'}:roads")
    assert poles.data.kind == "point" and roads.data.kind == "line"
    with pytest.raises(ValueError, match=r"holds 2 layers \(.*poles.*\).*FILE:LAYER"):
        resolve(str(tmp_path / "things.gpkg"))
    with pytest.raises(ValueError, match="is not a file"):
        resolve(str(tmp_path / "nothing.gpkg:poles"))
    assert resolve(str(tmp_path / "buildings.city.json")).kind == "citymodel"


def test_a_city_model_output_is_written_as_cityjson(capsys, tmp_path):
    import shutil

    from cimviewer.io.cityjson.reader import read_cityjson
    from tests.plugins.samples import SAMPLES, install_user_plugin

    assert SAMPLES.is_dir()
    install_user_plugin("cimtest_planner")
    code, out, err = run_cli(capsys, "run", "cimtest_planner.tag", "--param",
                             f"buildings={demo_building_path()}", "--out", str(tmp_path),
                             "--json")
    assert code == 0, err
    entry = json.loads(out)["outputs"]["tagged"]
    assert entry["kind"] == "citymodel" and entry["path"].endswith(".city.json")
    model = read_cityjson(entry["path"])
    tall = [a["tall"] for a in model.objects.attributes]
    assert len(tall) == entry["objects"] and any(tall) and not all(tall)
    shutil.rmtree(tmp_path)


def test_a_bad_manifest_is_reported_once(capsys, user_plugins):
    folder = user_plugins / "cimtest_badtoml"
    folder.mkdir()
    (folder / "plugin.toml").write_text('name = "cimtest_badtoml"\nversion = \n',
                                        encoding="utf-8")
    code, out, err = run_cli(capsys, "plugins", "list")
    assert code == 0 and "coverage_5g" in out
    assert err.count("not valid TOML") == 1, err
