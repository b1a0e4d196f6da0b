#!/usr/bin/env python3
"""Start-up: wall time from process start to the first rendered frame of the demo city.

Runs the real `cimviewer` process (under Xvfb when there is no display), which prints
``first-frame SECONDS`` once a frame with the demo layers has been rendered, and
measures from spawning the process to that line. Also prints peak memory (max RSS),
and as a floor, the time just to import Qt + VTK and open an empty window.

    .venv/bin/python benchmarks/startup.py [--runs 3]
Goal: first frame under 3 s on a 2-core machine with software rendering.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from dev import VirtualScreen

FLOOR = (
    "import sys, time; from PySide6.QtWidgets import QApplication, QMainWindow;"
    "import vtkmodules.vtkRenderingOpenGL2;"
    "from vtkmodules.qt.QVTKRenderWindowInteractor import QVTKRenderWindowInteractor as W;"
    "app = QApplication([]); w = QMainWindow(); v = W(w); w.setCentralWidget(v); w.show();"
    "app.processEvents(); v.GetRenderWindow().Render(); print('first-frame', flush=True)"
)


def time_to_first_frame(cmd: list[str], env: dict) -> tuple[float, float]:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)
    elapsed = float("nan")
    for line in proc.stdout:
        if line.startswith("first-frame"):
            elapsed = time.perf_counter() - t0
            break
    proc.terminate()
    proc.wait(30)
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return elapsed, rss_mb


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with VirtualScreen(keep_display=True):
        env = dict(os.environ, CIMVIEWER_REPORT_FIRST_FRAME="1",
                   CIMVIEWER_EXIT_AFTER_FIRST_FRAME="1")
        floor = [time_to_first_frame([sys.executable, "-c", FLOOR], env)[0]
                 for _ in range(args.runs)]
        app_times = []
        for _ in range(args.runs):
            elapsed, _rss = time_to_first_frame([sys.executable, "-m", "cimviewer"], env)
            app_times.append(elapsed)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    app = statistics.median(app_times)
    base = statistics.median(floor)
    print(f"empty Qt+VTK window, first frame : {base:6.2f} s (median of {args.runs})")
    print(f"cimviewer demo city, first frame : {app:6.2f} s (median of {args.runs}; "
          f"runs {', '.join(f'{t:.2f}' for t in app_times)})")
    print(f"ratio app / empty window         : {app / base:6.2f}")
    print(f"peak memory (max RSS of a child) : {peak:6.0f} MB")
    print(f"goal first frame < 3 s           : {'met' if app < 3 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
