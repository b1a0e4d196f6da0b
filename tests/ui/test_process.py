"""The real `cimviewer` process on the X screen: it opens the demo city, not a blank window."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np
import pytest

pytestmark = pytest.mark.gui


def test_real_process_shows_the_demo_city_on_screen(qapp, cim_display):
    from PySide6.QtGui import QGuiApplication

    env = dict(os.environ, CIMVIEWER_REPORT_FIRST_FRAME="1")
    proc = subprocess.Popen([sys.executable, "-m", "cimviewer", "--lang", "en"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90
        line = ""
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if line.startswith("first-frame") or proc.poll() is not None:
                break
        assert line.startswith("first-frame"), proc.stderr.read() if proc.poll() else line
        time.sleep(1.0)  # let the window manager-less X server settle the frame
        shot = QGuiApplication.primaryScreen().grabWindow(0).toImage()
        width, height = shot.width(), shot.height()
        ptr = shot.convertToFormat(shot.Format.Format_RGB888).constBits()
        img = np.frombuffer(ptr, np.uint8)[: width * height * 3].reshape(height, width, 3)
        assert proc.poll() is None, "the app exited"
        colours = np.unique(img[::4, ::4].reshape(-1, 3), axis=0)
        assert len(colours) > 200  # buildings, terrain, roads, widgets: not a blank screen
        # the 3D view area (centre of the window) is not one flat colour
        centre = img[height // 3: 2 * height // 3, width // 3: 2 * width // 3]
        assert centre.reshape(-1, 3).std(axis=0).max() > 10
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
