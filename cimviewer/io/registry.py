"""Which reader opens which file, and opening a path as project layers.

Formats are recognised by suffix first and then by sniffing the first bytes, so a
CityJSON file named ``.json`` or a CityGML file named ``.xml`` opens too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cimviewer.core.citymodel import CityModel
from cimviewer.core.datasets import TerrainGrid, ValueGrid, VectorData
from cimviewer.core.pointcloud import PointCloud
from cimviewer.io.errors import ReadError, UnsupportedFormatError, reader_errors
from cimviewer.io.files import check_regular
from cimviewer.io.pointcloud.reader import POINT_SUFFIXES
from cimviewer.io.raster import RASTER_SUFFIXES
from cimviewer.io.vector import VECTOR_SUFFIXES

Dataset = CityModel | TerrainGrid | ValueGrid | VectorData | PointCloud


#: load options a layer may carry (saved in projects), with the kind of value each takes;
#: the project file checks values by kind, the reader refuses any other option
LOAD_OPTIONS: dict[str, str] = {
    "layer": "text", "drape_offset": "number", "extrude": "flag",
    "height_attribute": "text", "storeys_attribute": "text", "storey_height": "positive",
    "default_height": "positive", "band": "band", "on_terrain": "flag", "imagery": "text",
    "streamed": "flag", "theme": "text", "values": "flag",
    # IFC placement by hand (io.ifc.placement): map coordinates of the model's origin,
    # degrees anticlockwise from map east to the model's x axis, and the map CRS (also
    # the CRS of a point cloud whose file names none)
    "origin_x": "coordinate", "origin_y": "coordinate", "origin_z": "coordinate",
    "rotation": "number", "crs": "text",
}
#: the load options the IFC reader takes
IFC_OPTIONS = ("origin_x", "origin_y", "origin_z", "rotation", "crs")
#: CityJSONSeq files larger than this open streamed (tiles read from disk as the view
#: needs them) unless the layer's ``streamed`` option says otherwise
STREAM_AUTO_BYTES = 512 * 1024 * 1024

ProgressFn = Callable[[float], None] | None
CancelFn = Callable[[], bool] | None


@dataclass(frozen=True)
class Reader:
    """One entry of the reader table: built-in formats and plugin readers alike.

    ``read(path, options, progress, cancelled)`` returns a core dataset; ``owner`` is
    "cimviewer" for built-in readers, else the plugin's name.
    """

    key: str
    label: str
    suffixes: tuple[str, ...]
    read: Callable[[Path, dict, ProgressFn, CancelFn], Dataset]
    owner: str = "cimviewer"

    @property
    def builtin(self) -> bool:
        return self.owner == "cimviewer"


@dataclass(frozen=True)
class PluginReader:
    """A reader a plugin adds for new suffixes; ``read(path)`` returns a core dataset."""

    key: str
    label: str
    suffixes: tuple[str, ...]
    read: Callable[[Path], Dataset]
    owner: str

    def entry(self) -> Reader:
        return Reader(self.key, self.label, self.suffixes,
                      lambda path, _o, _p, _c: _read_with_plugin(self, path), self.owner)


def _read_cityjson(path: Path, options: dict, progress: ProgressFn,
                   cancelled: CancelFn) -> Dataset:
    from cimviewer.io.cityjson.reader import read_cityjson

    return read_cityjson(path, progress=progress, cancelled=cancelled,
                         theme=options.get("theme"))


def _read_cityjsonseq(path: Path, options: dict, progress: ProgressFn,
                      cancelled: CancelFn) -> Dataset:
    streamed = options.get("streamed")
    if streamed is None:
        streamed = path.stat().st_size > STREAM_AUTO_BYTES
    if not streamed:
        return _read_cityjson(path, options, progress, cancelled)
    from cimviewer.io.cityjson.streamed import open_streamed

    return open_streamed(path, progress=progress, cancelled=cancelled,
                         theme=options.get("theme"))


def _read_city_folder(path: Path, options: dict, progress: ProgressFn,
                      cancelled: CancelFn) -> Dataset:
    from cimviewer.io.cityjson.folder import open_folder

    return open_folder(path, progress=progress, cancelled=cancelled,
                       theme=options.get("theme"))


def _read_citygml(path: Path, options: dict, progress: ProgressFn,
                  cancelled: CancelFn) -> Dataset:
    from cimviewer.io.citygml.reader import read_citygml

    return read_citygml(path, progress=progress, cancelled=cancelled,
                        theme=options.get("theme"))


def _read_ifc(path: Path, options: dict, progress: ProgressFn,
              cancelled: CancelFn) -> Dataset:
    from cimviewer.io.ifc.reader import read_ifc

    return read_ifc(path, options={k: options[k] for k in IFC_OPTIONS if k in options},
                    progress=progress, cancelled=cancelled)


def _read_tiles3d(path: Path, options: dict, _progress: ProgressFn,
                  _cancelled: CancelFn) -> Dataset:
    from cimviewer.io.tiles3d import read_tileset

    return read_tileset(path / "tileset.json" if path.is_dir() else path)


def _read_raster(path: Path, options: dict, _progress: ProgressFn,
                 _cancelled: CancelFn) -> Dataset:
    from cimviewer.io.raster import is_value_raster, read_dem, read_imagery, read_values

    values = options.get("values")
    if values is None:  # written by cimviewer as values (an analysis result)
        values = is_value_raster(path)
    if values:
        return read_values(path, band=int(options.get("band", 1)))
    grid = read_dem(path, band=int(options.get("band", 1)))
    if options.get("imagery"):
        image = Path(options["imagery"])
        grid.colors = read_imagery(image if image.is_absolute() else path.parent / image, grid)
    return grid


def _read_pointcloud(path: Path, options: dict, progress: ProgressFn,
                     cancelled: CancelFn) -> Dataset:
    from cimviewer.io.pointcloud.reader import read_pointcloud

    return read_pointcloud(path, crs=options.get("crs"), progress=progress,
                           cancelled=cancelled)


def _read_vector(path: Path, options: dict, _progress: ProgressFn,
                 _cancelled: CancelFn) -> Dataset:
    if options.get("extrude"):
        from cimviewer.io.footprints import read_footprints

        keys = ("height_attribute", "storeys_attribute", "storey_height", "default_height")
        return read_footprints(path, layer=options.get("layer"),
                               **{k: options[k] for k in keys if k in options})
    from cimviewer.io.vector import read_vector

    return read_vector(path, layer=options.get("layer"))


#: the reader table, by key: built-in readers first, plugin readers added and removed
#: by :func:`register_reader`; on a suffix the built-in formats always win
READERS: dict[str, Reader] = {reader.key: reader for reader in (
    Reader("cityjson", "CityJSON", (".city.json", ".json"), _read_cityjson),
    Reader("tiles3d", "3D Tiles", ("tileset.json",), _read_tiles3d),
    Reader("cityjsonseq", "CityJSONSeq", (".city.jsonl", ".jsonl"), _read_cityjsonseq),
    Reader("citygml", "CityGML", (".gml", ".xml"), _read_citygml),
    # a folder of CityJSON tiles, one streamed layer (found by detect_format, no suffix)
    Reader("cityjsonfolder", "Folder of CityJSON tiles", (), _read_city_folder),
    Reader("ifc", "IFC (BIM)", (".ifc",), _read_ifc),
    Reader("vector", "Vector (GeoPackage, Shapefile, GeoJSON, FlatGeobuf)", VECTOR_SUFFIXES,
           _read_vector),
    Reader("raster", "DEM raster (GeoTIFF...)", RASTER_SUFFIXES, _read_raster),
    Reader("pointcloud", "Point cloud (LAS, LAZ)", POINT_SUFFIXES, _read_pointcloud),
)}


def plugin_readers() -> dict[str, Reader]:
    """The readers plugins added, by key."""
    return {key: r for key, r in READERS.items() if not r.builtin}


def register_reader(reader: PluginReader | Reader) -> Callable[[], None]:
    """Add a plugin reader to the table; returns the function that removes it again.

    Raises ValueError when its key or a suffix is already taken (first one wins).
    """
    entry = reader.entry() if isinstance(reader, PluginReader) else reader
    taken = {s: (r.label if r.builtin else r.owner) for r in READERS.values()
             for s in r.suffixes}
    clash = [s for s in entry.suffixes if s.lower() in taken]
    if entry.key in READERS or clash:
        owner = taken[clash[0].lower()] if clash else entry.key
        raise ValueError(f"reader {entry.key!r}: {', '.join(clash) or 'key'} already "
                         f"read by {owner}")
    READERS[entry.key] = entry

    def unregister() -> None:
        if READERS.get(entry.key) is entry:
            del READERS[entry.key]
    return unregister


def _sniff(path: Path, name: str) -> str:
    """The built-in format of a file by its first bytes (then its suffix)."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if name.endswith((".city.jsonl", ".jsonl")):
        return "cityjsonseq"
    if stripped.startswith(b"{"):
        if name.endswith((".geojson",)) or b'"FeatureCollection"' in head:
            return "vector"
        from cimviewer.io.tiles3d.reader import is_tileset_head

        if is_tileset_head(head) or (name.endswith("tileset.json")
                                     and b'"asset"' in head):  # before CityJSON
            return "tiles3d"
        return "cityjson"
    if stripped.startswith(b"<"):
        return "citygml"
    if stripped.startswith(b"ISO-10303-21") or name.endswith(".ifc"):
        return "ifc"  # STEP physical file (IFC); the reader refuses other STEP schemas
    if name.endswith(VECTOR_SUFFIXES) or head.startswith(b"SQLite format 3"):
        return "vector"
    if head[:4] == b"LASF":
        return "pointcloud"
    if name.endswith(POINT_SUFFIXES):
        raise ReadError("not a LAS/LAZ file: it does not start with the LASF signature", path)
    if name.endswith(RASTER_SUFFIXES) or head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00"):
        return "raster"
    if name.endswith((".json", ".gml", ".xml")):
        raise ReadError("file does not start like JSON or XML", path)
    raise UnsupportedFormatError("unsupported file format", path)


