"""Live sensor readings over MQTT (paho-mqtt).

The paho network thread parses each message straight into an :class:`IngestQueue`
(no per-message events); consumers drain it in batches. The client reconnects with
exponential backoff after a broker restart and resubscribes on every connect; its
state ("connecting", "connected", "reconnecting", "stopped") is reported through
``on_state(state, detail)`` (called on the network thread).
"""

from __future__ import annotations

import logging
import ssl
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from cimviewer.io.sensors.ingest import IngestQueue
from cimviewer.io.sensors.payload import PayloadMapping, PayloadParser

if TYPE_CHECKING:  # paho is imported when a connection starts
    from paho.mqtt.client import Client

log = logging.getLogger("cimviewer.sensors")

CONNECTING, CONNECTED, RECONNECTING, STOPPED = "connecting", "connected", "reconnecting", \
    "stopped"


class BrokerAddressError(ValueError):
    pass


def parse_broker(url: str) -> tuple[str, int, bool]:
    """``mqtt://host:port`` / ``mqtts://host:port`` / ``host[:port]`` -> (host, port, tls)."""
    text = url.strip()
    if "://" not in text:
        text = "mqtt://" + text
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme not in ("mqtt", "mqtts", "tcp", "ssl"):
        raise BrokerAddressError(f"broker address {url!r}: use mqtt://HOST:PORT or "
                                 "mqtts://HOST:PORT")
    tls = scheme in ("mqtts", "ssl")
    try:
        port = parts.port or (8883 if tls else 1883)
    except ValueError:
        raise BrokerAddressError(f"broker address {url!r}: bad port") from None
    if not parts.hostname:
        raise BrokerAddressError(f"broker address {url!r}: no host")
    return parts.hostname, port, tls


class TopicFilterError(BrokerAddressError):
    """A topic filter the broker would refuse (reported where BrokerAddressError is)."""


def check_topic_filter(topic: str) -> str:
    """An MQTT topic filter as the broker will accept it; TopicFilterError (one line)
    otherwise: empty, over 65535 bytes, a NUL, ``#`` not alone at the end, ``+`` not a
    whole level."""
    if not isinstance(topic, str) or not topic:
        raise TopicFilterError("topic filter is empty")
    if len(topic.encode("utf-8", "surrogatepass")) > 65535:
        raise TopicFilterError(f"topic filter {topic[:40]!r}... is longer than 65535 bytes")
    if "\0" in topic:
        raise TopicFilterError(f"topic filter {topic!r} contains a NUL character")
    levels = topic.split("/")
    for i, level in enumerate(levels):
        if "#" in level and (level != "#" or i != len(levels) - 1):
            raise TopicFilterError(f"topic filter {topic!r}: '#' must be a whole level at "
                                   "the end (like sensors/#)")
        if "+" in level and level != "+":
            raise TopicFilterError(f"topic filter {topic!r}: '+' must be a whole level "
                                   "(like sensors/+/pm25)")
    return topic


def split_credentials(url: str) -> tuple[str, str, str | None]:
    """``mqtt://user:pass@host:port`` -> (``mqtt://host:port``, "user", "pass").

    A password never stays in the broker address: the address is saved in projects and
    autosaves and written to the log.
    """
    text = url.strip()
    probe = text if "://" in text else "mqtt://" + text
    parts = urlsplit(probe)
    if "@" not in parts.netloc:
        return url, "", None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, sep, password = userinfo.partition(":")
    clean = parts._replace(netloc=hostport).geturl()
    if "://" not in text:
        clean = clean.split("://", 1)[1]
    return clean, unquote(user), unquote(password) if sep else None


