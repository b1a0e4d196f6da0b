"""One spelling for a CRS however a file names it (CityJSON, CityGML, GIS)."""

import pytest
from pyproj import CRS

from cimviewer.io.cityjson.model import parse_crs
from cimviewer.io.crs import crs_from_name


@pytest.mark.parametrize("name, expected", [
    ("https://www.opengis.net/def/crs/EPSG/0/7415", "EPSG:7415"),
    ("http://www.opengis.net/def/crs/EPSG/0/2056", "EPSG:2056"),
    ("urn:ogc:def:crs:EPSG::7415", "EPSG:7415"),
    ("urn:ogc:def:crs:EPSG:6.12:3068", "EPSG:3068"),  # a versioned URN
    ("EPSG:4547", "EPSG:4547"),
    ("epsg:2056", "EPSG:2056"),
    # compound: CityJSON's crs-compound URL, CityGML's URN, and the short form agree
    ("https://www.opengis.net/def/crs-compound?1=https://www.opengis.net/def/crs/EPSG/0/"
     "28992&2=https://www.opengis.net/def/crs/EPSG/0/5709", "EPSG:28992+5709"),
    ("urn:ogc:def:crs,crs:EPSG::28992,crs:EPSG::5709", "EPSG:28992+5709"),
    ("EPSG:28992+5709", "EPSG:28992+5709"),
    ("LOCAL_CS[\"site grid\"]", "LOCAL_CS[\"site grid\"]"),  # unknown: kept
])
def test_crs_spellings(name, expected):
    assert crs_from_name(name) == expected
    assert parse_crs(name) == expected  # CityJSON reads them the same way
    if expected.startswith("EPSG:"):
        crs = CRS.from_user_input(expected)  # pyproj reads every spelling we make
        assert crs.is_compound or "+" not in expected  # "A+B" keeps its vertical part
