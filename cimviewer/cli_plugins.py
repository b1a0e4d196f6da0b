"""``cimviewer run``, ``cimviewer plugins list`` and ``cimviewer plugin new``.

Errors are one line on stderr: exit 2 for bad parameters or unknown names, 1 when
the algorithm fails. The JSON summary on stdout (``--json``) is the stable interface.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
from pathlib import Path
from typing import Any

from cimviewer.cli_errors import fail

#: vector formats that may hold several layers: a parameter must name which
MULTI_LAYER_SUFFIXES = (".gpkg", ".sqlite", ".gdb")


def load_manager(quiet: bool = False) -> Any:
    """All discovered plugins, enabled (the GUI's enabled state lives in its settings).

    ``quiet``: problems of plugins are collected in ``manager.problems`` but not logged
    (``run`` reports only those of the plugin it runs)."""
    import logging

    from cimviewer.plugins.manager import PluginManager

    logger = logging.getLogger("cimviewer.plugins")
    before = logger.disabled
    logger.disabled = quiet or before
    try:
        manager = PluginManager()
        manager.discover()
        manager.enable_all()
    finally:
        logger.disabled = before
    return manager


# --- plugins list ---------------------------------------------------------------------
def plugin_summary(manager: Any) -> list[dict[str, Any]]:
    from cimviewer.plugins.manifest import localized

    out = []
    for record in manager.records.values():
        m = record.manifest
        out.append({
            "name": m.name, "display_name": m.display_name, "version": m.version,
            "author": m.author, "api": m.api, "origin": record.origin,
            "folder": str(record.folder), "status": record.status, "error": record.error,
            "contributions": {kind: [c.id for c in m.of_kind(kind)]
                              for kind in ("algorithms", "docks", "actions", "readers", "styles")},
            "algorithms": [{"name": f"{m.name}.{c.id}", "title": localized(c.title)}
                           for c in m.of_kind("algorithms")],
        })
    return out


def cmd_plugins(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="cimviewer plugins",
                                     description="Describe the installed plugins.")
    parser.add_argument("action", choices=["list"])
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    manager = load_manager(quiet=True)  # problems are listed below, once each
    plugins = plugin_summary(manager)
    if args.json:
        print(json.dumps({"plugins": plugins,
                          "problems": [{"plugin": p, "message": m} for p, m in manager.problems]},
                         ensure_ascii=False))
        return 0
    for info in plugins:
        print(f"{info['name']} {info['version']}  [{info['status']}, {info['origin']}]  "
              f"{info['display_name'].get('en', '')}")
        for alg in info["algorithms"]:
            print(f"    {alg['name']:<32} {alg['title']}")
        if info["error"]:
            print(f"    ! {info['error']}")
    for plugin, message in manager.problems:
        if plugin not in manager.records or manager.records[plugin].error != message:
            print(f"cimviewer: warning: plugin {plugin!r}: {message}", file=sys.stderr)
    return 0


# --- plugin new -----------------------------------------------------------------------
def cmd_plugin(argv: list[str]) -> int:
    from cimviewer.plugins.scaffold import write_skeleton

    parser = argparse.ArgumentParser(prog="cimviewer plugin",
                                     description="Tools for plugin developers.")
    parser.add_argument("action", choices=["new", "check"],
                        help="new: a working plugin skeleton; check: import every target "
                             "of the plugin at PATH and validate its manifest")
    parser.add_argument("name", help="new: the plugin name (letters, digits and '_'); "
                                     "check: the folder holding plugin.toml")
    parser.add_argument("--dir", default=".", help="folder to create the project in")
    args = parser.parse_args(argv)
    if args.action == "check":
        from cimviewer.plugins.check import check_plugin

        problems = check_plugin(Path(args.name))
        for problem in problems:
            print(f"cimviewer: error: {problem}", file=sys.stderr)
        if not problems:
            print(f"{args.name}: ok")
        return 1 if problems else 0
    try:
        root = write_skeleton(args.name, Path(args.dir))
    except ValueError as exc:
        return fail(str(exc), 2)
    print(root)
    return 0


# --- run ------------------------------------------------------------------------------
def run_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cimviewer run", add_help=False,
        description="Run a plugin algorithm headless. "
                    "'cimviewer run PLUGIN.ALGORITHM --help' lists its parameters.")
    parser.add_argument("algorithm", nargs="?", help="PLUGIN.ALGORITHM")
    parser.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                        help="a parameter value (repeat for each)")
    parser.add_argument("--project", help="a .cimproj: layer parameters may name its layers "
                                          "(or #N, its N-th layer); results go to its data "
                                          "folder unless --out is given")
    parser.add_argument("--out", help="folder for result files")
    parser.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    parser.add_argument("--backend", choices=["local", "dask"], default="local",
                        help="where split algorithms run (default: in this process)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="dask scheduler address (implies --backend dask); "
                             "default: a LocalCluster")
    parser.add_argument("--traceback", action="store_true",
                        help="on failure, print the algorithm's full traceback too")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="show the algorithm's log messages (ctx.log) from INFO up")
    parser.add_argument("-h", "--help", action="store_true", help="show help and exit")
    return parser


def algorithm_help(algorithm: Any) -> str:
    lines = [f"usage: cimviewer run {algorithm.qualified_name} [--param NAME=VALUE ...]",
             "", algorithm.title, ""]
    if algorithm.description:
        lines += [algorithm.description, ""]
    lines.append("parameters:")
    for p in algorithm.parameters():
        default = "" if p.default is None else f" (default: {p.default})"
        need = " [optional]" if p.optional else ("" if p.default is not None else " [required]")
        lines.append(f"  {p.name}=<{p.cli_hint()}>{need}{default}")
        lines.append(f"      {p.label}{': ' + p.description if p.description else ''}")
    lines.append("outputs:")
    for o in algorithm.outputs():
        lines.append(f"  {o.name} ({o.type_name}): {o.label}")
    if algorithm.splits:
        lines += ["", "splits into independent tasks: --backend dask runs them on a cluster"]
    return "\n".join(lines)


class TerminalProgress:
    """A progress bar on stderr, redrawn when the whole percentage changes; when stderr
    is not a terminal (CI logs, pipes), a plain line every 10 % instead of ``\r``."""

    def __init__(self, label: str, width: int = 30, interactive: bool | None = None):
        self.label = label
        self.width = width
        self.last = -1
        self.interactive = sys.stderr.isatty() if interactive is None else interactive

    def __call__(self, fraction: float) -> None:
        percent = int(max(0.0, min(1.0, fraction)) * 100)
        step = percent if self.interactive else percent // 10 * 10
        if step == self.last:
            return
        self.last = step
        if not self.interactive:
            sys.stderr.write(f"{self.label}: {step}%\n")
            sys.stderr.flush()
            return
        filled = self.width * percent // 100
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] "
                         f"{percent:3d}%")
        sys.stderr.flush()

    def done(self) -> None:
        if self.last >= 0 and self.interactive:
            sys.stderr.write("\n")
            sys.stderr.flush()


def parse_params(items: list[str]) -> dict[str, str]:
    from cimviewer.algorithms.parameters import ParameterError

    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ParameterError(item, "write parameters as NAME=VALUE")
        if name.strip() in out:
            raise ParameterError(name.strip(), "given twice")
        out[name.strip()] = value
    return out


def cmd_run(argv: list[str]) -> int:
    from cimviewer.algorithms.base import AlgorithmError, Cancelled, Context
    from cimviewer.algorithms.parameters import ParameterError
    from cimviewer.algorithms.runner import execute, validate
    from cimviewer.algorithms.writers import write_outputs
    from cimviewer.plugins.loader import PluginError

    parser = run_parser()
    args = parser.parse_args(argv)
    if not args.algorithm:
        parser.print_help()
        return 0 if args.help else 2
    if args.verbose:
        import logging

        logging.basicConfig(format="cimviewer: %(levelname)s: %(name)s: %(message)s")
        logging.getLogger("cimviewer").setLevel(logging.INFO)
    manager = load_manager(quiet=True)
    plugin = args.algorithm.partition(".")[0]
    for name, message in manager.problems:  # only the plugin asked for: no noise
        if name == plugin:
            print(f"cimviewer: warning: plugin {name!r}: {message}", file=sys.stderr)
    try:
        algorithm = manager.algorithm(args.algorithm)
    except KeyError as exc:
        problems = [m for p, m in manager.problems if p == plugin]
        return fail(exc.args[0] + (f"; plugin {plugin!r}: {problems[-1]}" if problems else ""), 2)
    except PluginError as exc:
        return fail(str(exc))
    if args.help:
        print(algorithm_help(algorithm))
        return 0

    project = None
    if args.project:
        from cimviewer.io.project.file import open_project

        opened = open_project(args.project)
        project = opened.project
        for message in opened.messages:
            print(f"cimviewer: warning: {message}", file=sys.stderr)
    try:
        raw = parse_params(args.param)
        params = validate(algorithm, raw, layer_resolver(project))
    except ParameterError as exc:
        return fail(str(exc), 2)

    from cimviewer.algorithms.backends import make_backend

    backend = make_backend(args.backend, args.scheduler)
    if backend.name == "dask" and not algorithm.splits:
        print(f"cimviewer: note: {args.algorithm} does not split into tasks: it runs in "
              "this process, not on dask", file=sys.stderr)
    progress = TerminalProgress(args.algorithm)
    ctx = Context(progress=progress, project=project, plugin=plugin)
    t0 = time.perf_counter()
    try:
        outputs = execute(algorithm, params, ctx, backend)
    except Cancelled:
        progress.done()
        return fail(f"{args.algorithm}: cancelled", 1)
    except (AlgorithmError, ParameterError, PluginError) as exc:
        progress.done()
        if args.traceback:
            import traceback

            cause = exc.__cause__ or exc
            traceback.print_exception(type(cause), cause, cause.__traceback__)
        return fail(f"{args.algorithm}: {exc}", 1)
    progress.done()
    seconds = time.perf_counter() - t0
    summary = {
        "algorithm": args.algorithm,
        "backend": backend.name if algorithm.splits else "local",
        "seconds": round(seconds, 3),
        "parameters": {k: _show(v) for k, v in params.items()},
        "outputs": write_outputs(algorithm, outputs, output_paths(args, project, algorithm)),
    }
    # numbers and value lists also stand at the top level, so scripts can read e.g.
    # ["path_loss_db"] as well as ["outputs"]["path_loss_db"]["value"]
    for name, entry in summary["outputs"].items():
        if entry.get("type") == "number" and name not in summary:
            summary[name] = entry.get("value")
        elif entry.get("type") == "values" and name not in summary:
            summary[name] = entry.get("values")
    for where in _not_finite(summary):
        print(f"cimviewer: warning: {args.algorithm}: {where} is not a finite number: "
              "given as null", file=sys.stderr)
    if args.json:
        print(json.dumps(_finite(summary), ensure_ascii=False, allow_nan=False))
    else:
        print_summary(summary)
    return 0


def _finite(value: Any) -> Any:
    """``value`` with NaN and infinities as None: --json must print JSON, and NaN is not."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _not_finite(summary: dict[str, Any]) -> list[str]:
    return [f"output {name!r}" for name, entry in summary["outputs"].items()
            if isinstance(entry.get("value"), float) and not math.isfinite(entry["value"])]


def _show(value: Any) -> Any:
    if hasattr(value, "kind") and hasattr(value, "uid"):
        return {"layer": value.name, "source": str(value.source) if value.source else None}
    if isinstance(value, Path):
        return str(value)
    return value


def layer_resolver(project: Any) -> Any:
    """Text -> layer: a layer name of the project, ``#N`` (its N-th layer, from 1) or a file.

    A name that several layers share is an error listing them, never the first one.
    """
    from cimviewer.io.layers import open_layer, split_layer_spec
    from cimviewer.io.vector import list_layers

    def resolve(text: str) -> Any:
        if project is not None:
            layers = list(project.layers)
            matches = [i for i, layer in enumerate(layers) if layer.name == text]
            if len(matches) == 1:
                return layers[matches[0]]
            if matches:
                listed = ", ".join(
                    f"#{i + 1}" + (f" ({layers[i].source})" if layers[i].source else "")
                    for i in matches)
                raise ValueError(f"{text!r} names {len(matches)} layers of the project: "
                                 f"{listed}; give one by its position, e.g. "
                                 f"#{matches[0] + 1}, or by its file")
            number = re.fullmatch(r"#(\d+)", text.strip())
            if number is not None:
                index = int(number.group(1))
                if not 1 <= index <= len(layers):
                    raise ValueError(f"{text!r}: the project has {len(layers)} layers")
                return layers[index - 1]
        path, layer_name = split_layer_spec(text)
        if not path.exists():
            names = ", ".join(layer.name for layer in project.layers) if project else ""
            raise ValueError(f"{text!r} is not a file" + (f" or a layer of the project "
                                                          f"({names})" if project else ""))
        if layer_name is None and path.suffix.lower() in MULTI_LAYER_SUFFIXES:
            inside = list_layers(path)
            if len(inside) > 1:  # never the first one silently
                raise ValueError(f"{text!r} holds {len(inside)} layers ({', '.join(inside)}): "
                                 f"name one as FILE:LAYER, e.g. {path.name}:{inside[0]}")
        options = {"layer": layer_name} if layer_name else None
        return open_layer(path, project_crs=project.crs if project is not None else None,
                          options=options)
    return resolve


def output_paths(args: argparse.Namespace, project: Any, algorithm: Any) -> Any:
    """Where each output file goes: --out, else the project's data folder, else ./PLUGIN.ALG."""
    if args.out or project is None:
        folder = Path(args.out) if args.out else Path.cwd() / algorithm.qualified_name
        folder.mkdir(parents=True, exist_ok=True)
        return lambda name, suffix: folder / f"{name}{suffix}"
    from cimviewer.io.project.paths import result_path

    plugin, _, alg = algorithm.qualified_name.partition(".")
    return lambda name, suffix: result_path(project, f"{plugin}/{alg}/{name}{suffix}")


def print_summary(summary: dict[str, Any]) -> None:
    print(f"{summary['algorithm']}: done in {summary['seconds']:.2f} s")
    for name, out in summary["outputs"].items():
        if "path" in out:
            print(f"  {name}: {out['path']}")
        elif "value" in out:
            print(f"  {name}: {out['value']} {out.get('unit', '')}".rstrip())
        elif "text" in out:
            print(f"  {name}:")
            print("    " + out["text"].rstrip().replace("\n", "\n    "))
        elif "values" in out:
            print(f"  {name}: {' '.join(str(v) for v in out['values'])}")
        else:
            print(f"  {name}: {out.get('kind', out['type'])} (in memory)")


def main(command: str, argv: list[str]) -> int:
    if command == "run":
        return cmd_run(argv)
    if command == "plugins":
        return cmd_plugins(argv)
    return cmd_plugin(argv)
