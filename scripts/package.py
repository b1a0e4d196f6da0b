#!/usr/bin/env python3
"""Build the desktop package: a one-folder frozen app (PyInstaller), then pack it.

Run by ``python3 scripts/dev.py package`` with the project's virtual environment (which
has the app's dependencies and PyInstaller); it can also be run directly with that
Python. Linux: ``dist/cimviewer-<version>-linux-<arch>.tar.gz`` (the app, a .desktop
file, icons, the MIME type, install.sh / uninstall.sh). Windows:
``dist/cimviewer-<version>-windows-x64/`` and, when Inno Setup's ISCC.exe is found,
``dist/cimviewer-<version>-windows-x64-setup.exe``.

    python scripts/package.py [--force] [--clean]

Without ``--force`` a package newer than every input file is reused as it is.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
BUILD = ROOT / "build"
DIST = ROOT / "dist"
FROZEN = BUILD / "frozen" / "cimviewer"  # PyInstaller's COLLECT output
#: what a package is made from: newer files here mean the package is stale
INPUTS = ["cimviewer", "plugins", "resources", "packaging", "pyproject.toml", "scripts/package.py"]
IS_WINDOWS = os.name == "nt"
PYINSTALLER = "pyinstaller>=6.10"


def say(message: str) -> None:
    print(f"[package] {message}", flush=True)


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from cimviewer import __version__

    return __version__


def package_name() -> str:
    if IS_WINDOWS:
        return f"cimviewer-{version()}-windows-x64"
    machine = platform.machine().lower().replace("amd64", "x86_64")
    system = "linux" if sys.platform.startswith("linux") else sys.platform
    return f"cimviewer-{version()}-{system}-{machine}"


def newest_input() -> float:
    newest = 0.0
    for name in INPUTS:
        path = ROOT / name
        files = [path] if path.is_file() else (p for p in path.rglob("*") if p.is_file())
        for file in files:
            if "__pycache__" not in file.parts:
                newest = max(newest, file.stat().st_mtime)
    return newest


def is_fresh(result: Path) -> bool:
    return result.exists() and result.stat().st_mtime > newest_input()


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def ensure_pyinstaller() -> None:
    """PyInstaller in this Python's environment (the project's .venv)."""
    if importlib.util.find_spec("PyInstaller") is None:
        say(f"installing {PYINSTALLER}")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", PYINSTALLER], check=True)


def freeze(clean: bool) -> None:
    """PyInstaller on packaging/cimviewer.spec -> build/frozen/cimviewer/."""
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--workpath", str(BUILD / "pyinstaller"), "--distpath", str(BUILD / "frozen"),
           str(PACKAGING / "cimviewer.spec")]
    if clean:
        cmd.insert(3, "--clean")
    started = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT)
    say(f"frozen app built in {time.perf_counter() - started:.0f} s: {FROZEN} "
        f"({folder_size(FROZEN) / 1e6:.0f} MB)")


def bundle_lists():  # packaging/bundle_lists.py: what the spec puts in, what is stripped
    sys.path.insert(0, str(PACKAGING))
    import bundle_lists

    return bundle_lists


def strip_libraries(internal: Path) -> None:
    """Drop the symbol tables of the libraries in STRIP_GLOBS (binutils' strip)."""
    strip = shutil.which("strip")
    if strip is None:
        say("binutils' strip not found: libraries keep their symbol tables")
        return
    before = folder_size(internal)
    files = sorted({p for pattern in bundle_lists().STRIP_GLOBS for p in internal.glob(pattern)
                    if p.is_file() and not p.is_symlink()})
    for file in files:
        subprocess.run([strip, "--strip-unneeded", str(file)], check=True)
    say(f"stripped {len(files)} libraries: {(before - folder_size(internal)) / 1e6:.0f} MB less")


def stage_linux(stage: Path) -> None:
    """The folder the tarball unpacks to: the app plus desktop integration files."""
    if stage.exists():
        shutil.rmtree(stage)
    shutil.copytree(FROZEN, stage, symlinks=True)
    strip_libraries(stage / "_internal")
    linux = PACKAGING / "linux"
    for name in ("install.sh", "uninstall.sh"):
        shutil.copy2(linux / name, stage / name)
        (stage / name).chmod(0o755)
    shutil.copy2(linux / "cimviewer-mime.xml", stage / "cimviewer-mime.xml")
    shutil.copy2(PACKAGING / "cimviewer.desktop", stage / "cimviewer.desktop")
    shutil.copy2(linux / "README.txt", stage / "README.txt")
    icons = stage / "icons"
    icons.mkdir()
    for icon in (ROOT / "resources" / "icons").iterdir():
        if icon.suffix in (".png", ".svg"):
            shutil.copy2(icon, icons / icon.name)


def pack_linux(name: str) -> Path:
    stage = BUILD / "stage" / name
    stage_linux(stage)
    DIST.mkdir(exist_ok=True)
    tarball = DIST / f"{name}.tar.gz"
    tmp = tarball.with_suffix(".tmp")
    started = time.perf_counter()
    with tarfile.open(tmp, "w:gz", compresslevel=6) as tar:
        tar.add(stage, arcname=name)
    tmp.replace(tarball)
    say(f"packed in {time.perf_counter() - started:.0f} s: {tarball} "
        f"({tarball.stat().st_size / 1e6:.0f} MB; unpacked {folder_size(stage) / 1e6:.0f} MB)")
    return tarball


def find_iscc() -> Path | None:
    found = shutil.which("ISCC") or shutil.which("iscc")
    if found:
        return Path(found)
    for base in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES"),
                 os.environ.get("LOCALAPPDATA")):
        if base:
            for candidate in Path(base).glob("Inno Setup*/ISCC.exe"):
                return candidate
    return None


def pack_windows(name: str) -> Path:
    folder = DIST / name
    if folder.exists():
        shutil.rmtree(folder)
    DIST.mkdir(exist_ok=True)
    shutil.copytree(FROZEN, folder)
    iscc = find_iscc()
    if iscc is None:
        say(f"app folder: {folder}. Inno Setup (ISCC.exe) not found: install Inno Setup 6 and "
            f"run: ISCC /DAppVersion={version()} /DSourceDir={folder} "
            f"packaging\\windows\\cimviewer.iss")
        return folder
    subprocess.run([str(iscc), f"/DAppVersion={version()}", f"/DSourceDir={folder}",
                    f"/DOutputDir={DIST}", f"/DOutputName={name}-setup",
                    str(PACKAGING / "windows" / "cimviewer.iss")], check=True)
    setup = DIST / f"{name}-setup.exe"
    say(f"installer: {setup}")
    return setup


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the cimviewer desktop package.")
    parser.add_argument("--force", action="store_true", help="build even if the package "
                        "is newer than every input")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    args = parser.parse_args(argv)
    name = package_name()
    result = DIST / (name if IS_WINDOWS else f"{name}.tar.gz")
    if not args.force and is_fresh(result):
        say(f"up to date: {result} (--force to rebuild)")
        print(result)
        return 0
    ensure_pyinstaller()
    freeze(args.clean)
    result = pack_windows(name) if IS_WINDOWS else pack_linux(name)
    print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
