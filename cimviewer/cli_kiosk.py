"""``cimviewer kiosk`` and ``cimviewer kiosk-supervise``: exhibition screens."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path

from cimviewer.cli_errors import fail

#: option -> (settings field, help); shorter timeouts for tests and rehearsals
TIMING_OPTIONS = {
    "--idle-timeout": ("idle_timeout_s", "seconds without input before the countdown"),
    "--countdown": ("countdown_s", "seconds the countdown runs"),
    "--attract-delay": ("attract_delay_s", "seconds after launch before the tour starts"),
    "--flight": ("flight_s", "seconds per flight between stops"),
    "--dwell": ("dwell_s", "seconds the tour stays (orbiting) at a stop"),
}


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 <= value <= 86_400:
        raise argparse.ArgumentTypeError("must be between 0 and 86400 seconds")
    return value


def kiosk_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cimviewer kiosk",
        description="Show a project (default: the demo city with its built-in tour) full "
                    "screen, locked, for an unattended touch screen. The operator leaves "
                    "with Ctrl+Shift+F12 and the PIN.")
    parser.add_argument("project", nargs="?", help="a .cimproj project with a kiosk section")
    parser.add_argument("--monitor", type=int, help="screen index (default: the project's, "
                        "else the primary screen)")
    parser.add_argument("--lang", choices=("zh_CN", "en"), help="start language")
    parser.add_argument("--windowed", action="store_true",
                        help="a normal window instead of full screen (rehearsals)")
    parser.add_argument("--unlocked", action="store_true",
                        help="quit keys work (rehearsals; never on a kiosk)")
    parser.add_argument("--heartbeat", type=Path, help="heartbeat file (the supervisor's)")
    parser.add_argument("--log-dir", type=Path, help="folder of kiosk.log (default: the "
                        "user log folder)")
    for option, (_field, text) in TIMING_OPTIONS.items():
        parser.add_argument(option, type=_seconds, metavar="S", help=text)
    return parser


def supervise_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cimviewer kiosk-supervise",
        description="Run `cimviewer kiosk` and restart it when it exits with an error or "
                    "stops drawing. Arguments after -- go to the kiosk.",
        usage="cimviewer kiosk-supervise [options] [-- KIOSK ARGUMENTS]")
    parser.add_argument("--stall", type=_seconds, default=30.0,
                        help="restart when no frame was drawn for this long (30 s)")
    parser.add_argument("--startup", type=_seconds, default=90.0,
                        help="time allowed for the first frame (90 s)")
    parser.add_argument("--max-restarts", type=int, help="give up after this many")
    parser.add_argument("--state-dir", type=Path, help="heartbeat and status files")
    parser.add_argument("--log-dir", type=Path, help="folder of kiosk-supervisor.log")
    return parser


def cmd_kiosk(argv: list[str]) -> int:
    args = kiosk_parser().parse_args(argv)
    from cimviewer.cli import has_display

    if not has_display():
        return fail("the kiosk needs a display (DISPLAY or WAYLAND_DISPLAY)")
    if args.project is not None and not Path(args.project).is_file():
        logging.getLogger("cimviewer").warning("kiosk: %s not found", args.project)
    from cimviewer.kiosk_supervisor import setup_log_file

    path = setup_log_file("kiosk.log", args.log_dir)
    print(f"cimviewer kiosk: logging to {path}", flush=True)
    from cimviewer.ui.kiosk.app import KioskOptions, run_kiosk

    overrides = {field: getattr(args, option[2:].replace("-", "_"))
                 for option, (field, _t) in TIMING_OPTIONS.items()
                 if getattr(args, option[2:].replace("-", "_")) is not None}
    return run_kiosk(KioskOptions(
        project=None if args.project is None else Path(args.project), monitor=args.monitor,
        language=args.lang, windowed=args.windowed, heartbeat=args.heartbeat,
        overrides=overrides, lock=not args.unlocked))


def cmd_supervise(argv: list[str]) -> int:
    ours, kiosk_args = (argv[:argv.index("--")], argv[argv.index("--") + 1:]) \
        if "--" in argv else (argv, [])
    args = supervise_parser().parse_args(ours)
    from cimviewer.kiosk_supervisor import (
        Supervisor,
        default_state_dir,
        kiosk_command,
        setup_log_file,
    )

    path = setup_log_file("kiosk-supervisor.log", args.log_dir, "cimviewer.supervisor")
    logging.getLogger("cimviewer.supervisor").addHandler(logging.StreamHandler(sys.stderr))
    print(f"cimviewer kiosk-supervise: logging to {path}", flush=True)
    if args.log_dir is not None and "--log-dir" not in kiosk_args:
        kiosk_args = [*kiosk_args, "--log-dir", str(args.log_dir)]
    supervisor = Supervisor(kiosk_command(kiosk_args), args.state_dir or default_state_dir(),
                            stall_s=args.stall, startup_s=args.startup,
                            max_restarts=args.max_restarts)
    signal.signal(signal.SIGTERM, supervisor.request_stop)
    return supervisor.run()


def main(command: str, argv: list[str]) -> int:
    return cmd_kiosk(argv) if command == "kiosk" else cmd_supervise(argv)
