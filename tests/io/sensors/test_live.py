"""Live MQTT ingest against a real mosquitto: values, colours, restarts, bad data, memory."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import orjson
import pytest

from cimviewer.core.sensors import SensorLayer, SensorSettings, SensorTable
from cimviewer.io.sensors.mqtt import CONNECTED, MqttConfig, MqttSource
from cimviewer.testing import MqttBroker, mqtt_publish, wait_for

pytestmark = pytest.mark.slow


def _payload(sid: str, value: float, t: float | None = None) -> bytes:
    body = {"id": sid, "value": value, "unit": "µg/m³"}
    if t is not None:
        body["time"] = t
    return orjson.dumps(body)


def _source(broker: MqttBroker, topic: str, password: str | None = None,
            **kw) -> MqttSource:
    config = MqttConfig(broker=broker.url, topics=[topic], reconnect_min=0.1,
                        reconnect_max=0.5, **kw)
    source = MqttSource(config, password=password)
    source.start()
    assert source.wait_connected(5)
    return source


def _apply(source: MqttSource, layer: SensorLayer) -> int:
    batch = source.queue.drain()
    return layer.apply_batch(batch.ids, batch.times, batch.values, batch.units)


def test_values_arrive_and_colour_the_glyphs(cim_mqtt_broker):
    from cimviewer.core.camera import top_down_camera
    from cimviewer.core.project import Project
    from cimviewer.render.snapshot import OffscreenView

    table = SensorTable(ids=["LOW", "HIGH"], xyz=np.array([[-30.0, 0, 0], [30.0, 0, 0]]),
                        kinds=["air"] * 2, quantities=["pm25"] * 2, units=["µg/m³"] * 2,
                        warning=np.full(2, 75.0), alarm=np.full(2, 115.0),
                        height=np.zeros(2), anchors=[None] * 2)
    layer = SensorLayer("live", table, settings=SensorSettings(glyph_size=20, labels=False))
    project = Project()
    project.add_layer(layer)
    project.camera.state = top_down_camera(np.zeros(3), 200)
    view = OffscreenView(project, (320, 200))
    try:
        source = _source(cim_mqtt_broker, "test/colour/#")
        mqtt_publish(cim_mqtt_broker, [("test/colour/a", _payload("LOW", 5.0)),
                         ("test/colour/b", _payload("HIGH", 100.0))])
        assert wait_for(lambda: source.queue.stats.received >= 2)
        _apply(source, layer)
        source.stop()
        img = view.image().astype(int)
        adapter = view.scene.adapters[layer.uid]
        left, right = img[100, 160 - 48], img[100, 160 + 48]
        assert left[1] > left[0] + 40  # low value: green
        assert right[0] > right[1] + 40  # 100 of alarm 115: red/orange
        low, high = adapter.sensor_color(0), adapter.sensor_color(1)
        assert low[1] > low[0] and high[0] > high[1]  # the colours the glyphs were given
    finally:
        view.close()


def test_reconnects_after_a_broker_restart(cim_own_mqtt_broker):
    layer = SensorLayer("live")
    states = []
    config = MqttConfig(broker=cim_own_mqtt_broker.url, topics=["r/#"], reconnect_min=0.1,
                        reconnect_max=0.4)
    source = MqttSource(config, on_state=lambda s, d: states.append(s))
    source.start()
    try:
        assert source.wait_connected(5)
        mqtt_publish(cim_own_mqtt_broker, [("r/1", _payload("A", 1.0))])
        cim_own_mqtt_broker.stop()
        assert wait_for(lambda: source.state != CONNECTED, 5)
        cim_own_mqtt_broker.start()  # the same port
        assert wait_for(lambda: source.connects >= 2, 10), states
        mqtt_publish(cim_own_mqtt_broker, [("r/1", _payload("A", 2.0))])
        assert wait_for(lambda: source.queue.stats.received >= 2)
        _apply(source, layer)
        assert layer.history.latest_value[layer.index_of("A")] == 2.0
        assert "reconnecting" in states
    finally:
        source.stop()


def test_malformed_messages_are_counted_and_skipped(cim_mqtt_broker, caplog):
    source = _source(cim_mqtt_broker, "bad/#")
    layer = SensorLayer("live")
    try:
        mqtt_publish(cim_mqtt_broker, [("bad/1", b"not json"),
                                       ("bad/2", b'{"id": "Q", "value": "x"}'),
                                       ("bad/3", _payload("Q", 7.0)), ("bad/4", b"\xff\xfe")])
        assert wait_for(lambda: source.queue.stats.received >= 4)
        assert _apply(source, layer) == 1
        stats = source.queue.stats
        assert stats.malformed == 3
        assert set(stats.malformed_topics) == {"bad/1", "bad/2", "bad/4"}
        assert "bad/1" in caplog.text  # logged with the topic
    finally:
        source.stop()


def test_memory_stays_bounded_over_a_long_run(cim_mqtt_broker):
    layer = SensorLayer("live", settings=SensorSettings(history=16))
    source = _source(cim_mqtt_broker, "mem/#")
    try:
        n_sensors, rounds = 50, 40
        messages = [(f"mem/{i}", _payload(f"M{i}", float(r), 1000.0 + r))
                    for r in range(rounds) for i in range(n_sensors)]
        mqtt_publish(cim_mqtt_broker, messages)
        assert wait_for(lambda: source.queue.stats.received >= len(messages), 30)
        for _ in range(3):
            _apply(source, layer)
        assert layer.n_sensors == n_sensors
        assert layer.history.times.shape == (n_sensors, 16)
        assert (layer.history.count == 16).all()
        assert layer.history.nbytes < n_sensors * 16 * 12 + n_sensors * 64
        np.testing.assert_array_equal(layer.history.latest_value, rounds - 1)
        assert source.queue.pending() == 0
    finally:
        source.stop()
    # the ingest queue itself is bounded when nobody drains it
    from cimviewer.io.sensors.ingest import IngestQueue

    queue = IngestQueue(max_pending=100)
    for i in range(1000):
        queue.on_message("t", _payload("Z", float(i)))
    assert queue.pending() == 100 and queue.stats.dropped == 900


@pytest.mark.skipif(not shutil.which("mosquitto_passwd"), reason="needs mosquitto_passwd")
def test_password_auth_and_no_password_in_the_config(tmp_path):
    pwfile = tmp_path / "passwd"
    subprocess.run(["mosquitto_passwd", "-b", "-c", str(pwfile), "planner", "s3cret"],
                   check=True, capture_output=True)
    pwfile.chmod(0o600)
    cim_mqtt_broker = MqttBroker(
        tmp_path, extra=f"allow_anonymous false\npassword_file {pwfile}").start()
    try:
        source = _source(cim_mqtt_broker, "auth/#", username="planner", password="s3cret")
        mqtt_publish(cim_mqtt_broker, [("auth/1", _payload("P", 4.0))], username="planner",
                password="s3cret")
        assert wait_for(lambda: source.queue.stats.received == 1)
        assert "s3cret" not in json.dumps(source.config.to_dict())
        source.stop()
        wrong = MqttSource(MqttConfig(broker=cim_mqtt_broker.url, topics=["auth/#"],
                                      username="planner"), password="wrong")
        wrong.start()
        assert not wrong.wait_connected(1.0)
        assert "refused" in wrong.detail or wrong.state != CONNECTED
        wrong.stop()
    finally:
        cim_mqtt_broker.stop()


def test_cli_sensors_listen(cim_mqtt_broker):
    cmd = [sys.executable, "-m", "cimviewer", "sensors", "listen", "--broker", cim_mqtt_broker.url,
           "--topic", "cli/#", "--duration", "2.5", "--json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    import time

    time.sleep(1.5)  # let it subscribe
    mqtt_publish(cim_mqtt_broker, [("cli/a", _payload("C1", 1.5, 1700000000.0)),
                     ("cli/b", _payload("C2", 2.5)), ("cli/a", _payload("C1", 3.5, 1700000060)),
                     ("cli/x", b"{bad")])
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    report = json.loads(out)
    assert report["received"] == 4 and report["malformed"] == 1 and report["sensors"] == 2
    assert report["latest"]["C1"]["value"] == 3.5
    assert report["latest"]["C1"]["time"].startswith("2023-11-14T22:14:20")
    bad = subprocess.run([sys.executable, "-m", "cimviewer", "sensors", "listen", "--broker",
                          "mqtt://127.0.0.1:1", "--topic", "x", "--duration", "1"],
                         capture_output=True, text=True, timeout=20)
    assert bad.returncode == 1
    assert bad.stderr.strip().count("\n") == 0 and "Traceback" not in bad.stderr
    assert "cannot connect" in bad.stderr


@pytest.mark.gui
def test_a_saved_live_connection_resumes_when_the_project_opens(cim_mqtt_broker, cim_demo_window,
                                                                qtbot, tmp_path):
    """A kiosk restarts unattended: opening its project reconnects the live feed."""
    from cimviewer.io.project.file import save_project

    layer = next(lay for lay in cim_demo_window.project.layers if isinstance(lay, SensorLayer))
    layer.settings = layer.settings.with_(live={"broker": cim_mqtt_broker.url,
                                                "topics": ["resume/#"]})
    path = save_project(cim_demo_window.project, tmp_path / "kiosk.cimproj")
    controller = cim_demo_window.sensor_controller
    controller.disconnect_all()
    cim_demo_window.project_controller.open_file(path)

    def connected() -> bool:
        return any(s.connected_event.is_set() for s in controller.sources.values())

    qtbot.waitUntil(connected, timeout=15000)
    reopened = next(lay for lay in cim_demo_window.project.layers if isinstance(lay, SensorLayer))
    assert reopened is not layer and reopened.uid in controller.sources
    assert not cim_demo_window.project.time.live  # the saved (historic) time stays shown
    row = reopened.index_of("SEN-050")
    mqtt_publish(cim_mqtt_broker, [("resume/a", _payload("SEN-050", 321.0, time.time() + 5))])
    qtbot.waitUntil(lambda: 321.0 in reopened.history.series(row)[1], timeout=5000)


@pytest.mark.gui
def test_unknown_live_sensors_named_after_a_pole_go_on_it(cim_mqtt_broker, cim_demo_window, qtbot):
    from cimviewer.core.layers import VectorLayer

    poles = next(lay for lay in cim_demo_window.project.layers
                 if isinstance(lay, VectorLayer) and "pole_id" in lay.data.columns)
    pole_id = str(poles.data.columns["pole_id"][17])
    pole_xyz = poles.data.vertices[17]
    layer = next(lay for lay in cim_demo_window.project.layers if isinstance(lay, SensorLayer))
    assert layer.index_of(pole_id) is None
    controller = cim_demo_window.sensor_controller
    source = controller.connect_live(
        MqttConfig(broker=cim_mqtt_broker.url, topics=["newpoles/#"]), layer=layer)
    assert source.wait_connected(5)
    mqtt_publish(cim_mqtt_broker, [("newpoles/a", _payload(pole_id, 12.0)),
                     ("newpoles/b", _payload("NO-SUCH-POLE", 3.0))])
    qtbot.waitUntil(lambda: layer.index_of("NO-SUCH-POLE") is not None
                    and layer.index_of(pole_id) is not None, timeout=5000)
    row = layer.index_of(pole_id)
    np.testing.assert_allclose(layer.table.xyz[row], pole_xyz, atol=1e-6)
    assert layer.table.anchors[row] == pole_id  # it follows the pole from now on
    assert not np.isfinite(layer.table.xyz[layer.index_of("NO-SUCH-POLE")]).any()


def _certificates(folder) -> tuple[str, str, str]:
    """A throw-away CA and a server certificate for 127.0.0.1 (openssl command line)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    ca_key, ca, key, csr, cert = (str(folder / n) for n in
                                  ("ca.key", "ca.crt", "server.key", "server.csr", "server.crt"))
    ext = folder / "san.ext"
    ext.write_text("subjectAltName=IP:127.0.0.1\n")
    for args in (["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out",
                  ca, "-subj", "/CN=cimviewer test CA", "-days", "2"],
                 ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr,
                  "-subj", "/CN=127.0.0.1"],
                 ["x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial",
                  "-out", cert, "-days", "2", "-extfile", str(ext)]):
        subprocess.run([openssl, *args], check=True, capture_output=True)
    return ca, cert, key


