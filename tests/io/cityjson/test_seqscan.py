"""The byte-level index scanner (io.cityjson.seqscan) against the msgspec path: the same
offsets, boxes, ids, types, attributes, parents and LoDs on a file of awkward lines,
and which lines each path reads."""

from __future__ import annotations

import numpy as np
import orjson
import pytest

from cimviewer.io.cityjson import seqscan, streamed
from cimviewer.io.errors import ReadError

pytestmark = pytest.mark.skipif(not seqscan.AVAILABLE, reason="numba not installed")

HEADER = (b'{"type":"CityJSON","version":"2.0","transform":{"scale":[0.001,0.001,0.001],'
          b'"translate":[100.0,200.0,0.0]},"CityObjects":{},"vertices":[]}')
BOX = b'[[[[0,1,2]],[[0,2,3]]]]'


def plain(oid: str, x: int, extra: bytes = b"") -> bytes:
    return (b'{"type":"CityJSONFeature","id":"%s","CityObjects":{"%s":{"type":"Building",'
            b'"attributes":{"h":%d%s},"geometry":[{"type":"Solid","lod":"1","boundaries":%s}]}},'
            b'"vertices":[[%d,0,0],[%d,5000,0],[%d,5000,9000],[%d,0,9000]]}'
            % (oid.encode(), oid.encode(), x, extra, BOX, x, x + 1, x + 2, x - 7))


#: (line, whether the fast scanner reads it itself)
LINES = [
    (HEADER, False),  # the header: the ordinary decoder
    (plain("A", 1000), True),
    # whitespace everywhere, keys in another order, CRLF line end
    (b' { "vertices" : [ [ 5 , 6 , 7 ] ,[-8,9,10]] , "CityObjects" : { "B" : { "geometry" :'
     b' [ { "boundaries" : [[[0,1,2]]] , "lod" : 2 } ] , "attributes" : { "a" : [1, 2.5e3,'
     b' true, null, "x"] } , "type" : "BuildingPart" , "parents" : [ "A" ] } } ,'
     b' "type" : "CityJSONFeature" }\r', True),
    # "vertices" and escaped quotes inside attribute strings, non-ASCII text
    (b'{"type":"CityJSONFeature","CityObjects":{"C":{"type":"Building","attributes":'
     b'{"note":"\\"vertices\\":[[9,9,9]] \\u00e9 \xe5\x8c\x97\xe4\xba\xac","vertices":'
     b'[[1,2,3]]}}},"vertices":[[1,1,1]]}', True),
    # no vertices, no attributes, no type, geometry null
    (b'{"type":"CityJSONFeature","CityObjects":{"D":{"geometry":null}},"vertices":[]}', True),
    # two objects, one with children and parents, an extension type, an unknown key
    (b'{"type":"CityJSONFeature","id":"E","metadata":{"x":[{}]},"CityObjects":{'
     b'"E":{"type":"+Shed","children":["E-1"],"attributes":{}},'
     b'"E-1":{"type":"BuildingPart","parents":["E","nobody",3],"geometry":[]}},'
     b'"vertices":[[0,0,0]]}', True),
    (b'   ', True),  # a blank line
    (b'', True),
    # an escaped id: the ordinary decoder
    (b'{"type":"CityJSONFeature","CityObjects":{"F\\"1":{"type":"Building"}},'
     b'"vertices":[[4,4,4]]}', False),
    # an escaped key that means "type"
    (b'{"type":"CityJSONFeature","CityObjects":{"G":{"typ\\u0065":"Road"}},'
     b'"vertices":[[4,4,4]]}', False),
    # float vertices, a float LoD, a non-string type
    (b'{"type":"CityJSONFeature","CityObjects":{"H":{"type":"Building"}},'
     b'"vertices":[[4.5,4,4],[1,2,3]]}', False),
    (b'{"type":"CityJSONFeature","CityObjects":{"I":{"type":7,"geometry":[{"lod":2.2}]}},'
     b'"vertices":[[1,2,3]]}', False),
    # a repeated id and a repeated key
    (b'{"type":"CityJSONFeature","CityObjects":{"J":{"type":"A"},"J":{"type":"B"}},'
     b'"vertices":[[1,2,3]]}', False),
    (b'{"type":"CityJSONFeature","CityObjects":{"K":{"type":"A","type":"B"}},'
     b'"vertices":[[1,2,3]]}', False),
    # vertices of 2 numbers, attributes that are not an object
    (b'{"type":"CityJSONFeature","CityObjects":{"L":{"attributes":[1]}},'
     b'"vertices":[[1,2],[3,4,5]]}', False),
    (b'{"type":"CityJSONFeature","CityObjects":{"M":{"type":"Building",'
     b'"attributes":"none"}},"vertices":[[1,2,3]]}', True),
    (plain("N", 40000, b',"t":"\\t\\n\\/\\\\"'), True),
]


