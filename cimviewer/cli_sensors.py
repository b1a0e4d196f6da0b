"""``cimviewer sensors listen``: subscribe to an MQTT broker headless and report what came.

Uses the same pipeline as the app (paho thread -> ingest queue -> batches applied to a
sensor layer at 10 Hz) and prints, with ``--json``, one object::

    {"received": N, "malformed": M, "sensors": K,
     "latest": {"SEN-001": {"value": 12.5, "time": "2024-...+00:00"}, ...}}

``received`` counts every message, malformed ones included.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from datetime import datetime, timezone

APPLY_INTERVAL_S = 0.1
CONNECT_TIMEOUT_S = 5.0


#: one week: the longest a headless listen runs (every wait has a bound)
MAX_DURATION_S = 7 * 24 * 3600.0


def _duration(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not (0 <= value <= MAX_DURATION_S):  # also NaN
        raise argparse.ArgumentTypeError(f"must be between 0 and {MAX_DURATION_S:g} seconds, "
                                         f"not {text}")
    return value


def _iso(seconds: float) -> str | None:
    try:
        return datetime.fromtimestamp(seconds, timezone.utc).isoformat()
    except (OverflowError, ValueError, OSError):
        return None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cimviewer sensors")
    sub = parser.add_subparsers(dest="action", required=True)
    listen = sub.add_parser("listen", help="subscribe and report the readings received")
    listen.add_argument("--broker", required=True, help="mqtt://HOST:PORT or mqtts://HOST:PORT")
    listen.add_argument("--topic", action="append", required=True,
                        help="topic filter (wildcards + and #); may be repeated")
    listen.add_argument("--duration", type=_duration, default=10.0,
                        help=f"seconds to listen (at most {MAX_DURATION_S:g})")
    listen.add_argument("--username", default="")
    listen.add_argument("--password-from-keyring", action="store_true",
                        help="use the password saved in the system keyring for --username")
    listen.add_argument("--mapping", default="default",
                        help="payload mapping preset (default, sensorthings) or a JSON object")
    listen.add_argument("--json", action="store_true", help="print JSON")
    return parser


def _mapping(text: str):
    from cimviewer.io.sensors.payload import PRESETS, PayloadMapping

    if text in PRESETS:
        return PRESETS[text]
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise ValueError(f"--mapping must be one of {', '.join(PRESETS)} or a JSON object") \
            from None
    if not isinstance(data, dict):
        raise ValueError("--mapping JSON must be an object")
    return PayloadMapping.from_dict(data)


def listen(args: argparse.Namespace) -> dict:
    from cimviewer.core.sensors import SensorLayer
    from cimviewer.io.sensors.mqtt import CONNECTED, MqttConfig, MqttSource

    config = MqttConfig(broker=args.broker, topics=args.topic, username=args.username,
                        mapping=_mapping(args.mapping))
    args.broker_shown = config.broker  # without a password written into the address
    password = None
    if args.password_from_keyring and config.username:
        from cimviewer.io.sensors.secrets import load_password

        password = load_password(config.broker, config.username)
    source = MqttSource(config, password=password)
    layer = SensorLayer("listen")
    source.start()
    try:
        if not source.wait_connected(min(CONNECT_TIMEOUT_S, max(args.duration, 0.5))):
            raise ConnectionError(f"cannot connect to {source.host}:{source.port}"
                                  f" ({source.detail or 'no answer'})")
        end = time.monotonic() + args.duration
        lost_since: float | None = None
        while True:
            source.queue.drain_into(layer)
            now = time.monotonic()
            if source.state == CONNECTED:
                lost_since = None
            elif lost_since is None:
                lost_since = now
                lost = source.detail or "connection lost"
            if now >= end:
                break
            time.sleep(min(APPLY_INTERVAL_S, max(0.0, end - time.monotonic())))
    finally:
        source.stop()
    source.queue.drain_into(layer)
    history = layer.history
    latest = {}
    for i, sid in enumerate(layer.table.ids):  # the report, once
        t = history.latest_time[i]
        value = float(history.latest_value[i])
        latest[sid] = {"value": value if math.isfinite(value) else None, "time": _iso(t)}
    stats = source.queue.stats
    report = {"received": stats.received, "malformed": stats.malformed,
              "sensors": layer.n_sensors, "latest": latest}
    if lost_since is not None:  # the broker went away and did not come back
        report["disconnected"] = {"seconds": round(end - lost_since, 1), "detail": lost}
    return report


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        report = listen(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one line, no traceback
        print(f"cimviewer sensors: error: {exc}", file=sys.stderr)
        return 1
    if "disconnected" in report:
        lost = report["disconnected"]
        print(f"cimviewer sensors: warning: the broker {args.broker_shown} did not answer for "
              f"the last {lost['seconds']:g} s ({lost['detail']}); the report covers the "
              "time before", file=sys.stderr)
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print(f"received {report['received']}, malformed {report['malformed']}, "
              f"sensors {report['sensors']}")
        for sid, latest in report["latest"].items():
            print(f"  {sid}: {latest['value']:g} at {latest['time']}")
    return 0
