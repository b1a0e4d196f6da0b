"""Attribute dicts kept as JSON text until asked for (streamed cities): they behave as a
list of dicts, and changes made through a dict handed out stay."""

from __future__ import annotations

import json

from cimviewer.core.citymodel import ObjectTable, PackedAttributes
from cimviewer.core.search import find_objects


def packed(rows):
    return PackedAttributes.pack([json.dumps(r).encode() for r in rows])


def test_packed_attributes_read_change_and_grow_like_a_list():
    rows = [{"height": 12.5, "name": "Town hall"}, {}, {"height": 3, "big": 2**70}]
    attrs = packed(rows)
    assert len(attrs) == 3 and attrs[0] == rows[0] and attrs[-1]["big"] == 2**70
    assert attrs[1:] == rows[1:]
    first = attrs[0]
    first["joined"] = "yes"  # a join writes into the dict it was given
    assert attrs[0] is first and attrs[0]["joined"] == "yes"
    attrs[1] = {"replaced": True}
    blob, bounds = attrs.packed()  # what the tile cache writes: the changes included
    again = PackedAttributes(blob, bounds)
    assert list(again) == [dict(rows[0], joined="yes"), {"replaced": True}, rows[2]]
    # going over all of them keeps the dicts handed out
    assert [a.get("height") for a in attrs] == [12.5, None, 3]
    assert next(iter(attrs)) is first
    attrs.append({"height": 1})
    assert len(attrs) == 4 and attrs == [*again, {"height": 1}] and attrs[0] is first


def test_an_object_table_with_packed_attributes_is_searched_and_extended():
    table = ObjectTable(["a", "b"], ["Building", "Building"], [[], []],
                        packed([{"name": "Station"}, {"name": "Library"}]))
    assert find_objects(table, "library") == [1]
    index = table.add("c", "Building", {"name": "Park"})
    assert index == 2 and table.attributes[2] == {"name": "Park"}
    assert table.attributes[1] == {"name": "Library"}
