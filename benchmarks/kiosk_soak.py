#!/usr/bin/env python3
"""Kiosk soak: the attract tour with live (replayed) sensors for a given time, under the
supervisor, as on an exhibition screen.

Starts ``cimviewer kiosk-supervise -- --attract-delay 1 ...`` (under Xvfb when there is
no display), samples the kiosk's resident memory every few seconds, collects its frame
times from the heartbeat, and reads the supervisor's restart count. Prints RSS over
time with a least-squares trend (MB per hour, after a warm-up), frame-time median and
95th percentile, and restarts; ``--json`` writes the figures to a file.

    .venv/bin/python benchmarks/kiosk_soak.py --minutes 60
    .venv/bin/python benchmarks/kiosk_soak.py --minutes 3 --sample 5
Goal: no memory growth trend over an hour of touring; median frame < 100 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from dev import VirtualScreen  # noqa: E402


def read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def trend_mb_per_hour(times_s: np.ndarray, rss_mb: np.ndarray) -> float:
    """Slope of the least-squares line through (time, RSS), in MB per hour."""
    if len(times_s) < 3:
        return float("nan")
    slope, _ = np.polyfit(times_s, rss_mb, 1)
    return float(slope * 3600)


def soak(minutes: float, sample_s: float, warmup_s: float, kiosk_args: list[str]) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="cimviewer-soak-"))
    state = folder / "state"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "cimviewer", "kiosk-supervise", "--stall", "60",
               "--state-dir", str(state), "--log-dir", str(folder / "logs"), "--",
               "--attract-delay", "1", *kiosk_args]
    supervisor = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
    samples: list[tuple[float, float, int]] = []  # (seconds, RSS MB, pid)
    loads: list[float] = []  # the machine's 1-minute load average at each sample
    frame_ms: list[float] = []
    seen_beat = 0.0
    t0 = time.monotonic()
    end = t0 + minutes * 60
    next_sample = t0
    try:
        while time.monotonic() < end:
            beat = read_json(state / "heartbeat.json")
            if beat.get("time", 0) > seen_beat:  # one heartbeat per second: collect it
                seen_beat = beat["time"]
                frame_ms += beat.get("frame_ms", [])
            now = time.monotonic()
            pid = read_json(state / "supervisor.json").get("pid")
            if now >= next_sample and pid:
                try:
                    rss = psutil.Process(pid).memory_info().rss / 2**20
                    samples.append((now - t0, rss, pid))
                    if hasattr(os, "getloadavg"):
                        loads.append(os.getloadavg()[0])
                    print(f"{now - t0:7.0f} s  RSS {rss:7.1f} MB  frames {len(frame_ms)}",
                          flush=True)
                except psutil.NoSuchProcess:
                    pass
                next_sample = now + sample_s
            time.sleep(0.3)
    finally:
        supervisor.send_signal(signal.SIGTERM)
        supervisor.wait(30)
    status = read_json(state / "supervisor.json")
    times = np.array([s[0] for s in samples])
    rss = np.array([s[1] for s in samples])
    last_pid = samples[-1][2] if samples else None
    steady = (times >= warmup_s) & np.array([s[2] == last_pid for s in samples], bool)
    frames = np.array(frame_ms) if frame_ms else np.array([np.nan])
    return {
        "minutes": minutes,
        "samples": [[round(t, 1), round(r, 1)] for t, r, _ in samples],
        "rss_start_mb": round(float(rss[0]), 1) if len(rss) else None,
        "rss_end_mb": round(float(rss[-1]), 1) if len(rss) else None,
        "rss_trend_mb_per_hour": round(trend_mb_per_hour(times[steady], rss[steady]), 1),
        "rss_trend_mb_per_hour_last_half": round(trend_mb_per_hour(
            times[steady][len(times[steady]) // 2:], rss[steady][len(rss[steady]) // 2:]), 1),
        "frames": len(frame_ms),
        "frame_ms_median": round(float(np.nanmedian(frames)), 1),
        "frame_ms_p95": round(float(np.nanpercentile(frames, 95)), 1),
        "frame_ms_max": round(float(np.nanmax(frames)), 1),
        "restarts": status.get("restarts"),
        # frame times depend on what else the machine runs: say how busy it was
        "load_average_mean": round(float(np.mean(loads)), 2) if loads else None,
        "cpus": os.cpu_count(),
        "logs": str(folder / "logs"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--sample", type=float, default=10.0, help="seconds between RSS "
                        "samples")
    parser.add_argument("--warmup", type=float, default=30.0,
                        help="seconds left out of the trend (first loads, caches)")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("kiosk_args", nargs="*", help="more kiosk arguments (after --)")
    args = parser.parse_args()
    with VirtualScreen(keep_display=True):
        result = soak(args.minutes, args.sample, args.warmup,
                      ["--flight", "4", "--dwell", "6", *args.kiosk_args])
    print(json.dumps({k: v for k, v in result.items() if k != "samples"}, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