def _write(tmp_path, lines, ending=b"\n", last_newline=True):
    path = tmp_path / "awkward.city.jsonl"
    body = ending.join(line for line, _ in lines)
    path.write_bytes(body + (ending if last_newline else b""))
    return path


@pytest.fixture(autouse=True)
def _any_size(monkeypatch):
    monkeypatch.setattr(streamed, "FAST_SCAN_BYTES", 0)  # the scanner on small files too


def _both(path, monkeypatch):
    out = []
    for fast in (True, False):
        monkeypatch.setattr(streamed, "FAST_SCAN", fast)
        out.append(streamed._index(path, None, None))
    return out


def _same(a, b) -> None:
    (ma, sa), (mb, sb) = a, b
    np.testing.assert_array_equal(sa.offsets, sb.offsets)
    np.testing.assert_array_equal(sa.lengths, sb.lengths)
    np.testing.assert_array_equal(sa.feature_bbox, sb.feature_bbox)
    np.testing.assert_array_equal(sa.object_offsets, sb.object_offsets)
    assert list(ma.objects.ids) == list(mb.objects.ids)
    assert ma.objects.types == mb.objects.types
    assert ma.objects.attributes.packed()[0] == mb.objects.attributes.packed()[0]
    assert list(ma.objects.attributes) == list(mb.objects.attributes)
    assert list(ma.objects.parents) == list(mb.objects.parents)
    assert ma.index_lods == mb.index_lods
    assert ma.crs == mb.crs


@pytest.mark.parametrize("ending", [b"\n", b"\r\n"])
def test_fast_and_msgspec_paths_agree_on_awkward_lines(tmp_path, monkeypatch, ending):
    path = _write(tmp_path, LINES, ending)
    fast, slow = _both(path, monkeypatch)
    _same(fast, slow)
    model, source = fast
    ids = list(model.objects.ids)
    assert ids == ["A", "B", "C", "D", "E", "E-1", 'F"1', "G", "H", "I", "J", "K", "L", "M",
                   "N"]
    # offsets and lengths are the lines' bytes (CRLF included)
    data = path.read_bytes()
    for k, (start, length) in enumerate(zip(source.offsets, source.lengths, strict=True)):
        line = data[start:start + length]
        assert line.endswith(b"\n")
        assert orjson.loads(line)["type"] == "CityJSONFeature", k
    # boxes: integer vertices through the header's transform, NaN without vertices
    np.testing.assert_allclose(source.feature_bbox[0],
                               [100.993, 200.0, 0.0, 101.002, 205.0, 9.0])
    np.testing.assert_allclose(source.feature_bbox[1],
                               [99.992, 200.006, 0.007, 100.005, 200.009, 0.010])
    assert np.isnan(source.feature_bbox[3]).all()
    assert model.objects.types[:6] == ["Building", "BuildingPart", "Building", "", "+Shed",
                                       "BuildingPart"]
    assert model.objects.types[ids.index("G")] == "Road"
    assert model.objects.types[ids.index("I")] == "7"
    assert model.objects.attributes[2]["note"].startswith('"vertices":[[9,9,9]] é 北京')
    assert model.objects.attributes[ids.index("M")] == {}
    assert model.objects.attributes[ids.index("N")]["t"] == "\t\n/\\"
    assert model.objects.parents[1] == [0]  # B's parent A
    assert model.objects.parents[ids.index("E-1")] == [ids.index("E")]
    assert model.index_lods == ["1", "2", "2.2"]


