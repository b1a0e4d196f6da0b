"""A real mosquitto broker on a free loopback port for the sensor tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.ui.conftest import main_window  # noqa: F401  (the real main window, for GUI tests)

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Broker:
    def __init__(self, folder: Path, port: int | None = None, extra: str = ""):
        self.folder = folder
        self.port = port or free_port()
        self.conf = folder / f"mosquitto-{self.port}.conf"
        # no per-client queue limit: QoS 1 bursts must not be dropped by the broker
        self.conf.write_text(f"listener {self.port} 127.0.0.1\n"
                             "max_queued_messages 0\nmax_inflight_messages 0\n"
                             # as root, mosquitto would switch to a user that cannot
                             # read our temporary password file
                             f"{'user root' if os.name != 'nt' and os.geteuid() == 0 else ''}\n"
                             f"{extra or 'allow_anonymous true'}\n")
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"mqtt://127.0.0.1:{self.port}"

    def start(self) -> Broker:
        self.proc = subprocess.Popen([MOSQUITTO, "-c", str(self.conf)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return self
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("mosquitto did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(5)
            self.proc = None


@pytest.fixture(scope="session")
def broker(tmp_path_factory):
    if not Path(MOSQUITTO).exists():
        pytest.skip("mosquitto is not installed")
    b = Broker(tmp_path_factory.mktemp("mqtt")).start()
    yield b
    b.stop()


@pytest.fixture
def own_broker(tmp_path):
    """A broker of one test's own (for restarts)."""
    if not Path(MOSQUITTO).exists():
        pytest.skip("mosquitto is not installed")
    b = Broker(tmp_path).start()
    yield b
    b.stop()


def publish(broker: Broker, messages: list[tuple[str, bytes | str]], qos: int = 1,
            **auth) -> None:
    """Publish and wait until the broker acknowledged every message."""
    import paho.mqtt.client as mqtt

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    if auth:
        client.username_pw_set(auth["username"], auth["password"])
    client.max_inflight_messages_set(0)
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    infos = [client.publish(topic, payload, qos=qos) for topic, payload in messages]
    for info in infos:
        info.wait_for_publish(10)
    client.disconnect()
    client.loop_stop()


def wait_for(predicate, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()
