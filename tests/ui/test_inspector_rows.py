"""Structured attribute values (a CityJSON address) read as nested rows, not JSON."""

from __future__ import annotations

from cimviewer.ui.inspector import INDENT, value_rows


def test_nested_values_become_indented_rows():
    address = [{"CountryName": "China", "Locality": "深圳",
                "location": {"type": "MultiPoint", "lod": "1"}}]
    rows = value_rows("address", address)
    assert rows == [
        ("address", ""),
        (INDENT + "[1]", ""),
        (2 * INDENT + "CountryName", "China"),
        (2 * INDENT + "Locality", "深圳"),
        (2 * INDENT + "location", ""),
        (3 * INDENT + "type", "MultiPoint"),
        (3 * INDENT + "lod", "1"),
    ]
    assert not any("{" in value for _, value in rows)


def test_plain_lists_stay_on_one_row_and_empty_values_show_as_such():
    assert value_rows("uses", ["shop", "office", 3]) == [("uses", "shop, office, 3")]
    assert value_rows("notes", None) == [("notes", "")]
    assert value_rows("extra", {}) == [("extra", "{}")]