def test_tls_connection_and_an_untrusted_certificate_said_plainly(tmp_path):
    from cimviewer.testing import MOSQUITTO, free_port

    if not shutil.which(MOSQUITTO) and not Path(MOSQUITTO).exists():
        pytest.skip("mosquitto is not installed")
    ca, cert, key = _certificates(tmp_path)
    plain = free_port()  # the test publishes here; the app subscribes over TLS
    cim_mqtt_broker = MqttBroker(tmp_path, extra=(f"cafile {ca}\ncertfile {cert}\nkeyfile {key}\n"
                                     f"allow_anonymous true\n"
                                     f"listener {plain} 127.0.0.1\nallow_anonymous true"))
    cim_mqtt_broker.start()
    try:
        trusted = MqttSource(MqttConfig(broker=f"mqtts://127.0.0.1:{cim_mqtt_broker.port}",
                                        topics=["tls/#"], ca_file=ca))
        trusted.start()
        assert trusted.wait_connected(10), trusted.detail
        plain_broker = MqttBroker(tmp_path, port=plain)  # only for its address
        mqtt_publish(plain_broker, [("tls/a", _payload("T1", 7.5))])
        assert wait_for(lambda: trusted.queue.stats.received == 1)
        assert trusted.queue.drain().values.tolist() == [7.5]
        trusted.stop()

        states = []
        untrusted = MqttSource(MqttConfig(broker=f"mqtts://127.0.0.1:{cim_mqtt_broker.port}",
                                          topics=["tls/#"], reconnect_min=0.2,
                                          reconnect_max=0.5),
                               on_state=lambda s, d: states.append((s, d)))
        untrusted.start()
        assert wait_for(lambda: any("certificate" in d for _s, d in states), 10), states
        assert not untrusted.connected_event.is_set()
        untrusted.stop()
        with pytest.raises(Exception, match="CA certificates"):
            MqttSource(MqttConfig(broker=f"mqtts://127.0.0.1:{cim_mqtt_broker.port}",
                                  ca_file=str(tmp_path / "missing.pem"))).start()
    finally:
        cim_mqtt_broker.stop()


