#!/usr/bin/env python3
"""One command to set up and run cimviewer, or set up and test it.

    python3 scripts/dev.py run [cimviewer arguments]   # set up, open the demo city
    python3 scripts/dev.py test [pytest arguments]     # set up, lint, type-check, test all
    python3 scripts/dev.py setup                       # set up only
    python3 scripts/dev.py package [--force] [--clean] # set up, build the desktop package

`package` builds a one-folder frozen app with PyInstaller (installed into .venv on first
use) and packs it: dist/cimviewer-VERSION-linux-x86_64.tar.gz on Linux; on Windows the
app folder and, with Inno Setup 6 installed, a setup .exe (see docs/install.md).

Set-up is idempotent: a virtual environment in .venv with the project installed
(editable) and, on Debian/Ubuntu as root, the system packages that are missing
(OpenGL/EGL for offscreen rendering; Xvfb, Qt's X11 libraries, CJK fonts,
mosquitto and PostgreSQL for the tests). Works on Windows and macOS too (without the apt step).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
IS_WINDOWS = os.name == "nt"
BIN = VENV / ("Scripts" if IS_WINDOWS else "bin")
PY = BIN / ("python.exe" if IS_WINDOWS else "python")

# Offscreen rendering (VTK through EGL) needs these even without a display.
RUN_DEBS = ["libegl1", "libgl1", "libglx-mesa0", "libgl1-mesa-dri", "libgomp1"]
# Qt's xcb platform plugin and fonts, for a window on a display.
GUI_DEBS = [
    "libxkbcommon-x11-0", "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0",
    "libxcb-keysyms1", "libxcb-randr0", "libxcb-render-util0", "libxcb-shape0",
    "libxcb-xinerama0", "libxcb-xkb1", "libxcb-xfixes0", "libfontconfig1", "libdbus-1-3",
    "libxrender1", "libxi6", "fonts-noto-cjk",
]
# The tests: a virtual X screen, a real MQTT broker, and PostgreSQL's server binaries
# (the join tests start a throwaway cluster of their own on loopback).
TEST_DEBS = ["xvfb", "xauth", "mosquitto", "postgresql"]
# The desktop package: PyInstaller reads shared-library dependencies with binutils.
PACKAGE_DEBS = ["binutils"]


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def run(cmd: list[str | os.PathLike], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], check=True, **kwargs)


def missing_debs(packages: list[str]) -> list[str]:
    if not shutil.which("dpkg-query"):
        return []
    missing = []
    for pkg in packages:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg],
                             capture_output=True, text=True)
        if "install ok installed" not in out.stdout:
            missing.append(pkg)
    return missing


def ensure_debs(packages: list[str]) -> None:
    if sys.platform != "linux" or not shutil.which("apt-get"):
        return
    missing = missing_debs(packages)
    if not missing:
        return
    if os.geteuid() != 0:
        say("please install these Debian packages: sudo apt-get install " + " ".join(missing))
        return
    say("installing Debian packages: " + " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-qq"], env=env)
    run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env,
        stdout=subprocess.DEVNULL)


def ensure_venv(extras: str) -> None:
    if not PY.exists():
        say(f"creating virtual environment in {VENV}")
        run([sys.executable, "-m", "venv", VENV])
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    say("installing Python packages (first run takes a few minutes)")
    run([PY, "-m", "pip", "install", "-q", "--upgrade", "pip"])
    target = f".[{extras}]" if extras else "."
    run([PY, "-m", "pip", "install", "-q", "-e", target], cwd=ROOT)
    stamp.write_text(digest)


def has_display() -> bool:
    return sys.platform != "linux" or bool(os.environ.get("DISPLAY")
                                           or os.environ.get("WAYLAND_DISPLAY"))


def setup(for_tests: bool) -> None:
    debs = RUN_DEBS + (GUI_DEBS + TEST_DEBS if for_tests else GUI_DEBS if has_display() else [])
    if for_tests and os.environ.get("CIMVIEWER_TEST_PACKAGE") == "1":
        debs += PACKAGE_DEBS  # tests/frozen builds the desktop package
    ensure_debs(debs)
    ensure_venv("test" if for_tests else "")


class VirtualScreen:
    """An Xvfb server for the GUI tests and benchmarks; sets DISPLAY while it runs.

    ``keep_display``: use an existing DISPLAY instead of starting a server.
    """

    def __init__(self, keep_display: bool = False) -> None:
        self.proc: subprocess.Popen | None = None
        self.keep_display = keep_display

    def __enter__(self) -> VirtualScreen:
        if sys.platform != "linux" or not shutil.which("Xvfb"):
            return self
        if self.keep_display and os.environ.get("DISPLAY"):
            return self
        for number in range(90, 200):
            if not Path(f"/tmp/.X11-unix/X{number}").exists() and \
                    not Path(f"/tmp/.X{number}-lock").exists():
                break
        self.proc = subprocess.Popen(
            ["Xvfb", f":{number}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                break
            time.sleep(0.05)
        os.environ["DISPLAY"] = f":{number}"
        say(f"virtual screen on DISPLAY=:{number}")
        return self

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)


def cmd_test(args: list[str]) -> int:
    setup(for_tests=True)
    say("ruff")
    run([BIN / "ruff", "check", "."], cwd=ROOT)
    say("import contracts")
    run([BIN / "lint-imports"], cwd=ROOT)
    say("types")
    run([BIN / "mypy"], cwd=ROOT)  # files and settings: [tool.mypy] in pyproject.toml
    env = os.environ.copy()
    with VirtualScreen():
        env["DISPLAY"] = os.environ.get("DISPLAY", "")
        say("pytest")
        return subprocess.run([str(PY), "-m", "pytest", *args], cwd=ROOT,
                              env=env).returncode


def cmd_package(args: list[str]) -> int:
    setup(for_tests=False)
    ensure_debs(PACKAGE_DEBS)
    # scripts/package.py installs PyInstaller into .venv on first use
    return subprocess.run([str(PY), str(ROOT / "scripts" / "package.py"), *args],
                          cwd=ROOT).returncode


def cmd_run(args: list[str]) -> int:
    setup(for_tests=False)
    cli = BIN / ("cimviewer.exe" if IS_WINDOWS else "cimviewer")
    return subprocess.run([str(cli), *args], cwd=ROOT).returncode


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("run", "test", "setup", "package"):
        print(__doc__)
        return 2
    command, args = sys.argv[1], sys.argv[2:]
    if command == "setup":
        setup(for_tests=True)
        return 0
    if command == "package":
        return cmd_package(args)
    return cmd_test(args) if command == "test" else cmd_run(args)


if __name__ == "__main__":
    sys.exit(main())
