"""Packed object ids and sparse parents (core.citymodel): what a streamed city of
millions of objects keeps instead of a Python string and list per object."""

from __future__ import annotations

import pytest

from cimviewer.core.citymodel import ObjectTable, PackedStrings, SparseParents


@pytest.mark.parametrize("ids", [["B1", "B22", "", "x"], ["北京-1", "é", "B3"]])
def test_packed_strings_read_like_a_list(ids):
    packed = PackedStrings.pack(ids)
    assert len(packed) == len(ids)
    assert list(packed) == ids
    assert [packed[i] for i in range(len(ids))] == ids
    assert packed[-1] == ids[-1] and packed[1:3] == ids[1:3]
    blob, bounds = packed.packed()
    assert PackedStrings(blob, bounds) == ids
    with pytest.raises(IndexError):
        packed[len(ids)]
    packed.append("new")  # a change makes it a plain list
    assert list(packed) == [*ids, "new"]
    assert packed.packed()[0] == "".join([*ids, "new"]).encode()


def test_an_object_table_with_packed_ids_and_sparse_parents():
    ids = PackedStrings.pack(["a", "a-1", "a-2", "b"])
    parents = SparseParents(4, {1: [0], 2: [1]})
    table = ObjectTable(ids, ["Building", "BuildingPart", "BuildingPart", "Road"], parents,
                        [{}, {}, {}, {}])
    assert table.index_of("a-2") == 2
    assert table.parents[3] == [] and table.parents[2] == [1]
    assert list(table.parents) == [[], [0], [1], []]
    assert table.children_of(0) == [1]
    assert table.descendants_of(0) == [1, 2]
    assert table.root_of(2) == 0
    table.parents[3] = [0]
    assert table.children_of(0) == [1, 3]
    index = table.add("c", "Road")
    assert index == 4 and table.parents[4] == [] and len(table.parents) == 5
    assert table.ids[4] == "c"


def test_top_level_types_with_sparse_parents():
    from cimviewer.core.styling import several_top_level_types, top_level_types

    types = ["Building", "BuildingPart", "BuildingPart", "Road"]
    sparse = SparseParents(4, {1: [0], 2: [1]})
    as_lists = [[], [0], [1], []]
    assert top_level_types(types, sparse) == top_level_types(types, as_lists) == \
        ["Building", "Building", "Building", "Road"]
    assert several_top_level_types(types, sparse) and several_top_level_types(types, as_lists)
    assert not several_top_level_types(types[:3], SparseParents(3, {1: [0], 2: [1]}))
