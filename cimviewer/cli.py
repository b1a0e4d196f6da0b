"""The ``cimviewer`` command: the stable face that scripts, tests and tools drive."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from cimviewer import __version__
from cimviewer.cli_errors import fail

COMMANDS = ("info", "screenshot")


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1280x800, not {text!r}") from None
    if not (16 <= w <= 16384 and 16 <= h <= 16384):
        raise argparse.ArgumentTypeError("size must be between 16 and 16384 pixels per side")
    return w, h


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cimviewer",
        description="City information model viewer. With no PATH, opens the demo city.",
        epilog="Commands: info PATH --json | screenshot PATH --out FILE.png | "
               "run PLUGIN.ALGORITHM --param NAME=VALUE | plugins list | plugin new NAME | "
               "kiosk [PROJECT] | kiosk-supervise -- [KIOSK ARGS]",
    )
    parser.add_argument("--version", action="version", version=f"cimviewer {__version__}")
    parser.add_argument("path", nargs="?", help="a city model, DEM or vector file")
    parser.add_argument("--lang", help="user interface language: en or zh_CN")
    return parser


def build_command_parser(command: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"cimviewer {command}")
    parser.add_argument("path", nargs="?", help="dataset (default: the demo city)")
    if command == "info":
        parser.add_argument("--json", action="store_true", help="print JSON")
    else:
        parser.add_argument("--out", required=True, help="PNG file to write")
        parser.add_argument("--size", type=_size, default=(1280, 800), help="WxH in pixels")
        parser.add_argument("--bookmark", metavar="NAME",
                            help="for a .cimproj project: render this saved view")
    return parser


def cmd_info(args: argparse.Namespace) -> int:
    from cimviewer.io.demo import demo_building_path
    from cimviewer.io.summary import summarize_path

    path = Path(args.path) if args.path else demo_building_path()
    if path.suffix.lower() == ".cimproj":
        from cimviewer.io.project.file import project_summary

        summary = project_summary(path)
    else:
        summary = summarize_path(path)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        for key, value in summary.items():
            if key == "problem_list":  # one line per occurrence
                for entry in value:
                    print(f"{'problem':>10}: {entry['kind']} {entry['object'] or '-'} "
                          f"{entry['place'] or ''}".rstrip())
            else:
                print(f"{key:>10}: {value}")
    return 0


def cmd_screenshot(args: argparse.Namespace) -> int:
    from cimviewer.core.project import Project
    from cimviewer.io.demo import open_demo_project
    from cimviewer.io.layers import open_layer
    from cimviewer.render.snapshot import render_png

    bookmark = getattr(args, "bookmark", None)
    if args.path and Path(args.path).suffix.lower() == ".cimproj":
        from cimviewer.io.project.file import open_project

        opened = open_project(args.path)
        project = opened.project
        for message in opened.messages:
            print(f"cimviewer: warning: {message}", file=sys.stderr)
        if bookmark is not None:
            names = [mark.name for mark in project.bookmarks]
            if bookmark not in names:
                return fail(f"no bookmark {bookmark!r} in {args.path}; available: "
                            f"{', '.join(names) or '(none)'}")
            project.camera.state = project.bookmarks[names.index(bookmark)].camera
    elif bookmark is not None:
        return fail("--bookmark needs a .cimproj project")
    elif args.path:
        project = Project()
        project.add_layer(open_layer(args.path))
    else:
        project = open_demo_project()
    out = Path(args.out)
    if out.parent and not out.parent.exists():
        return fail(f"{out.parent}: folder does not exist")
    if out.is_dir():
        return fail(f"{out}: is a folder, not a file")
    write_result(out, lambda tmp: render_png(project, tmp, args.size), b"\x89PNG")
    print(out.resolve())
    return 0


def write_result(out: Path, make, signature: bytes = b"") -> Path:
    """Make a result file through ``make(temporary path)`` and put it at ``out``.

    The renderer writes into a private temporary folder and reports nothing when that
    fails; the result is checked (exists, starts with ``signature``) and then written
    atomically, so a command that could not write its result raises OSError (exit 1)
    instead of printing a path with nothing behind it.
    """
    import tempfile

    from cimviewer.io.atomic import atomic_write_bytes

    with tempfile.TemporaryDirectory(prefix="cimviewer-") as folder:
        tmp = Path(folder) / out.name
        make(tmp)
        try:
            data = tmp.read_bytes()
        except OSError:
            data = b""
    if not data or not data.startswith(signature):
        raise OSError(f"{out}: the image could not be made (nothing was written)")
    return atomic_write_bytes(out, data, backup=False)  # OSError names ``out``


def has_display() -> bool:
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def main(argv: list[str] | None = None) -> int:
    from cimviewer.io.errors import ReadError

    if not has_display():
        # offscreen rendering straight through EGL: VTK would first try X and warn
        os.environ.setdefault("VTK_DEFAULT_OPENGL_WINDOW", "vtkEGLRenderWindow")

    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in ("run", "plugins", "plugin"):
            from cimviewer.cli_plugins import main as plugins_main

            return plugins_main(argv[0], argv[1:])
        if argv and argv[0] in ("kiosk", "kiosk-supervise"):
            from cimviewer.cli_kiosk import main as kiosk_main

            return kiosk_main(argv[0], argv[1:])
        if argv and argv[0] == "sensors":
            from cimviewer.cli_sensors import main as sensors_main

            return sensors_main(argv[1:])
        if argv and argv[0] in COMMANDS:
            command = argv.pop(0)
            args = build_command_parser(command).parse_args(argv)
            return cmd_info(args) if command == "info" else cmd_screenshot(args)
        args = build_parser().parse_args(argv)
        if not has_display():
            out = Path.cwd() / "cimviewer-demo.png"
            print(f"No display found: rendering {'the demo city' if not args.path else args.path}"
                  f" to {out} instead of opening a window.", flush=True)
            return cmd_screenshot(argparse.Namespace(path=args.path, out=str(out),
                                                     size=(1600, 1000)))
        from cimviewer.ui.app import run_gui

        return run_gui(args.path, args.lang)
    except ReadError as exc:
        return fail(exc.one_line())
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        return fail(str(exc))


if __name__ == "__main__":
    sys.exit(main())
