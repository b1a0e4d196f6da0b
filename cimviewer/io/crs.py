"""Normalising coordinate reference system names to short authority strings."""

from __future__ import annotations

import re

# "EPSG/0/7415" (URL), "EPSG::7415" / "EPSG:6.3:7415" (URN), "EPSG:7415", "EPSG:28992+5109"
_EPSG_CODE = re.compile(r"EPSG(?:/[^/]+/|:[\d.]*:|:)(\d+)((?:\+\d+)*)", re.I)


def crs_from_name(name: str | None) -> str | None:
    """One spelling for every way CityJSON, CityGML and GIS files name an EPSG CRS:
    "urn:ogc:def:crs:EPSG::7415", ".../EPSG/0/7415", "EPSG:7415" -> "EPSG:7415".

    Compound CRSs (a CityJSON crs-compound URL, a CityGML compound URN, "EPSG:A+B")
    give "EPSG:A+B", which pyproj reads. Unknown strings are kept.
    """
    if not name:
        return None
    codes: list[str] = []
    for match in _EPSG_CODE.finditer(name):
        codes.append(str(int(match.group(1))))
        codes += [str(int(c)) for c in match.group(2).split("+") if c]
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
