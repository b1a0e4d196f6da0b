"""Hostile manifests and plugins that exit or return non-finite numbers.

Promise: one plugin's problem is reported as that plugin's, the CLI exits non-zero with
one line when a plugin ends its run, and --json prints JSON.

os._exit() cannot be caught in-process; it is a documented limitation (see
docs/architecture.md, Contracts -> Errors) and not tested here.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.faults.hostile import one_line_error, posix_only, run_cli

PLUGINS = Path(__file__).parent / "plugins"

HOSTILE_MANIFESTS = {
    "nested": "a = " + "[" * 600 + "]" * 600 + "\n",
    "nested_tables": "a = " + "{b = " * 400 + "1" + "}" * 400 + "\n",
    "binary": b"\x00\xff\xfe garbage \x80".decode("latin-1"),
    "huge": "# " + "x" * 400_000 + "\n",
    "wrong_types": 'manifest_version = 1\nname = ["x"]\nversion = 1\napi = {a = 1}\n',
    "algorithms_table": ('manifest_version = 1\nname = "wrong_types2"\nversion = "1"\n'
                         'api = "1.0"\nalgorithms = {id = 3}\n'),
}


def good_plugin(folder: Path) -> None:
    shutil.copytree(PLUGINS / "fault_nan_out", folder / "fault_nan_out")


@pytest.mark.parametrize("kind", sorted(HOSTILE_MANIFESTS))
def test_one_bad_manifest_is_that_plugins_problem(user_plugins, kind):
    bad = user_plugins / f"bad_{kind}"
    bad.mkdir()
    (bad / "plugin.toml").write_text(HOSTILE_MANIFESTS[kind], encoding="utf-8")
    good_plugin(user_plugins)
    from cimviewer.plugins.manager import PluginManager

    manager = PluginManager()
    manager.discover()
    assert "fault_nan_out" in manager.records
    assert any(f"bad_{kind}" in plugin or f"bad_{kind}" in message
               for plugin, message in manager.problems)


def test_bad_manifest_does_not_stop_the_cli(user_plugins):
    bad = user_plugins / "bad"
    bad.mkdir()
    (bad / "plugin.toml").write_text(HOSTILE_MANIFESTS["nested"])
    good_plugin(user_plugins)
    env = {"XDG_DATA_HOME": os.environ["XDG_DATA_HOME"]}
    proc = run_cli("plugins", "list", "--json", env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    data = json.loads(proc.stdout)
    assert "fault_nan_out" in [p["name"] for p in data["plugins"]]
    assert any("nested too deeply" in p["message"] for p in data["problems"])
    proc = run_cli("run", "fault_nan_out.alg", env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr


@posix_only
def test_fifo_manifest_does_not_hang(user_plugins):
    bad = user_plugins / "fifo"
    bad.mkdir()
    os.mkfifo(bad / "plugin.toml")
    good_plugin(user_plugins)
    proc = run_cli("plugins", "list", "--json",
                   env={"XDG_DATA_HOME": os.environ["XDG_DATA_HOME"]}, timeout=30)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert any("FIFO" in p["message"] for p in data["problems"])


@pytest.mark.parametrize(("plugin", "words"), [("fault_exit_import", ["sys.exit(3)"]),
                                                ("fault_exit_run", ["sys.exit(0)"])])
def test_plugin_calling_sys_exit_is_a_failure_not_an_exit(user_plugins, plugin, words):
    shutil.copytree(PLUGINS / plugin, user_plugins / plugin)
    proc = run_cli("run", f"{plugin}.alg", "--json",
                   env={"XDG_DATA_HOME": os.environ["XDG_DATA_HOME"]}, timeout=60)
    assert proc.stdout == ""
    one_line_error(proc, plugin, *words)
    assert proc.returncode == 1


def test_sys_exit_in_plugin_code_in_process(user_plugins):
    from cimviewer.plugins.loader import PluginError
    from cimviewer.plugins.manager import PluginManager

    shutil.copytree(PLUGINS / "fault_exit_import", user_plugins / "fault_exit_import")
    manager = PluginManager()
    manager.discover()
    manager.enable_all()
    with pytest.raises(PluginError, match=r"sys\.exit\(3\)"):
        manager.algorithm("fault_exit_import.alg")


def test_non_finite_numbers_give_json_null(user_plugins):
    good_plugin(user_plugins)
    proc = run_cli("run", "fault_nan_out.alg", "--json",
                   env={"XDG_DATA_HOME": os.environ["XDG_DATA_HOME"]}, timeout=60)
    assert proc.returncode == 0, proc.stderr

    def strict(name):
        raise ValueError(f"{name} is not JSON")
    summary = json.loads(proc.stdout, parse_constant=strict)
    assert summary["outputs"]["nan"]["value"] is None
    assert summary["outputs"]["inf"]["value"] is None
    assert summary["fine"] == 2.5
    assert "'nan'" in proc.stderr and "'inf'" in proc.stderr


def test_silent_dask_scheduler_is_bounded(monkeypatch):
    import socket
    import time

    from cimviewer.algorithms import backends
    from cimviewer.algorithms.base import AlgorithmError

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)  # accepts connections (the kernel does), never answers
    port = server.getsockname()[1]
    monkeypatch.setattr(backends, "CONNECT_SECONDS", 1.5)
    start = time.monotonic()
    try:
        with pytest.raises(AlgorithmError, match=f"127.0.0.1:{port}"):
            backends.DaskBackend(f"tcp://127.0.0.1:{port}").client()
    finally:
        server.close()
    assert time.monotonic() - start < 8