def detect_format(path: str | Path) -> str:
    """Reader key of a file; raises ReadError for missing, empty or unknown files."""
    path = Path(path)
    if not path.exists():
        raise ReadError("file does not exist", path)
    if path.is_dir():
        if path.suffix.lower() == ".gdb":
            return "vector"
        tileset = path / "tileset.json"
        if tileset.is_file() and detect_format(tileset) == "tiles3d":
            return "tiles3d"  # a 3D Tiles folder opens as its tileset
        from cimviewer.io.cityjson.folder import is_city_folder

        if is_city_folder(path):  # never one with a 3D Tiles tileset.json at its top
            return "cityjsonfolder"
        raise ReadError("is a folder, not a file", path)
    check_regular(path)  # FIFOs and devices would block or never end
    if path.stat().st_size == 0:
        raise ReadError("file is empty (0 bytes)", path)
    name = path.name.lower()
    for reader in tuple(plugin_readers().values()):
        if name.endswith(reader.suffixes):
            return reader.key
    return _sniff(path, name)


def read_dataset(path: str | Path, *, options: dict | None = None, progress: ProgressFn = None,
                 cancelled: CancelFn = None) -> Dataset:
    """Read any supported file into a core dataset. Errors are ReadError only.

    ``path`` may be a folder of CityJSON tiles (one streamed layer, see
    ``io.cityjson.folder``). ``options`` (see :data:`LOAD_OPTIONS`): ``streamed``
    (CityJSONSeq: geometry stays on disk and is read by tile; default: files over
    :data:`STREAM_AUTO_BYTES`; other formats ignore it), ``layer`` (vector layer name), ``extrude``
    (polygons become LoD1 buildings, with ``height_attribute`` / ``storeys_attribute`` /
    ``storey_height`` / ``default_height``), ``band`` (raster band), ``imagery`` (an
    image draped on a DEM), ``origin_x`` / ``origin_y`` / ``origin_z`` / ``rotation`` /
    ``crs`` (IFC: where the model stands when the file does not say, or overriding it;
    see ``io.ifc.placement``; point clouds: the CRS of a file that names none, or a
    wrong one), ``theme`` (CityJSON / CityGML: the appearance theme whose
    materials and textures are shown; default: the file's). ``drape_offset`` and
    ``on_terrain`` are applied by the
    caller once terrain is known (``geometry.placement.drape_layers``).
    """
    path = Path(path)
    options = dict(options or {})
    unknown = set(options) - LOAD_OPTIONS.keys()
    if unknown:
        raise ReadError(f"unknown load options: {', '.join(sorted(unknown))}", path)
    reader = READERS[detect_format(path)]
    with reader_errors(path):
        dataset = reader.read(path, options, progress, cancelled)
        if isinstance(dataset, CityModel) and not dataset.streamed:
            from cimviewer.io.sanity import check_model

            check_model(dataset)  # one absurd object never costs the rest of the file
        return dataset


def _read_with_plugin(reader: PluginReader, path: Path) -> Dataset:
    try:
        dataset = reader.read(path)
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(f"plugin {reader.owner!r} could not read it: "
                        f"{type(exc).__name__}: {exc}", path) from None
    if not isinstance(dataset, (CityModel, TerrainGrid, VectorData, PointCloud)):
        raise ReadError(f"plugin {reader.owner!r} returned {type(dataset).__name__}, "
                        "not a dataset", path)
    return dataset


def file_dialog_filter() -> list[tuple[str, list[str]]]:
    """(label, glob patterns) for open dialogs."""
    return [(reader.label, [f"*{s}" for s in reader.suffixes])
            for reader in tuple(READERS.values()) if reader.suffixes]
