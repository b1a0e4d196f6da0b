#!/usr/bin/env python3
"""Live sensor ingest: messages/s into the model, publish-to-model latency, GUI frame times.

Starts a local mosquitto on a free loopback port, opens the real main window (under
Xvfb when there is no display) with a layer of N sensors, connects it to the broker
through the app's own pipeline (paho thread -> ingest queue -> 10 Hz batches), and
publishes ROUNDS readings per sensor from another process as fast as the broker takes
them (QoS 1). Prints messages/s, latency percentiles, frame and tick times, and whether
every message arrived.

    .venv/bin/python benchmarks/sensor_ingest.py [--sensors 5000] [--rounds 10]
Goal: >= 5,000 msg/s, every frame < 100 ms, nothing lost.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import numpy as np
from dev import VirtualScreen

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_broker(folder: Path, port: int) -> subprocess.Popen:
    conf = folder / "mosquitto.conf"
    user = "user root\n" if os.geteuid() == 0 else ""
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\n"
                    f"max_queued_messages 0\nmax_inflight_messages 0\n{user}")
    mosquitto = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    proc = subprocess.Popen([mosquitto, "-c", str(conf)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    for _ in range(250):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return proc
        except OSError:
            time.sleep(0.02)
    raise SystemExit("mosquitto did not start")


def publisher(port: int, n_sensors: int, rounds: int, ready, done) -> None:
    import orjson
    import paho.mqtt.client as mqtt

    window = 1000  # unacknowledged messages: as fast as the broker takes them, no backlog
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.max_inflight_messages_set(window)
    client.connect("127.0.0.1", port)
    client.loop_start()
    ready.wait()
    t0 = time.perf_counter()
    pending: list = []
    for r in range(rounds):
        for i in range(n_sensors):
            payload = orjson.dumps({"id": f"S{i:05d}", "value": float((i + r * 7) % 150),
                                    "time": time.time(), "unit": "µg/m³"})
            pending.append(client.publish(f"bench/{i % 100}/S{i:05d}", payload, qos=1))
            if len(pending) >= window:
                pending[len(pending) // 2].wait_for_publish(60)
                pending = [p for p in pending if not p.is_published()]
    for info in pending:
        info.wait_for_publish(120)
    done.put(time.perf_counter() - t0)
    client.disconnect()
    client.loop_stop()


def sensor_layer(n: int, surface: bool = True):
    from cimviewer.core.datasets import TerrainGrid
    from cimviewer.core.sensors import SensorLayer, SensorSettings, SensorTable
    from cimviewer.geometry.placement import SURFACE_MAX_CELLS

    side = int(np.ceil(np.sqrt(n)))
    k = np.arange(n)
    xyz = np.column_stack([(k % side) * 20.0, (k // side) * 20.0, np.zeros(n)])
    table = SensorTable(ids=[f"S{i:05d}" for i in range(n)], xyz=xyz, kinds=["air"] * n,
                        quantities=["pm25"] * n, units=["µg/m³"] * n,
                        warning=np.full(n, 75.0), alarm=np.full(n, 115.0),
                        height=np.zeros(n), anchors=[None] * n)
    layer = SensorLayer("Benchmark sensors", table, crs="EPSG:4547",
                        settings=SensorSettings(history=64, glyph_size=8.0,
                                                surface_quantity="pm25" if surface else None))
    if surface:  # the IDW surface over the sensors, as large as the app ever makes it
        cells = int(np.sqrt(SURFACE_MAX_CELLS))
        extent = side * 20.0
        layer.surface_grid = TerrainGrid(np.zeros((cells, cells)), -10.0, extent,
                                         (extent + 20) / cells, (extent + 20) / cells)
    return layer


def pct(values, q) -> float:
    return float(np.percentile(values, q)) if len(values) else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sensors", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--no-surface", action="store_true",
                        help="without the interpolated surface")
    args = parser.parse_args()
    total = args.sensors * args.rounds
    xvfb = VirtualScreen(keep_display=True).__enter__()  # stopped in the finally below
    folder = Path(tempfile.mkdtemp(prefix="cimviewer-bench-"))
    port = free_port()
    broker = start_broker(folder, port)
    try:
        from PySide6.QtCore import QSettings
        from PySide6.QtWidgets import QApplication

        from cimviewer.core.project import Project
        from cimviewer.io.sensors.mqtt import MqttConfig
        from cimviewer.ui.app import create_app
        from cimviewer.ui.main_window import MainWindow

        app = create_app("en")
        project = Project()
        layer = project.add_layer(sensor_layer(args.sensors, not args.no_surface))
        window = MainWindow(project, QSettings(str(folder / "s.ini"),
                                               QSettings.Format.IniFormat))
        window.resize(1400, 900)
        window.show()
        app.processEvents()

        latencies: list[np.ndarray] = []
        applied_at: list[tuple[float, int]] = []
        original = layer.apply_batch

        batch_times: list[np.ndarray] = []

        def timed_apply(ids, times, values, units=None, **kw):
            kept = original(ids, times, values, units, **kw)
            now = time.time()
            latencies.append(now - np.asarray(times))
            batch_times.append(np.asarray(times) - now + time.perf_counter())
            applied_at.append((time.perf_counter(), len(ids)))
            return kept

        layer.apply_batch = timed_apply
        frames: list[float] = []
        frame_ends: list[tuple[float, float]] = []  # (start, end), perf_counter
        frame_start = [0.0]
        rw = window.view.render_window

        def frame_end(*_):
            end = time.perf_counter()
            frames.append(end - frame_start[0])
            frame_ends.append((frame_start[0], end))

        rw.AddObserver("StartEvent", lambda *_: frame_start.__setitem__(0, time.perf_counter()))
        rw.AddObserver("EndEvent", frame_end)
        ticks: list[float] = []
        controller = window.sensor_controller
        original_tick = controller.tick

        def timed_tick():
            t = time.perf_counter()
            original_tick()
            ticks.append(time.perf_counter() - t)

        controller.apply_timer.timeout.disconnect()
        controller.apply_timer.timeout.connect(timed_tick)
        source = controller.connect_live(MqttConfig(broker=f"mqtt://127.0.0.1:{port}",
                                                    topics=["bench/#"]), layer=layer)
        deadline = time.monotonic() + 10
        while not source.connected_event.is_set() and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        ready, done = mp.Event(), mp.Queue()
        pub = mp.Process(target=publisher, args=(port, args.sensors, args.rounds, ready, done))
        pub.start()
        settle = time.monotonic() + 1.0  # the publisher starts; pending frames are drawn
        while time.monotonic() < settle:
            app.processEvents()
            time.sleep(0.01)
        frames.clear()
        frame_ends.clear()
        t0 = time.perf_counter()
        ready.set()
        gaps: list[float] = []
        last = time.perf_counter()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            app.processEvents()
            now = time.perf_counter()
            gaps.append(now - last)
            last = now
            if int(layer.history.count.sum()) >= min(total, args.sensors * 64) and \
                    source.queue.stats.received >= total and source.queue.pending() == 0:
                break
            time.sleep(0.002)
        elapsed = time.perf_counter() - t0
        pub.join(30)
        publish_s = done.get(timeout=5) if not done.empty() else float("nan")
        first = applied_at[0][0] if applied_at else t0
        applied = sum(n for _, n in applied_at)
        last_apply = applied_at[-1][0] if applied_at else t0
        lat = np.concatenate(latencies) if latencies else np.zeros(0)
        # shown: the end of the first frame that started after the batch was applied
        starts = np.array([f[0] for f in frame_ends])
        ends = np.array([f[1] for f in frame_ends])
        shown: list[np.ndarray] = []
        for (at, _n), published in zip(applied_at, batch_times, strict=True):
            k = int(np.searchsorted(starts, at))
            if k < len(ends):
                shown.append(ends[k] - published)
        shown_lat = np.concatenate(shown) if shown else np.zeros(0)
        stats = source.queue.stats
        print(f"sensors {args.sensors}, messages published {total} (QoS 1) "
              f"in {publish_s:.2f} s = {total / publish_s:,.0f} msg/s by the publisher")
        print(f"received {stats.received}, malformed {stats.malformed}, dropped "
              f"{stats.dropped}, applied to the model {applied}; lost {total - applied}")
        print(f"ingest: {applied / max(last_apply - t0, 1e-9):,.0f} msg/s "
              f"(publish start to last batch applied, {last_apply - t0:.2f} s; "
              f"first batch after {first - t0:.2f} s)")
        print(f"latency publish -> model: median {pct(lat, 50) * 1000:.0f} ms, "
              f"p95 {pct(lat, 95) * 1000:.0f} ms, max {lat.max() * 1000 if len(lat) else 0:.0f} ms")
        print(f"latency publish -> shown on screen: median {pct(shown_lat, 50) * 1000:.0f} ms, "
              f"p95 {pct(shown_lat, 95) * 1000:.0f} ms")
        print(f"frames rendered {len(frames)}: median {pct(frames, 50) * 1000:.1f} ms, "
              f"p95 {pct(frames, 95) * 1000:.1f} ms, max {max(frames, default=0) * 1000:.1f} ms")
        print(f"GUI tick (drain + apply + docks), {len(ticks)} ticks: median "
              f"{pct(ticks, 50) * 1000:.1f} ms, max {max(ticks, default=0) * 1000:.1f} ms; "
              f"longest event-loop gap {max(gaps, default=0) * 1000:.0f} ms")
        print(f"run {elapsed:.2f} s; ring buffers {layer.history.nbytes / 1e6:.1f} MB; "
              f"surface {'off' if args.no_surface else 'on'}")
        ok = applied == total and max(frames, default=0) < 0.1 and \
            applied / max(last_apply - t0, 1e-9) >= 5000
        print("GOAL MET" if ok else "goal NOT met")
        controller.shutdown()
        window.project.mark_saved()
        window.close()
        QApplication.processEvents()
        return 0
    finally:
        broker.terminate()
        broker.wait(5)
        xvfb.__exit__(None, None, None)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
