"""Normalising coordinate reference system names to short authority strings."""

from __future__ import annotations

import re

_EPSG_PATTERNS = (
    re.compile(r"EPSG/\d+/(\d+)", re.I),
    re.compile(r"EPSG::?(\d+)", re.I),
)


def crs_from_name(name: str | None) -> str | None:
    """"urn:ogc:def:crs:EPSG::7415", ".../EPSG/0/7415", "EPSG:7415" -> "EPSG:7415".

    Compound URNs listing two EPSG codes give "EPSG:A+B". Unknown strings are kept.
    """
    if not name:
        return None
    codes: list[str] = []
    for pattern in _EPSG_PATTERNS:
        codes = pattern.findall(name)
        if codes:
            break
    if not codes:
        return name.strip() or None
    return "EPSG:" + "+".join(dict.fromkeys(codes))


def crs_from_pyproj(crs: object) -> str | None:
    """Short name of a pyproj / rasterio CRS object: "EPSG:4547" when it has a code."""
    if crs is None:
        return None
    from pyproj import CRS

    try:
        pcrs = CRS.from_user_input(crs)
    except Exception:
        return str(crs) or None
    epsg = pcrs.to_epsg(min_confidence=70)
    if epsg is not None:
        return f"EPSG:{epsg}"
    auth = pcrs.to_authority()
    return f"{auth[0]}:{auth[1]}" if auth else pcrs.to_wkt()