@pytest.mark.gui
def test_unknown_live_sensors_with_a_position_are_placed_there(cim_mqtt_broker, cim_demo_window,
                                                               qtbot):
    from cimviewer.io.reproject import lon_lat

    project = cim_demo_window.project
    layer = next(lay for lay in project.layers if isinstance(lay, SensorLayer))
    bbox = project.bbox()
    centre = (bbox[:2] + bbox[3:5]) / 2
    lon, lat = lon_lat(project.crs, *centre)
    controller = cim_demo_window.sensor_controller
    source = controller.connect_live(
        MqttConfig(broker=cim_mqtt_broker.url, topics=["roaming/#"]), layer=layer)
    assert source.wait_connected(5)
    body = {"id": "BUS-7", "value": 41.0, "lon": lon, "lat": lat, "unit": "µg/m³"}
    mqtt_publish(cim_mqtt_broker, [("roaming/bus", orjson.dumps(body)),
                     ("roaming/bad", orjson.dumps({"id": "BUS-8", "value": 1, "lon": "x"}))])
    qtbot.waitUntil(lambda: layer.index_of("BUS-8") is not None, timeout=5000)
    row = layer.index_of("BUS-7")
    np.testing.assert_allclose(layer.table.xyz[row, :2], centre, atol=0.01)
    terrain = next(lay for lay in project.layers if lay.kind == "terrain").grid
    from cimviewer.geometry.terrain import sample_heights

    ground = sample_heights(terrain, centre[:1], centre[1:2])[0]
    assert layer.table.xyz[row, 2] == pytest.approx(ground)  # on the ground
    assert not np.isfinite(layer.table.xyz[layer.index_of("BUS-8")]).any()  # bad position
    # the bus drives on: a sensor placed by its messages follows them; one from the
    # positions file stays where the file put it
    lon2, lat2 = lon_lat(project.crs, centre[0] + 120.0, centre[1])
    fixed = layer.index_of("SEN-050")
    fixed_xyz = layer.table.xyz[fixed].copy()
    mqtt_publish(cim_mqtt_broker, [("roaming/bus", orjson.dumps(dict(body, lon=lon2, lat=lat2))),
                     ("roaming/x", orjson.dumps({"id": "SEN-050", "value": 3,
                                                 "lon": lon2, "lat": lat2}))])
    qtbot.waitUntil(lambda: abs(layer.table.xyz[row, 0] - centre[0] - 120.0) < 0.01,
                    timeout=5000)
    np.testing.assert_allclose(layer.table.xyz[row, 1], centre[1], atol=0.01)
    np.testing.assert_array_equal(layer.table.xyz[fixed], fixed_xyz)
