"""Hostile MQTT payloads, topics and brokers, against a real mosquitto.

Promise: a bad message is counted as malformed and the report survives; bad topic
filters and patterns are one line; every listen ends; a dead broker is reported;
passwords never leave the session."""

from __future__ import annotations

import json
import threading
import time

import pytest

from cimviewer.io.sensors.mqtt import MqttConfig, MqttSource, TopicFilterError
from cimviewer.io.sensors.payload import MalformedMessageError, PayloadMapping, PayloadParser
from tests.faults.hostile import one_line_error, run_cli


def publish_retained(broker, messages: dict[str, object]) -> None:
    import paho.mqtt.client as mqtt

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    try:
        for topic, payload in messages.items():
            text = payload if isinstance(payload, str) else json.dumps(payload)
            client.publish(topic, text, qos=1, retain=True).wait_for_publish(5)
    finally:
        client.disconnect()
        client.loop_stop()


@pytest.mark.parametrize("when", [1e300, -1e300, "0001-01-01T00:00:00+08:00",
                                  "9999-12-31T23:59:59", 10**30])
def test_out_of_range_time_is_malformed(when):
    with pytest.raises(MalformedMessageError, match="out of range"):
        PayloadParser().parse("s/x", json.dumps({"id": "a", "value": 1, "time": when}).encode())


def test_listen_survives_out_of_range_times(broker):
    publish_retained(broker, {
        "faults/a": {"id": "A", "value": 1.5, "time": "2024-05-01T00:00:00Z"},
        "faults/b": {"id": "B", "value": 2, "time": 1e300},
        "faults/c": {"id": "C", "value": 3, "time": "0001-01-01T00:00:00"},
        "faults/d": "{not json",
        "faults/e": {"id": "E", "value": 1e308, "time": 1.7e9}})
    proc = run_cli("sensors", "listen", "--broker", broker.url, "--topic", "faults/#",
                   "--duration", "1.5", "--json", timeout=30)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["received"] == 5 and report["malformed"] == 3
    assert set(report["latest"]) == {"A", "E"}


@pytest.mark.parametrize("topic", ["a/#/b", "a+/b", "", "x/\0/y"])
def test_invalid_topic_filter_is_one_line(broker, topic):
    with pytest.raises(TopicFilterError):
        MqttSource(MqttConfig(broker=broker.url, topics=[topic])).start()
    if "\0" in topic:
        return  # not passable on a command line
    proc = run_cli("sensors", "listen", "--broker", broker.url, "--topic", topic,
                   "--duration", "1", timeout=30)
    one_line_error(proc, "topic filter")


@pytest.mark.parametrize("pattern", [r"(a+)+$", r"((\w+)*)x", r"([a-z]*)+\d", "(unclosed",
                                     "no group"])
def test_dangerous_or_invalid_id_pattern_is_refused(pattern):
    with pytest.raises(ValueError, match="id topic pattern"):
        PayloadParser(PayloadMapping(id_topic_segment=-1, id_topic_pattern=pattern))


def test_id_pattern_is_bounded_on_long_topics():
    parser = PayloadParser(PayloadMapping(id_topic_segment=-1, id_topic_pattern=r"(a+)x"))
    start = time.monotonic()
    with pytest.raises(MalformedMessageError):
        parser.parse("s/" + "a" * 100_000, b'{"value": 1}')
    assert time.monotonic() - start < 1


def test_cli_refuses_a_nested_quantifier(broker):
    mapping = json.dumps({"id_field": None, "id_topic_segment": -1,
                          "id_topic_pattern": "(a+)+$"})
    proc = run_cli("sensors", "listen", "--broker", broker.url, "--topic", "x/#",
                   "--mapping", mapping, "--duration", "1", timeout=30)
    one_line_error(proc, "id topic pattern")


@pytest.mark.parametrize("duration", ["nan", "inf", "-1", "1e30"])
def test_unbounded_duration_is_refused(duration):
    proc = run_cli("sensors", "listen", "--broker", "mqtt://127.0.0.1:1", "--topic", "x",
                   "--duration", duration, timeout=20)
    one_line_error(proc, "--duration")


def test_broker_that_dies_is_reported(broker):
    killer = threading.Timer(1.5, broker.stop)
    killer.start()
    try:
        proc = run_cli("sensors", "listen", "--broker", broker.url, "--topic", "x/#",
                       "--duration", "4", "--json", timeout=40)
    finally:
        killer.cancel()
    assert proc.returncode == 0, proc.stderr
    assert "did not answer" in proc.stderr and "Traceback" not in proc.stderr
    assert "disconnected" in json.loads(proc.stdout)


def test_password_in_broker_url_stays_in_the_session(broker):
    config = MqttConfig(broker=f"mqtt://alice:s3cr%40t@127.0.0.1:{broker.port}")
    assert config.username == "alice" and config.url_password == "s3cr@t"
    assert "s3cr" not in json.dumps(config.to_dict())
    assert "s3cr" not in repr(config)
    again = MqttConfig.from_dict({"broker": "mqtt://bob:hunter2@h:1883"})
    assert "hunter2" not in json.dumps(again.to_dict())
    proc = run_cli("sensors", "listen", "--broker",
                   f"mqtt://alice:s3cret@127.0.0.1:{broker.port}", "--topic", "x/#",
                   "--duration", "0.5", timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert "s3cret" not in proc.stdout + proc.stderr


def test_no_plaintext_keyring_is_recommended():
    from cimviewer.io.sensors import secrets

    assert "keyrings.alt" not in secrets.NO_KEYRING


@pytest.mark.gui
@pytest.mark.parametrize("pattern", ["(unclosed", r"(a+)+$"])
def test_bad_id_pattern_in_the_window_is_a_message(cim_demo_window, caplog, pattern):
    """A live connection with a bad id pattern (saved in a project, or given by a plugin):
    the status bar and the log say why, the window stays up, nothing is saved."""
    from cimviewer.core.sensors import SensorLayer

    controller = cim_demo_window.sensor_controller
    layer = next(lay for lay in cim_demo_window.project.layers
                 if isinstance(lay, SensorLayer))
    before = layer.settings.live
    config = MqttConfig(broker="mqtt://127.0.0.1:1", topics=["s/#"],
                        mapping=PayloadMapping(id_topic_segment=-1, id_topic_pattern=pattern))
    assert controller.connect_live(config, layer=layer) is None
    assert "id topic pattern" in controller.status_label.text()
    assert any("id topic pattern" in r.getMessage() and r.levelname == "ERROR"
               for r in caplog.records)
    assert layer.uid not in controller.sources
    assert layer.settings.live == before  # the bad connection is not kept in the project
    # a project saved with it: resuming reports it the same way, no traceback
    layer.settings = layer.settings.with_(live=config.to_dict())
    caplog.clear()
    controller._resume_live(layer)
    assert "id topic pattern" in controller.status_label.text()
    assert cim_demo_window.isVisible()