def test_the_scanner_reads_plain_lines_and_leaves_the_others(tmp_path):
    path = _write(tmp_path, LINES)
    buf = np.fromfile(path, np.uint8)
    scan = seqscan.scan_chunk(buf, 0, len(buf), True, seqscan.ScanTables(), 100, 100)
    assert scan.n_lines == len(LINES)
    for k, (line, fast) in enumerate(LINES):
        status = int(scan.status[k])
        if not line.strip():
            assert status == seqscan.BLANK
        else:
            assert (status == seqscan.FEATURE) == fast, (k, line[:60])


def test_a_last_line_without_newline_and_tiny_blocks(tmp_path, monkeypatch):
    lines = [(HEADER, False)] + [(plain(f"X{k}", 1000 * k), True) for k in range(300)]
    path = _write(tmp_path, lines, last_newline=False)
    monkeypatch.setattr(streamed, "SCAN_BLOCK", 4096)  # lines cross many blocks
    monkeypatch.setattr(streamed, "SCAN_SPLIT_BYTES", 0)  # each block in 2 threads
    fast, slow = _both(path, monkeypatch)
    _same(fast, slow)
    assert len(fast[0].objects) == 300
    assert fast[1].offsets[-1] + fast[1].lengths[-1] == path.stat().st_size


def test_a_line_longer_than_the_block_with_many_objects(tmp_path, monkeypatch):
    objects = b",".join(b'"P%d":{"type":"Building","attributes":{"k":%d}}' % (k, k)
                        for k in range(3000))
    big = (b'{"type":"CityJSONFeature","CityObjects":{' + objects +
           b'},"vertices":[[1,2,3]]}', True)
    path = _write(tmp_path, [(HEADER, False), (plain("A", 0), True), big,
                             (plain("Z", 5), True)])
    monkeypatch.setattr(streamed, "SCAN_BLOCK", 1024)
    monkeypatch.setattr(streamed, "SCAN_SPLIT_BYTES", 0)
    fast, slow = _both(path, monkeypatch)
    _same(fast, slow)
    assert len(fast[0].objects) == 3002
    assert fast[0].objects.attributes[2000]["k"] == 1999


def test_invalid_json_is_refused_by_both_paths_with_the_line(tmp_path, monkeypatch):
    broken = (b'{"type":"CityJSONFeature","CityObjects":{"A":{"type":"Building",'
              b'"geometry":[{"lod":"1","boundaries":[[[0,1,,2]]]}]}},"vertices":[[1,2,3]]}')
    path = _write(tmp_path, [(HEADER, False), (plain("A", 0), True), (broken, False)])
    for fast in (True, False):
        monkeypatch.setattr(streamed, "FAST_SCAN", fast)
        with pytest.raises(ReadError, match="line 3"):
            streamed._index(path, None, None)


@pytest.mark.parametrize("text", [
    b'{"a":[1,2,{"b":"x\\"y"}],"c":true,"d":false,"e":null}', b'{"a":1,}', b'[1 2]',
    b'{"a" 1}', b'{"a":-0.5e3}', b'{"a":01}', b'{"\xe5\x8c\x97":null}', b'{"a":[]}', b'{}',
    b'[[],{}]', b'{"a":{"b":{"c":[1,[2,[3]]]}}}', b'{"a":tru}', b'{"a":"\x01"}', b'[1,]',
    b'{"a":1}}', b'[1.]', b'[-]', b'[1e5,2E-3,-0]', b'["\\u00e9\\n"]', b'["\\x"]',
    b'["\xff"]', b'["\xc3"]', b'["\xed\xa0\x80"]', b'{"a":1 , "b" : [ 1 , 2 ] }',
    b'{,}', b'[,1]', b'{"a":1 "b":2}', b'[nul]', b'[1]]',
])
def test_the_validator_accepts_what_orjson_accepts(text):
    buf = np.frombuffer(text, np.uint8).copy()
    end = seqscan._skip(buf, 0, len(buf), np.zeros(64, np.uint8))
    try:
        orjson.loads(text)
        valid = True
    except orjson.JSONDecodeError:
        valid = False
    assert (end == len(buf)) == valid, (text, end)
