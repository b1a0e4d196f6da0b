"""Which reader opens which file, and opening a path as project layers.

Formats are recognised by suffix first and then by sniffing the first bytes, so a
CityJSON file named ``.json`` or a CityGML file named ``.xml`` opens too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cimviewer.core.citymodel import CityModel
from cimviewer.core.datasets import TerrainGrid, VectorData
from cimviewer.io.errors import ReadError, UnsupportedFormatError, reader_errors
from cimviewer.io.raster import RASTER_SUFFIXES
from cimviewer.io.vector import VECTOR_SUFFIXES

Dataset = CityModel | TerrainGrid | VectorData


@dataclass(frozen=True)
class FormatInfo:
    key: str
    label: str
    suffixes: tuple[str, ...]


FORMATS = (
    FormatInfo("cityjson", "CityJSON", (".city.json", ".json")),
    FormatInfo("cityjsonseq", "CityJSONSeq", (".city.jsonl", ".jsonl")),
    FormatInfo("citygml", "CityGML", (".gml", ".xml")),
    FormatInfo("vector", "Vector (GeoPackage, Shapefile, GeoJSON, FlatGeobuf)", VECTOR_SUFFIXES),
    FormatInfo("raster", "DEM raster (GeoTIFF...)", RASTER_SUFFIXES),
)


@dataclass(frozen=True)
class PluginReader:
    """A reader a plugin adds for new suffixes; ``read(path)`` returns a core dataset."""

    key: str
    label: str
    suffixes: tuple[str, ...]
    read: Callable[[Path], Dataset]
    owner: str


#: readers added by plugins, by key; built-in formats always win on a suffix
PLUGIN_READERS: dict[str, PluginReader] = {}


def register_reader(reader: PluginReader) -> Callable[[], None]:
    """Add a plugin reader; returns the function that removes it again.

    Raises ValueError when its key or a suffix is already taken (first one wins).
    """
    taken = {s: f.label for f in FORMATS for s in f.suffixes}
    taken.update({s: r.owner for r in PLUGIN_READERS.values() for s in r.suffixes})
    clash = [s for s in reader.suffixes if s.lower() in taken]
    if reader.key in PLUGIN_READERS or any(f.key == reader.key for f in FORMATS) or clash:
        owner = taken[clash[0].lower()] if clash else reader.key
        raise ValueError(f"reader {reader.key!r}: {', '.join(clash) or 'key'} already "
                         f"read by {owner}")
    PLUGIN_READERS[reader.key] = reader

    def unregister() -> None:
        if PLUGIN_READERS.get(reader.key) is reader:
            del PLUGIN_READERS[reader.key]
    return unregister


def detect_format(path: str | Path) -> str:
    """Format key of a file; raises ReadError for missing, empty or unknown files."""
    path = Path(path)
    if not path.exists():
        raise ReadError("file does not exist", path)
    if path.is_dir():
        if path.suffix.lower() == ".gdb":
            return "vector"
        raise ReadError("is a folder, not a file", path)
    if path.stat().st_size == 0:
        raise ReadError("file is empty (0 bytes)", path)
    name = path.name.lower()
    for reader in tuple(PLUGIN_READERS.values()):
        if name.endswith(reader.suffixes):
            return reader.key
    with path.open("rb") as fh:
        head = fh.read(4096)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if name.endswith((".city.jsonl", ".jsonl")):
        return "cityjsonseq"
    if stripped.startswith(b"{"):
        if name.endswith((".geojson",)) or b'"FeatureCollection"' in head:
            return "vector"
        return "cityjson"
    if stripped.startswith(b"<"):
        return "citygml"
    if name.endswith(VECTOR_SUFFIXES) or head.startswith(b"SQLite format 3"):
        return "vector"
    if name.endswith(RASTER_SUFFIXES) or head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00"):
        return "raster"
    if name.endswith((".json", ".gml", ".xml")):
        raise ReadError("file does not start like JSON or XML", path)
    raise UnsupportedFormatError("unsupported file format", path)


ProgressFn = Callable[[float], None] | None


#: load options a layer may carry (saved in projects); anything else is refused
LOAD_OPTIONS = frozenset({"layer", "drape_offset", "extrude", "height_attribute",
                          "storeys_attribute", "storey_height", "default_height", "band",
                          "on_terrain", "imagery"})


def read_dataset(path: str | Path, *, options: dict | None = None, progress: ProgressFn = None,
                 cancelled: Callable[[], bool] | None = None) -> Dataset:
    """Read any supported file into a core dataset. Errors are ReadError only.

    ``options``: ``layer`` (vector layer name), ``extrude`` (polygons become LoD1
    buildings, with ``height_attribute`` / ``storeys_attribute`` / ``storey_height`` /
    ``default_height``), ``band`` (raster band). ``drape_offset`` is applied by the
    caller once terrain is known.
    """
    path = Path(path)
    options = dict(options or {})
    unknown = set(options) - LOAD_OPTIONS
    if unknown:
        raise ReadError(f"unknown load options: {', '.join(sorted(unknown))}", path)
    fmt = detect_format(path)
    plugin_reader = PLUGIN_READERS.get(fmt)
    with reader_errors(path):
        if plugin_reader is not None:
            return _read_with_plugin(plugin_reader, path)
        if fmt in ("cityjson", "cityjsonseq"):
            from cimviewer.io.cityjson.reader import read_cityjson

            return read_cityjson(path, progress=progress, cancelled=cancelled)
        if fmt == "citygml":
            from cimviewer.io.citygml.reader import read_citygml

            return read_citygml(path, progress=progress, cancelled=cancelled)
        if fmt == "raster":
            from cimviewer.io.raster import read_dem

            grid = read_dem(path, band=int(options.get("band", 1)))
            if options.get("imagery"):
                from cimviewer.io.raster import read_imagery

                image = Path(options["imagery"])
                grid.colors = read_imagery(image if image.is_absolute() else path.parent / image,
                                           grid)
            return grid
        if options.get("extrude"):
            from cimviewer.io.footprints import read_footprints

            keys = ("height_attribute", "storeys_attribute", "storey_height", "default_height")
            return read_footprints(path, layer=options.get("layer"),
                                   **{k: options[k] for k in keys if k in options})
        from cimviewer.io.vector import read_vector

        return read_vector(path, layer=options.get("layer"))


def _read_with_plugin(reader: PluginReader, path: Path) -> Dataset:
    try:
        dataset = reader.read(path)
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(f"plugin {reader.owner!r} could not read it: "
                        f"{type(exc).__name__}: {exc}", path) from None
    if not isinstance(dataset, (CityModel, TerrainGrid, VectorData)):
        raise ReadError(f"plugin {reader.owner!r} returned {type(dataset).__name__}, "
                        "not a dataset", path)
    return dataset


def file_dialog_filter() -> list[tuple[str, list[str]]]:
    """(label, glob patterns) for open dialogs."""
    out = []
    for fmt in FORMATS:
        out.append((fmt.label, [f"*{s}" for s in fmt.suffixes]))
    for reader in tuple(PLUGIN_READERS.values()):
        out.append((reader.label, [f"*{s}" for s in reader.suffixes]))
    return out
