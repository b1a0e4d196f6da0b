"""Attributes of one CityGML city object: core, module, generic and address.

Only the object's direct children are read (nested objects have their own). Simple
leaf elements (``bldg:function``, ``bldg:yearOfConstruction``...) become attributes by
their local name; repeated names become lists.
"""

from __future__ import annotations

from typing import Any

from cimviewer.io.citygml.geometry import GML_NAMESPACES, local_name

INT_ATTRIBUTES = frozenset(
    {"storeysAboveGround", "storeysBelowGround", "yearOfConstruction", "yearOfDemolition"})
FLOAT_ATTRIBUTES = frozenset({"measuredHeight"})
#: 2.0 generic attribute elements -> value type
GENERIC_2 = {
    "stringAttribute": str, "intAttribute": int, "doubleAttribute": float,
    "measureAttribute": float, "dateAttribute": str, "uriAttribute": str,
}
#: 3.0 generic attribute elements -> value type
GENERIC_3 = {
    "StringAttribute": str, "IntAttribute": int, "DoubleAttribute": float,
    "MeasureAttribute": float, "DateAttribute": str, "UriAttribute": str, "CodeAttribute": str,
}


def object_attributes(element) -> dict[str, Any]:
    """Attributes of a city object element as plain Python values."""
    attrs: dict[str, Any] = {}
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        name = local_name(tag)
        ns = tag[1:tag.find("}")] if tag.startswith("{") else ""
        if ns in GML_NAMESPACES:
            if name in ("name", "description") and _text(child):
                _put(attrs, name, _text(child))
        elif name in GENERIC_2 or name == "genericAttributeSet":
            _generic_2(child, attrs)
        elif name == "genericAttribute":
            for inner in _elements(child):
                _generic_3(inner, attrs)
        elif name == "address":
            address = _address(child)
            if address:
                _put(attrs, "address", address)
        elif name == "height" and len(child):
            _height_3(child, attrs)
        elif len(child) == 0 and _text(child):
            _put(attrs, name, _typed(name, _text(child)))
    return attrs


def _put(attrs: dict[str, Any], key: str, value: Any) -> None:
    if key not in attrs:
        attrs[key] = value
    elif isinstance(attrs[key], list):
        attrs[key].append(value)
    else:
        attrs[key] = [attrs[key], value]


def _text(element) -> str:
    return " ".join((element.text or "").split())


def _elements(element):
    return (c for c in element if isinstance(c.tag, str))


def _typed(name: str, text: str) -> Any:
    if name in INT_ATTRIBUTES:
        return _convert(int, text)
    if name in FLOAT_ATTRIBUTES:
        return _convert(float, text)
    return text


def _convert(kind: type, text: str) -> Any:
    try:
        return kind(float(text)) if kind is int and "." in text else kind(text)
    except ValueError:
        return text


def _generic_2(element, attrs: dict[str, Any]) -> None:
    name = element.get("name") or ""
    kind = local_name(element.tag)
    if kind == "genericAttributeSet":
        inner: dict[str, Any] = {}
        for child in _elements(element):
            _generic_2(child, inner)
        attrs[name] = inner
        return
    for child in _elements(element):
        if local_name(child.tag) == "value":
            attrs[name] = _convert(GENERIC_2.get(kind, str), _text(child))


def _generic_3(element, attrs: dict[str, Any]) -> None:
    kind = local_name(element.tag)
    name = ""
    value: Any = None
    inner: dict[str, Any] = {}
    for child in _elements(element):
        child_name = local_name(child.tag)
        if child_name == "name":
            name = _text(child)
        elif child_name == "value":
            value = _convert(GENERIC_3.get(kind, str), _text(child))
        elif child_name == "genericAttribute":
            for sub in _elements(child):
                _generic_3(sub, inner)
    if name:
        attrs[name] = inner if kind == "GenericAttributeSet" else value


def _height_3(element, attrs: dict[str, Any]) -> None:
    """CityGML 3.0 ``con:height/con:Height``: measured heights become ``measuredHeight``."""
    for height in _elements(element):
        fields = {local_name(c.tag): _text(c) for c in _elements(height)}
        if "value" not in fields:
            continue
        value = _convert(float, fields["value"])
        key = "measuredHeight" if fields.get("status") == "measured" else "height"
        _put(attrs, key, value)


def _address(element) -> str:
    """Address text: the leaf texts of the xAL address, in document order."""
    parts = []
    for leaf in element.iter():
        if not isinstance(leaf.tag, str) or len(leaf):
            continue
        if local_name(leaf.tag) in ("pos", "posList"):
            continue
        text = _text(leaf)
        if text:
            parts.append(text)
    return ", ".join(parts)
