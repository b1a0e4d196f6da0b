#!/usr/bin/env python3
"""Orbiting the demo city in the real main window (under Xvfb when there is no display):
frame time with the app's anti-aliasing policy against 4x MSAA on every frame.

    .venv/bin/python benchmarks/gui_orbit.py [--frames 30]
On a software renderer (llvmpipe) the policy draws moving frames without
anti-aliasing; on a GPU both runs are the same (MSAA stays on).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))


def orbit(frames: int) -> None:
    """Child process: open the demo city, orbit, print the median frame time."""
    import time

    import numpy as np
    from PySide6.QtCore import QSettings

    from cimviewer.io.demo import open_demo_project
    from cimviewer.ui.app import create_app
    from cimviewer.ui.main_window import MainWindow

    app = create_app("en")
    folder = Path(os.environ["ORBIT_TMP"])
    window = MainWindow(open_demo_project(),
                        QSettings(str(folder / "s.ini"), QSettings.Format.IniFormat))
    window.resize(1400, 900)
    window.show()
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    window.view.scene.finish_work()
    camera = window.view.scene.renderer.GetActiveCamera()
    times = []
    for _ in range(frames):
        camera.Azimuth(3)
        t = time.perf_counter()
        window.view.render()
        times.append(time.perf_counter() - t)
        app.processEvents()
    print(f"{np.median(times):.4f} {window.view.antialiasing.renderer_name}")
    window.project.mark_saved()
    window.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, default=30)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        orbit(args.frames)
        return 0
    import tempfile

    from dev import VirtualScreen

    results = {}
    with VirtualScreen(keep_display=True), tempfile.TemporaryDirectory() as tmp:
        for mode in ("auto", "msaa"):
            env = dict(os.environ, CIMVIEWER_ANTIALIAS=mode, ORBIT_TMP=tmp)
            out = subprocess.run([sys.executable, __file__, "--child", "--frames",
                                  str(args.frames)], env=env, capture_output=True, text=True,
                                 check=True).stdout.split()
            results[mode] = float(out[0])
            driver = " ".join(out[1:])
    auto, msaa = results["auto"], results["msaa"]
    print(f"OpenGL renderer: {driver}")
    print(f"orbit, app policy (CIMVIEWER_ANTIALIAS=auto): {auto * 1000:6.1f} ms/frame "
          f"= {1 / auto:5.1f} fps")
    print(f"orbit, 4x MSAA on every frame:                {msaa * 1000:6.1f} ms/frame "
          f"= {1 / msaa:5.1f} fps")
    print(f"ratio: {msaa / auto:.2f}x faster while moving")
    return 0


if __name__ == "__main__":
    sys.exit(main())
