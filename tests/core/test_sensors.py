"""The sensor model, replay from CSV / Parquet, payload parsing, IDW: no broker, no display."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import orjson
import pytest

from cimviewer.core.sensor_buffer import SensorHistory
from cimviewer.core.sensors import ALARM, OK, WARNING, SensorLayer, SensorSettings, SensorTable
from cimviewer.geometry.idw import idw
from cimviewer.io.sensors.payload import (
    PRESETS,
    MalformedMessageError,
    PayloadMapping,
    PayloadParser,
)
from cimviewer.io.sensors.readings import ReplaySource, read_readings
from cimviewer.resources import demo_dir

T0 = datetime.fromisoformat("2024-11-19T00:00:00+08:00").timestamp()


def _layer(n=3, history=8) -> SensorLayer:
    table = SensorTable(ids=[f"S{i}" for i in range(n)], xyz=np.zeros((n, 3)),
                        kinds=["air"] * n, quantities=["pm25"] * n, units=["µg/m³"] * n,
                        warning=np.full(n, 75.0), alarm=np.full(n, 115.0),
                        height=np.zeros(n), anchors=[None] * n)
    return SensorLayer("s", table, settings=SensorSettings(history=history))


def test_value_at_is_the_last_reading_at_or_before():
    layer = _layer()
    layer.apply_batch(["S0", "S0", "S1"], np.array([T0 + 60, T0, T0 + 30]),
                      np.array([2.0, 1.0, 5.0]))
    np.testing.assert_array_equal(layer.value_at(T0 - 1), [np.nan, np.nan, np.nan])
    np.testing.assert_array_equal(layer.value_at(T0), [1.0, np.nan, np.nan])
    np.testing.assert_array_equal(layer.value_at(T0 + 59.9), [1.0, 5.0, np.nan])
    np.testing.assert_array_equal(layer.value_at(T0 + 60), [2.0, 5.0, np.nan])
    assert layer.history.latest_value[0] == 2.0  # newest by time, not by arrival


def test_ring_buffer_is_capped_and_keeps_the_newest():
    h = SensorHistory(capacity=4, rows=2)
    h.append(np.zeros(10, int), np.arange(10.0), np.arange(10.0))
    h.append(np.array([0, 1, 0]), np.array([10.0, 0.0, 11.0]), np.array([10.0, 7.0, 11.0]))
    t, _ = h.series(0)
    np.testing.assert_array_equal(t, [8, 9, 10, 11])
    assert h.count.tolist() == [4, 1]
    assert h.times.shape == (2, 4)


def test_states_and_unknown_sensors():
    layer = _layer()
    layer.apply_batch(["S0", "S1", "S2", "NEW"], np.full(4, T0), np.array([10, 80, 120, 3.0]),
                      ["", "", "", "dB"])
    assert layer.states().tolist() == [OK, WARNING, ALARM, OK]
    assert layer.n_sensors == 4 and layer.table.units[3] == "dB"


@pytest.fixture(scope="module")
def demo_csv():
    return demo_dir() / "sensor_readings.csv"


def test_csv_replay_gives_the_file_values(demo_csv):
    r = read_readings(ReplaySource(str(demo_csv)))
    layer = SensorLayer("s")
    layer.apply_batch(r.ids, r.times, r.values, r.units)
    at = datetime.fromisoformat("2024-11-19T19:07:00+08:00")
    values = layer.value_at(at)
    # 2024-11-19T19:00:00+08:00,SEN-001,vehicle_count,957.0 ; SEN-050,pm25,143.0
    assert values[layer.index_of("SEN-001")] == 957.0
    assert values[layer.index_of("SEN-050")] == 143.0
    # the same instant written in UTC
    assert layer.value_at(datetime.fromisoformat("2024-11-19T11:00:00+00:00"))[
        layer.index_of("SEN-050")] == 143.0
    assert str(r.tzinfo) == "UTC+08:00"


def test_parquet_wide_and_naive_times_in_a_time_zone(tmp_path, demo_csv):
    import pandas as pd

    long = pd.read_csv(demo_csv)
    pm = long[long.quantity == "pm25"]
    wide = pm.pivot(index="time", columns="sensor_id", values="value").reset_index()
    wide["time"] = pd.to_datetime(wide["time"]).dt.tz_localize(None)  # naive local times
    path = tmp_path / "pm25.parquet"
    wide.to_parquet(path)
    r = read_readings(ReplaySource(str(path), layout="wide", timezone="+08:00"))
    layer = SensorLayer("s")
    layer.apply_batch(r.ids, r.times, r.values)
    assert layer.n_sensors == pm.sensor_id.nunique()
    values = layer.value_at(datetime.fromisoformat("2024-11-19T19:14:59+08:00"))
    assert values[layer.index_of("SEN-050")] == 143.0
    # long CSV filtered to one quantity, with chosen columns
    r2 = read_readings(ReplaySource(str(demo_csv), quantity="no2"))
    assert set(r2.ids) == set(long[long.quantity == "no2"].sensor_id)


def test_payload_default_and_sensorthings():
    p = PayloadParser()
    sid, t, v, unit = p.parse("a/b", b'{"id": "X", "value": 2, "time": "2024-01-01T08:00:00+08:00",'
                                     b' "unit": "dB"}')
    assert (sid, t, v, unit) == ("X", datetime.fromisoformat("2024-01-01T00:00:00+00:00")
                                 .timestamp(), 2.0, "dB")
    st = PayloadParser(PRESETS["sensorthings"])
    sid, t, v, _ = st.parse("v1.1/Datastreams(17)/Observations",
                            b'{"result": 3.5, "phenomenonTime": "2024-01-01T00:00:00Z"}')
    assert (sid, v) == ("17", 3.5)
    nested = PayloadParser(PayloadMapping(id_field="meta.sid", value_field="data.v"))
    assert nested.parse("t", b'{"meta": {"sid": "N1"}, "data": {"v": 1}}')[0] == "N1"
    assert p.parse("t", b'{"id": "X", "value": " 12.5 "}')[2] == 12.5  # a number in quotes
    for bad in (b"nope", b"[1]", b'{"id": "X"}', b'{"id": "X", "value": "high"}',
                b'{"id": "X", "value": "NaN"}', b'{"id": "X", "value": "inf"}',
                b'{"value": 1}', b'{"id": "X", "value": 1, "time": "yesterday"}'):
        with pytest.raises(MalformedMessageError):
            p.parse("t", bad)


def test_idw_exact_at_samples_and_between():
    xy = np.array([[0.0, 0.0], [10.0, 0.0], [5.0, 5.0]])
    v = np.array([0.0, 10.0, np.nan])  # NaN samples are ignored
    out = idw(xy, v, np.array([[0.0, 0.0], [10.0, 0.0], [5.0, 0.0], [2.0, 0.0]]))
    np.testing.assert_allclose(out[:3], [0.0, 10.0, 5.0])
    assert 0 < out[3] < 5


def test_epoch_times_in_seconds_milliseconds_micro_and_nanoseconds(tmp_path):
    import pandas as pd

    moment = datetime.fromisoformat("2025-03-01T12:34:56.789+00:00").timestamp()
    p = PayloadParser()
    for number in (moment, moment * 1e3, moment * 1e6, moment * 1e9, int(moment * 1e3)):
        _sid, t, _v, _u = p.parse("t", orjson.dumps({"id": "A", "value": 1, "time": number}))
        assert t == pytest.approx(moment, abs=1e-3)
    early = datetime.fromisoformat("1975-01-01T00:00:00+00:00").timestamp()
    assert p.parse("t", orjson.dumps({"id": "A", "value": 1, "time": early * 1000}))[1] == \
        pytest.approx(early)
    path = tmp_path / "ms.csv"
    pd.DataFrame({"time": [int(moment * 1000)], "sensor_id": ["A"], "value": [4.0]}).to_csv(
        path, index=False)
    assert read_readings(ReplaySource(str(path))).times[0] == pytest.approx(moment, abs=1e-3)