@dataclass
class MqttConfig:
    """A live connection; saved in the project without any password.

    Credentials written into the broker address (``mqtt://user:pass@host``) are taken
    out of it: the user name goes to ``username`` (unless one is set), the password is
    kept for the session only (``url_password``, never saved).
    """

    broker: str = "mqtt://localhost:1883"
    topics: list[str] = field(default_factory=lambda: ["sensors/#"])
    username: str = ""
    tls: bool = False  # also implied by mqtts://
    ca_file: str = ""  # empty: the system's CA certificates
    qos: int = 1
    keepalive: int = 30
    reconnect_min: float = 0.5  # seconds; doubles up to reconnect_max
    reconnect_max: float = 30.0
    mapping: PayloadMapping = field(default_factory=PayloadMapping)
    url_password: str | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.take_credentials()

    def take_credentials(self) -> None:
        """Move credentials out of ``broker`` (see the class docstring)."""
        clean, user, password = split_credentials(self.broker)
        if clean != self.broker:
            self.broker = clean
            self.username = self.username or user
            if password is not None:
                self.url_password = password

    def to_dict(self) -> dict[str, Any]:
        return {"broker": split_credentials(self.broker)[0], "topics": list(self.topics),
                "username": self.username,
                "tls": self.tls, "ca_file": self.ca_file, "qos": self.qos,
                "mapping": self.mapping.to_dict()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MqttConfig:
        out = cls()
        for key in ("broker", "username", "ca_file"):
            if isinstance(data.get(key), str):
                setattr(out, key, data[key])
        if isinstance(data.get("topics"), list):
            out.topics = [str(t) for t in data["topics"]]
        out.tls = bool(data.get("tls", False))
        if data.get("qos") in (0, 1, 2):
            out.qos = int(data["qos"])
        out.mapping = PayloadMapping.from_dict(data.get("mapping"))
        out.take_credentials()
        return out


class MqttSource:
    """One live connection feeding an ingest queue."""

    def __init__(self, config: MqttConfig, queue: IngestQueue | None = None, *,
                 password: str | None = None,
                 on_state: Callable[[str, str], None] | None = None):
        config.take_credentials()
        self.config = config
        self.host, self.port, url_tls = parse_broker(config.broker)
        if password is None:
            password = config.url_password
        self.tls = url_tls or config.tls
        self.queue = queue or IngestQueue(PayloadParser(config.mapping))
        self.on_state = on_state or (lambda _s, _d: None)
        self.state = STOPPED
        self.detail = ""
        self.connects = 0  # successful connections (1 + reconnections)
        self.connected_event = threading.Event()
        self._password = password
        self._client: Client | None = None

    def _client_factory(self) -> Client:
        import paho.mqtt.client as mqtt

        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2,
                             client_id=f"cimviewer-{uuid.uuid4().hex[:12]}",
                             clean_session=True)
        cfg = self.config
        if cfg.username:
            client.username_pw_set(cfg.username, self._password)
        if self.tls:
            try:
                client.tls_set(ca_certs=cfg.ca_file or None, cert_reqs=ssl.CERT_REQUIRED)
            except (OSError, ssl.SSLError) as exc:
                raise BrokerAddressError(
                    f"cannot use the CA certificates {cfg.ca_file!r}: {exc}") from None
        # paho annotates the delays as int, but takes (and sleeps) fractional seconds
        client.reconnect_delay_set(min_delay=cfg.reconnect_min,  # type: ignore[arg-type]
                                   max_delay=cfg.reconnect_max)  # type: ignore[arg-type]
        client.max_inflight_messages_set(1000)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_connect_fail = self._on_connect_fail
        client.on_subscribe = self._on_subscribe
        queue = self.queue

        def on_message(_client, _userdata, msg) -> None:
            queue.on_message(msg.topic, msg.payload)

        client.on_message = on_message
        return client

    def _set_state(self, state: str, detail: str = "") -> None:
        self.state, self.detail = state, detail
        try:
            self.on_state(state, detail)
        except Exception:  # a listener must not kill the network thread
            log.exception("sensor connection state listener failed")

    def start(self) -> None:
        """Connect in the background (never blocks); reconnects until :meth:`stop`.

        Raises BrokerAddressError (TopicFilterError) for a topic filter the broker would
        refuse: here, not later on the network thread with the status stuck.
        """
        for topic in self.config.topics:
            check_topic_filter(topic)
        client = self._client = self._client_factory()
        self._set_state(CONNECTING, f"{self.host}:{self.port}")
        client.connect_async(self.host, self.port, keepalive=self.config.keepalive)
        client.loop_start()

    def wait_connected(self, timeout: float) -> bool:
        return self.connected_event.wait(timeout)

    def stop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            if client.is_connected():
                client.disconnect()
            client.loop_stop()
        self.connected_event.clear()
        self._set_state(STOPPED)

    # --- paho callbacks (network thread) -------------------------------------------------
    def _on_connect(self, client, _userdata, _flags, reason_code, _properties) -> None:
        if reason_code.is_failure:
            self._set_state(RECONNECTING, f"refused: {reason_code}")
            return
        topics = [(t, self.config.qos) for t in self.config.topics]
        self.connects += 1
        if topics:  # "connected" once the broker has confirmed the subscription
            try:
                client.subscribe(topics)
            except Exception as exc:  # never kill the network thread; say why
                self._set_state(RECONNECTING, f"subscription refused: {exc}")
        else:
            self._subscribed()

    def _on_subscribe(self, _client, _userdata, _mid, reason_codes, _properties) -> None:
        failed = [str(code) for code in reason_codes if code.is_failure]
        if failed:
            log.warning("sensor subscription refused: %s", ", ".join(failed))
        self._subscribed()

    def _subscribed(self) -> None:
        self.connected_event.set()
        self._set_state(CONNECTED, f"{self.host}:{self.port}")

    def _on_disconnect(self, _client, _userdata, _flags, reason_code, _properties) -> None:
        self.connected_event.clear()
        if self._client is not None:
            self._set_state(RECONNECTING, f"lost connection ({reason_code})")

    def _on_connect_fail(self, _client, _userdata) -> None:
        self.connected_event.clear()
        if self._client is not None:
            # paho does not say why: look once more, so the status bar can
            why = connection_problem(self.host, self.port, self.tls, self.config.ca_file)
            self._set_state(RECONNECTING, f"cannot connect to {self.host}:{self.port}"
                            + (f" ({why})" if why else ""))


def connection_problem(host: str, port: int, tls: bool, ca_file: str = "",
                       timeout: float = 3.0) -> str:
    """Why a connection to the broker fails, in a few words ("" when it does not)."""
    import socket

    try:
        sock = socket.create_connection((host, port), timeout)
    except socket.gaierror:
        return "unknown host"
    except ConnectionRefusedError:
        return "connection refused: is the broker running?"
    except TimeoutError:
        return "no answer (timed out)"
    except OSError as exc:
        return exc.strerror or str(exc)
    with sock:
        if not tls:
            return ""
        try:
            context = ssl.create_default_context(cafile=ca_file or None)
        except OSError as exc:
            return f"CA certificates {ca_file!r}: {exc.strerror or exc}"
        try:
            with context.wrap_socket(sock, server_hostname=host):
                return ""
        except ssl.SSLCertVerificationError as exc:
            return f"TLS certificate not trusted: {exc.verify_message}"
        except (ssl.SSLError, OSError) as exc:
            return f"TLS failed: {exc}"
