#!/usr/bin/env python3
"""Generate the synthetic demo district shipped with cimviewer.

The district is a made-up piece of Shenzhen-like city (about 2.2 km x 2.2 km)
in EPSG:4547 (CGCS2000 / 3-degree Gauss-Kruger CM 114E).  Everything is
deterministic: the same seed gives the same data.

Outputs (default directory: resources/demo/ next to this script's repo root):

* terrain.tif                 float32 DEM, 5 m pixels, deflate, nodata -9999
* roads.gpkg                  layer ``roads``: street centrelines
* buildings.city.json         CityJSON 2.0, LoD1 + LoD2.2 solids with semantics
* street_furniture.gpkg       layer ``poles``: lamps, traffic signals, cameras
* infrastructure.gpkg         layers ``substations`` and ``fibre_nodes``
* sensors.gpkg                layer ``sensors``
* sensor_readings.csv         3 days of 15-minute readings (long format)
* README.md                   description of the files

Run:  python scripts/make_demo_city.py [--out DIR] [--seed N] [--no-verify]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import time
from collections import Counter, defaultdict
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import rasterio
import rasterio.features
import rasterio.mask
import shapely
from rasterio.transform import Affine
from shapely.geometry import LineString, MultiLineString, Point, Polygon, box
from shapely.ops import nearest_points, polygonize, unary_union

# --------------------------------------------------------------------------
# Fixed parameters
# --------------------------------------------------------------------------
SEED = 20241118
EPSG = 4547
X0, Y0 = 498000.0, 2492000.0  # south-west corner of the district
SIZE = 2200.0  # district is SIZE x SIZE metres
MARGIN = 200.0  # DEM margin around the district
PIX = 5.0  # DEM pixel size
NODATA = -9999.0
CROSSING = (1000.0, 1181.3)  # local coordinates of the main arterial crossing

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "resources" / "demo"

CLASS_RANK = {"primary": 0, "secondary": 1, "tertiary": 2, "residential": 3, "service": 4}
LAMP_SPACING = {
    "primary": 34.0,
    "secondary": 34.0,
    "tertiary": 32.0,
    "residential": 30.0,
    "service": 38.0,
}
# building clearance from a road centreline = width_m / 2 + SETBACK[class]
SETBACK = {"primary": 12.0, "secondary": 8.0, "tertiary": 6.0, "residential": 4.0, "service": 2.5}
LAMP_HEIGHT = {
    "primary": 12.0,
    "secondary": 10.0,
    "tertiary": 9.0,
    "residential": 8.0,
    "service": 6.0,
}

SEM_SURFACES = [{"type": "RoofSurface"}, {"type": "WallSurface"}, {"type": "GroundSurface"}]
ROOF, WALL, GROUND = 0, 1, 2

CN_DIGITS = "一二三四五六七八九"


def cn_num(n: int) -> str:
    """1..99 as Chinese numerals (一, 十二, 二十三...)."""
    if n < 10:
        return CN_DIGITS[n - 1]
    tens, ones = divmod(n, 10)
    head = "十" if tens == 1 else CN_DIGITS[tens - 1] + "十"
    return head + (CN_DIGITS[ones - 1] if ones else "")


def river_v(u):
    """Local y of the river centreline for local x ``u``."""
    return 170.0 + 50.0 * np.sin(2.0 * np.pi * np.asarray(u) / 1500.0 + 1.0)


def arterial_v(u):
    """Local y of the curved east-west arterial (深南大道)."""
    return 1180.0 + 55.0 * np.sin(2.0 * np.pi * np.asarray(u) / 2400.0 + 0.5)


# --------------------------------------------------------------------------
# Terrain
# --------------------------------------------------------------------------
LOCAL_TRANSFORM = Affine(PIX, 0.0, -MARGIN, 0.0, -PIX, SIZE + MARGIN)
WORLD_TRANSFORM = Affine(PIX, 0.0, X0 - MARGIN, 0.0, -PIX, Y0 + SIZE + MARGIN)
NPIX = round((SIZE + 2 * MARGIN) / PIX)
QUARRY = (2050.0, 1880.0)  # local position of the flooded quarry (nodata hole)


def make_terrain(rng: np.random.Generator) -> np.ndarray:
    u = -MARGIN + PIX * (np.arange(NPIX) + 0.5)
    v = SIZE + MARGIN - PIX * (np.arange(NPIX) + 0.5)
    uu, vv = np.meshgrid(u, v)
    z = 14.0 + 0.006 * vv - 0.0015 * uu
    # 莲花山-like hill in the north-east (park) with a secondary knoll
    z += 70.0 * np.exp(-((uu - 1930.0) ** 2 + (vv - 1960.0) ** 2) / (2 * 230.0**2))
    z += 20.0 * np.exp(-((uu - 1700.0) ** 2 + (vv - 2180.0) ** 2) / (2 * 140.0**2))
    # smaller hill on the west edge
    z += 48.0 * np.exp(-((uu + 40.0) ** 2 + (vv - 1560.0) ** 2) / (2 * 200.0**2))
    # river valley (narrow channel + broad valley)
    d = vv - river_v(uu)
    z += -7.0 * np.exp(-((d / 50.0) ** 2)) - 3.5 * np.exp(-((d / 200.0) ** 2))
    # gentle fractal undulation
    white = rng.standard_normal((NPIX, NPIX))
    f = np.fft.fftfreq(NPIX, d=PIX)
    fx, fy = np.meshgrid(f, f)
    fr = np.hypot(fx, fy)
    fr[0, 0] = 1.0
    spec = np.fft.fft2(white) / fr**1.9
    spec[0, 0] = 0.0
    noise = np.real(np.fft.ifft2(spec))
    noise = noise / noise.std() * 1.3
    z += noise
    dem = z.astype(np.float32)
    # flooded quarry on the hill flank: a few pixels without data
    col = int((QUARRY[0] + MARGIN) / PIX)
    row = int((SIZE + MARGIN - QUARRY[1]) / PIX)
    dem[row : row + 4, col : col + 6] = NODATA
    return dem


def sample_dem(dem: np.ndarray, u, v) -> np.ndarray:
    """Bilinear DEM sample at local coordinates (NaN where nodata is involved)."""
    u = np.atleast_1d(np.asarray(u, dtype=float))
    v = np.atleast_1d(np.asarray(v, dtype=float))
    c = (u + MARGIN) / PIX - 0.5
    r = (SIZE + MARGIN - v) / PIX - 0.5
    c0 = np.clip(np.floor(c).astype(int), 0, NPIX - 2)
    r0 = np.clip(np.floor(r).astype(int), 0, NPIX - 2)
    fc = np.clip(c - c0, 0.0, 1.0)
    fr = np.clip(r - r0, 0.0, 1.0)
    a = dem[r0, c0].astype(float)
    b = dem[r0, c0 + 1].astype(float)
    cc = dem[r0 + 1, c0].astype(float)
    d = dem[r0 + 1, c0 + 1].astype(float)
    out = (a * (1 - fc) + b * fc) * (1 - fr) + (cc * (1 - fc) + d * fc) * fr
    bad = (a == NODATA) | (b == NODATA) | (cc == NODATA) | (d == NODATA)
    out[bad] = np.nan
    return out


def dem_min_under(dem: np.ndarray, geom) -> float:
    """Minimum DEM value over all pixels touched by ``geom`` (local coords)."""
    minx, miny, maxx, maxy = geom.bounds
    c0 = max(math.floor((minx + MARGIN) / PIX) - 1, 0)
    c1 = min(math.floor((maxx + MARGIN) / PIX) + 2, NPIX)
    r0 = max(math.floor((SIZE + MARGIN - maxy) / PIX) - 1, 0)
    r1 = min(math.floor((SIZE + MARGIN - miny) / PIX) + 2, NPIX)
    win = dem[r0:r1, c0:c1]
    tr = LOCAL_TRANSFORM * Affine.translation(c0, r0)
    inside = rasterio.features.geometry_mask([geom], win.shape, tr, all_touched=True, invert=True)
    vals = win[inside]
    if vals.size == 0 or np.any(vals == NODATA):
        return float("nan")
    return float(vals.min())


# --------------------------------------------------------------------------
# Road network
# --------------------------------------------------------------------------
_STEMS = (
    "桂园松坪大冲茶光朗山清华兰亭梧桐荔园榕树"
    "塘朗龙井石洲南光海天麒麟登良南新桃园玉泉"
    "华侨留仙白芒牛城丽山平山官龙珠光同富雅园"
    "翠竹怡海蔚蓝鼎太青春前进创新德兴宝安莲花"
)
RES_STEMS = [_STEMS[i : i + 2] for i in range(0, len(_STEMS), 2)]  # two-character stems
VILLAGE_NAMES = ["新围村", "大冲村", "白石洲", "塘头村", "南园村", "沙河村", "上沙村", "下沙村"]

PARK1 = box(1640.0, 1740.0, SIZE, SIZE)  # hill park (莲花山-like), NE
PARK2 = Point(-40.0, 1560.0).buffer(280.0, quad_segs=32).intersection(box(0, 0, SIZE, SIZE))
PARKS = [PARK1, PARK2]
DISTRICT = box(0.0, 0.0, SIZE, SIZE)

ZONE_ANCHORS = [
    ((1485.0, 400.0), "industrial"),
    ((1785.0, 400.0), "industrial"),
    ((2070.0, 400.0), "industrial"),
    ((530.0, 710.0), "village"),
    ((190.0, 1020.0), "village"),
    ((850.0, 1875.0), "village"),
    ((530.0, 2105.0), "village"),
    ((530.0, 1875.0), "village"),
    ((850.0, 2105.0), "village"),
    ((190.0, 700.0), "village"),
    ((530.0, 400.0), "village"),
    ((190.0, 400.0), "village"),
    ((1485.0, 1320.0), "village"),
    ((850.0, 710.0), "education"),
    ((1485.0, 1600.0), "education"),
    ((1785.0, 1020.0), "public"),
    ((1165.0, 2105.0), "public"),
    ((1485.0, 1875.0), "villa"),
    ((1485.0, 2105.0), "villa"),
    ((190.0, 2105.0), "villa"),
    ((300.0, 1600.0), "villa"),
    ((2070.0, 1600.0), "villa"),
]


def make_road(name, cls, width, lanes, speed, geom):
    return {
        "name": name,
        "class": cls,
        "width_m": float(width),
        "lanes": int(lanes),
        "speed_kmh": int(speed),
        "geom": geom,
    }


RIVER_U = np.arange(-50.0, SIZE + 51.0, 10.0)
RIVER = LineString(np.c_[RIVER_U, river_v(RIVER_U)])
RIVER_BELT = RIVER.buffer(42.0)


def clip_by_parks(geom, min_len=40.0, river=False):
    """Remove parts of a line inside parks (and the river belt); return LineStrings."""
    for p in PARKS:
        geom = geom.difference(p.buffer(-1.0))
    if river:
        geom = geom.difference(RIVER_BELT)
    if isinstance(geom, MultiLineString):
        geom = shapely.line_merge(geom)
    parts = list(geom.geoms) if hasattr(geom, "geoms") else [geom]
    return [g for g in parts if isinstance(g, LineString) and g.length >= min_len]


def major_roads() -> list[dict]:
    uu = np.arange(0.0, SIZE + 0.1, 10.0)
    spec = [
        ("深南大道", "primary", 50, 8, 70, np.c_[uu, arterial_v(uu)]),
        ("沙河西路", "primary", 40, 6, 60, [(1000, 0), (1000, SIZE)]),
        ("白石路", "secondary", 30, 6, 50, [(0, 560), (SIZE, 560)]),
        ("高新南一道", "secondary", 28, 4, 50, [(0, 1740), (SIZE, 1740)]),
        ("科苑路", "secondary", 30, 4, 50, [(380, 0), (380, SIZE)]),
        ("科技路", "secondary", 30, 6, 50, [(1640, 0), (1640, SIZE)]),
        ("滨河路", "tertiary", 20, 4, 40, np.c_[uu, river_v(uu) + 75.0]),
        ("学府路", "tertiary", 18, 4, 40, [(0, 860), (SIZE, 860)]),
        ("海德三道", "tertiary", 18, 2, 40, [(0, 1460), (SIZE, 1460)]),
        ("文心五路", "tertiary", 16, 2, 40, [(0, 2010), (1640, 2010)]),
        ("创业路", "tertiary", 18, 4, 40, [(690, 0), (690, SIZE)]),
        ("高新中二道", "tertiary", 18, 2, 40, [(1330, 0), (1330, SIZE)]),
        ("铜鼓路", "tertiary", 18, 4, 40, [(1900, 0), (1950, 1740)]),
    ]
    roads = []
    for name, cls, w, lanes, speed, coords in spec:
        for part in clip_by_parks(LineString(coords), 60.0):
            roads.append(make_road(name, cls, w, lanes, speed, part))
    return roads


def zone_of_point(x: float, y: float, cell_poly) -> str:
    for (ax, ay), zone in ZONE_ANCHORS:
        if cell_poly.contains(Point(ax, ay)):
            return zone
    if y < 300.0:  # strip along the river
        return "industrial" if x > 1000.0 else "village"
    if math.hypot(x - CROSSING[0], y - CROSSING[1]) < 420.0:
        return "downtown"
    return "estate"


def parallel_lines(cell, axis: str, positions) -> list[LineString]:
    minx, miny, maxx, maxy = cell.bounds
    out = []
    for p in positions:
        if axis == "x":  # line of constant x (north-south)
            ln = LineString([(p, miny - 5), (p, maxy + 5)])
        else:
            ln = LineString([(minx - 5, p), (maxx + 5, p)])
        g = ln.intersection(cell)
        parts = list(g.geoms) if hasattr(g, "geoms") else [g]
        out.extend(x for x in parts if isinstance(x, LineString) and x.length > 30)
    return out


def minor_roads(cells, zones, rng: np.random.Generator) -> list[dict]:
    roads = []
    stems = list(RES_STEMS)
    rng.shuffle(stems)
    stem_i = 0
    village_i = 0

    def next_res_name():
        nonlocal stem_i
        stem = stems[stem_i % len(stems)]
        extra = stem_i // len(stems)
        stem_i += 1
        suffix = "路" if rng.random() < 0.55 else "街"
        return stem + (cn_num(extra + 1) if extra else "") + suffix

    for cell, zone in zip(cells, zones, strict=True):
        if zone == "park":
            continue
        minx, miny, maxx, maxy = cell.bounds
        w, h = maxx - minx, maxy - miny
        if zone == "village":
            vname = VILLAGE_NAMES[village_i % len(VILLAGE_NAMES)]
            village_i += 1
            k = 1
            ys = np.arange(miny + 46.0, maxy - 30.0, 39.0) + rng.uniform(-2, 2)
            xs = np.arange(minx + 64.0, maxx - 40.0, 66.0) + rng.uniform(-3, 3)
            for ln in parallel_lines(cell, "y", ys) + parallel_lines(cell, "x", xs):
                for part in clip_by_parks(ln, river=True):
                    roads.append(
                        make_road(f"{vname}{cn_num(min(k, 99))}巷", "service", 4, 1, 15, part)
                    )
                    k += 1
            continue
        if zone not in ("estate", "downtown", "villa"):
            continue
        spacing = 115.0 if zone == "villa" else 150.0
        axis_len = max(w, h)
        n = round(axis_len / spacing)
        if n < 2:
            continue
        pos = np.linspace(0, axis_len, n + 1)[1:-1] + rng.uniform(-10, 10, n - 1)
        width = 14 if zone == "downtown" else (9 if zone == "villa" else 12)
        if w >= h:
            lines = parallel_lines(cell, "x", minx + pos)
        else:
            lines = parallel_lines(cell, "y", miny + pos)
        for ln in lines:
            for part in clip_by_parks(ln, river=True):
                roads.append(make_road(next_res_name(), "residential", width, 2, 30, part))
    return roads


def clearance(road) -> float:
    return road["width_m"] / 2.0 + SETBACK[road["class"]]


def buildable_blocks(roads, extra_margin=0.5):
    """District minus road setbacks, parks and the river corridor."""
    river = RIVER
    obstacles = [r["geom"].buffer(clearance(r) + extra_margin, quad_segs=4) for r in roads]
    obstacles += [p.buffer(8.0) for p in PARKS]
    obstacles.append(RIVER_BELT)
    area = DISTRICT.buffer(-8.0, join_style="mitre").difference(unary_union(obstacles))
    area = area.buffer(-2.0, join_style="mitre").buffer(2.0, join_style="mitre")
    polys = list(area.geoms) if hasattr(area, "geoms") else [area]
    # drop slivers too narrow for a building (no point 9 m inside the edge)
    return [p for p in polys if p.area > 600.0 and not p.buffer(-9.0).is_empty], river


def dead_end_lanes(blocks, block_zones, roads, rng: np.random.Generator) -> list[dict]:
    lanes = []
    through = [r for r in roads if r["class"] != "service"]
    lane_count = defaultdict(int)
    for blk, zone in zip(blocks, block_zones, strict=True):
        if zone not in ("estate", "industrial", "education", "public", "villa", "downtown"):
            continue
        if blk.area < 12000.0:
            continue
        n = 2 if blk.area > 32000.0 else 1
        mrr = blk.minimum_rotated_rectangle
        cs = np.asarray(mrr.exterior.coords)[:4]
        e1, e2 = cs[1] - cs[0], cs[2] - cs[1]
        if np.linalg.norm(e1) >= np.linalg.norm(e2):
            a_vec, b_vec = e1, e2
        else:
            a_vec, b_vec = e2, e1
        la, lb = np.linalg.norm(a_vec), np.linalg.norm(b_vec)
        if lb < 70.0:
            continue
        a_u, b_u = a_vec / la, b_vec / lb
        c = np.asarray(mrr.centroid.coords[0])
        ts = (
            [rng.uniform(-0.15, 0.15)]
            if n == 1
            else [rng.uniform(-0.32, -0.2), rng.uniform(0.2, 0.32)]
        )
        for t in ts:
            base = c + a_u * t * la
            side = 1.0 if rng.random() < 0.5 else -1.0
            for s in (side, -side):
                inner = base - s * b_u * lb * 0.08
                outer = base + s * b_u * (lb / 2 + 70.0)
                probe = LineString([inner, outer])
                best = None
                for r in through:
                    hit = probe.intersection(r["geom"])
                    if hit.is_empty:
                        continue
                    pts = (
                        [hit]
                        if isinstance(hit, Point)
                        else [g for g in getattr(hit, "geoms", []) if isinstance(g, Point)]
                    )
                    for p in pts:
                        dd = p.distance(Point(inner))
                        if best is None or dd < best[0]:
                            best = (dd, p, r)
                if best is None:
                    continue
                _, p, r = best
                lane = LineString([p.coords[0], tuple(inner)])
                if lane.length < 40.0:
                    continue
                lane_count[r["name"]] += 1
                k = lane_count[r["name"]]
                w = 5 if zone == "villa" else 6
                lanes.append(
                    make_road(f"{r['name']}{cn_num(min(k, 99))}巷", "service", w, 2, 20, lane)
                )
                break
    return lanes


# --------------------------------------------------------------------------
# Building footprints
# --------------------------------------------------------------------------
def rect_ring(cx, cy, w, d):
    x0, x1, y0, y1 = cx - w / 2, cx + w / 2, cy - d / 2, cy + d / 2
    r = np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
    if d > w:  # make p0->p1 the long edge (needed for ridges)
        r = np.roll(r, -1, axis=0)
    return r


def l_ring(cx, cy, w, d, rng):
    x0, x1, y0, y1 = cx - w / 2, cx + w / 2, cy - d / 2, cy + d / 2
    p = np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
    k = int(rng.integers(4))
    prev, cur, nxt = p[k - 1], p[k], p[(k + 1) % 4]
    a = cur + (prev - cur) * rng.uniform(0.38, 0.56)
    c = cur + (nxt - cur) * rng.uniform(0.38, 0.56)
    m = a + (c - cur)
    ring = []
    for i in range(4):
        if i == k:
            ring += [a, m, c]
        else:
            ring.append(p[i])
    return np.array(ring)


def court_rings(cx, cy, w, d, t):
    x0, x1, y0, y1 = cx - w / 2, cx + w / 2, cy - d / 2, cy + d / 2
    outer = np.array([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
    hole = np.array([(x0 + t, y0 + t), (x0 + t, y1 - t), (x1 - t, y1 - t), (x1 - t, y0 + t)])
    return [outer, hole]


def part(rings, roof, height, storeys, function, *, rise=0.0, role=None):
    """A building (part) record; heights are relative to the base."""
    return {
        "rings": rings,
        "roof": roof,
        "height": float(height),
        "rise": float(rise),
        "storeys": int(max(storeys, 1)),
        "function": function,
        "role": role,
    }


def pitched_roof(rng, rings, rect, H, pitch_deg, probs):
    """Pick a roof type for a single-part building and return (roof, rise)."""
    roof = rng.choice(["flat", "gabled", "hipped", "shed"], p=probs)
    if roof in ("gabled", "hipped") and not rect:
        roof = "flat"
    if roof == "shed" and len(rings) > 1:
        roof = "flat"
    if roof == "flat":
        return "flat", 0.0
    r0 = rings[0]
    if roof == "shed":
        span = shed_span(r0)
        return "shed", span * math.tan(math.radians(pitch_deg * 0.45))
    short = np.linalg.norm(r0[2] - r0[1])
    if roof == "hipped" and np.linalg.norm(r0[1] - r0[0]) < 1.25 * short:
        roof = "gabled"
    return str(roof), (short / 2.0) * math.tan(math.radians(pitch_deg))


def shed_span(ring):
    """Extent of a footprint along its 'short' axis (p1->p2 of the first edges)."""
    e = ring[2] - ring[1]
    n = e / np.linalg.norm(e)
    proj = (ring - ring[0]) @ n
    return float(proj.max() - proj.min())


def mk_downtown(cx, cy, W, D, rng, ctx, scale):
    d = ctx["dcross"]
    kind = (
        "tower"
        if scale < 1
        else rng.choice(["composite", "tower", "court", "L"], p=[0.5, 0.24, 0.16, 0.10])
    )
    fn = "office" if rng.random() < 0.65 else "commercial"
    H = 60 + 90 * math.exp(-d / 450.0) * rng.uniform(0.6, 1.0) + rng.normal(0, 6)
    if d < 260:
        H += rng.uniform(5, 30)  # landmark towers right at the crossing
    H = float(np.clip(H, 60, 150))
    st_tower = int(np.clip(round((H - 4.0) / 4.0), 14, 36))
    H = st_tower * 4.0 + 4.0
    if kind == "composite":
        pw, pd = W * rng.uniform(0.8, 0.9), D * rng.uniform(0.8, 0.9)
        tw, td = min(rng.uniform(24, 34), pw - 12), min(rng.uniform(24, 32), pd - 12)
        ox = rng.uniform(-(pw - tw) / 2 + 6, (pw - tw) / 2 - 6)
        oy = rng.uniform(-(pd - td) / 2 + 6, (pd - td) / 2 - 6)
        tower = rect_ring(cx + ox, cy + oy, tw, td)
        podium = [rect_ring(cx, cy, pw, pd), tower[::-1].copy()]
        n_pod = int(rng.integers(3, 6))
        return [
            part(podium, "flat", n_pod * 4.5 + 1.0, n_pod, "commercial", role="podium"),
            part([tower], "flat", H, st_tower, fn, role="tower"),
        ]
    if kind == "tower":
        w, dd = rng.uniform(28, 42) * scale, rng.uniform(26, 40) * scale
        return [part([rect_ring(cx, cy, w, dd)], "flat", H, st_tower, fn)]
    Hm = rng.uniform(24, 45)
    st = int(Hm // 4.0)
    w, dd = W * rng.uniform(0.75, 0.88), D * rng.uniform(0.75, 0.88)
    if kind == "court":
        return [
            part(court_rings(cx, cy, w, dd, rng.uniform(12, 15)), "flat", st * 4.0 + 2.0, st, fn)
        ]
    return [part([l_ring(cx, cy, w, dd, rng)], "flat", st * 4.0 + 2.0, st, fn)]


def mk_commercial(cx, cy, W, D, rng, ctx, scale):
    kind = (
        "rect"
        if scale < 1
        else rng.choice(["rect", "L", "court", "composite"], p=[0.42, 0.18, 0.18, 0.22])
    )
    fn = "commercial" if rng.random() < 0.5 else "office"
    if kind == "composite":
        pw, pd = W * rng.uniform(0.82, 0.9), D * rng.uniform(0.82, 0.9)
        tw, td = min(rng.uniform(20, 26), pw - 12), min(rng.uniform(20, 26), pd - 12)
        if tw < 16 or td < 16:
            kind = "rect"
        else:
            ox = rng.uniform(-(pw - tw) / 2 + 6, (pw - tw) / 2 - 6)
            oy = rng.uniform(-(pd - td) / 2 + 6, (pd - td) / 2 - 6)
            tower = rect_ring(cx + ox, cy + oy, tw, td)
            n_pod = int(rng.integers(2, 5))
            st = int(rng.integers(12, 20))
            return [
                part(
                    [rect_ring(cx, cy, pw, pd), tower[::-1].copy()],
                    "flat",
                    n_pod * 4.5 + 1.0,
                    n_pod,
                    "commercial",
                    role="podium",
                ),
                part([tower], "flat", st * 3.6 + 3.0, st, fn, role="tower"),
            ]
    st = int(rng.integers(5, 12))
    H = st * 3.6 + 1.5
    w, dd = W * rng.uniform(0.62, 0.84) * scale, D * rng.uniform(0.62, 0.84) * scale
    if kind == "court":
        w, dd = max(w, W * 0.8), max(dd, D * 0.8)
        return [part(court_rings(cx, cy, w, dd, rng.uniform(10, 11.5)), "flat", H, st, fn)]
    if kind == "L":
        return [part([l_ring(cx, cy, w, dd, rng)], "flat", H, st, fn)]
    return [part([rect_ring(cx, cy, w, dd)], "flat", H, st, fn)]


def mk_estate(cx, cy, W, D, rng, ctx, scale):
    style = ctx["style"]
    if style == "slab":
        w, dd = rng.uniform(0.76, 0.9) * W * scale, rng.uniform(12, 14.5) * scale
        st = max(round(ctx["storeys"] * rng.uniform(0.9, 1.1)), 5)
        rings = [rect_ring(cx, cy + rng.uniform(-1.5, 1.5), w, dd)]
        if scale == 1 and rng.random() < 0.15:
            rings = [l_ring(cx, cy, w, min(D * 0.8, 26.0), rng)]
    elif style == "point":
        w, dd = rng.uniform(19, 25) * scale, rng.uniform(18, 24) * scale
        st = max(round(ctx["storeys"] * rng.uniform(0.9, 1.1)), 8)
        rings = [rect_ring(cx, cy, w, dd)]
        if scale == 1 and rng.random() < 0.12:
            rings = [l_ring(cx, cy, w * 1.3, dd * 1.3, rng)]
    else:  # perimeter blocks
        w, dd = W * rng.uniform(0.82, 0.9) * scale, D * rng.uniform(0.82, 0.9) * scale
        st = max(round(ctx["storeys"] * rng.uniform(0.9, 1.1)), 5)
        r = rng.random()
        if scale == 1 and r < 0.6 and min(w, dd) >= 40:
            rings = court_rings(cx, cy, w, dd, rng.uniform(12, 14))
        elif scale == 1 and r < 0.8:
            rings = [l_ring(cx, cy, w, dd, rng)]
        else:
            rings = [rect_ring(cx, cy, w, dd * 0.45)]
    H = st * 3.0 + 1.2
    rect = len(rings) == 1 and len(rings[0]) == 4
    roof, rise = pitched_roof(rng, rings, rect, H, rng.uniform(22, 28), [0.8, 0.08, 0.12, 0.0])
    return [part(rings, roof, H + rise, st, "residential", rise=rise)]


def mk_village(cx, cy, W, D, rng, ctx, scale):
    if rng.random() < 0.04 and scale == 1:
        return None  # small courtyard / market square
    w, dd = rng.uniform(10.4, 12.1) * scale, rng.uniform(10.6, 12.3) * scale
    st = int(rng.integers(5, 10))
    H = st * 3.0 + 0.6
    rings = [rect_ring(cx + rng.uniform(-0.4, 0.4), cy + rng.uniform(-0.4, 0.4), w, dd)]
    roof, rise = pitched_roof(rng, rings, True, H, rng.uniform(25, 30), [0.92, 0.08, 0.0, 0.0])
    return [part(rings, roof, H + rise, st, "residential", rise=rise)]


def mk_villa(cx, cy, W, D, rng, ctx, scale):
    w, dd = rng.uniform(9.5, 13) * scale, rng.uniform(11, 15.5) * scale
    st = int(rng.integers(2, 4))
    H = st * 3.1 + 0.4
    if scale == 1 and rng.random() < 0.25:
        rings = [l_ring(cx, cy, w * 1.15, dd * 1.1, rng)]
        return [part(rings, "flat", H, st, "residential")]
    rings = [rect_ring(cx + rng.uniform(-1.5, 1.5), cy + rng.uniform(-2, 2), w, dd)]
    roof, rise = pitched_roof(rng, rings, True, H, rng.uniform(28, 36), [0.2, 0.42, 0.38, 0.0])
    return [part(rings, roof, H + rise, st, "residential", rise=rise)]


def mk_industrial(cx, cy, W, D, rng, ctx, scale):
    r = rng.random()
    if scale == 1 and r < 0.05:
        return None  # yard
    if r < 0.15:  # small office / canteen block
        w, dd = rng.uniform(18, 30) * scale, rng.uniform(12, 16) * scale
        st = int(rng.integers(3, 6))
        return [part([rect_ring(cx, cy, w, dd)], "flat", st * 3.8 + 1.0, st, "office")]
    w, dd = W * rng.uniform(0.6, 0.86) * scale, D * rng.uniform(0.55, 0.82) * scale
    eave = rng.uniform(7.5, 13.0)
    st = 1 if eave < 9.5 else 2
    if scale == 1 and r < 0.33:
        rings = [l_ring(cx, cy, w, dd, rng)]
        roof, rise = pitched_roof(rng, rings, False, eave, 10.0, [0.55, 0.0, 0.0, 0.45])
    else:
        rings = [rect_ring(cx, cy, w, dd)]
        roof, rise = pitched_roof(
            rng, rings, True, eave, rng.uniform(8, 12), [0.35, 0.35, 0.0, 0.30]
        )
    return [part(rings, roof, eave + rise, st, "industrial", rise=rise)]


def mk_education(cx, cy, W, D, rng, ctx, scale):
    r = rng.random()
    if scale == 1 and r < 0.12:
        return None  # sports ground
    st = int(rng.integers(3, 7))
    H = st * 3.8 + 1.0
    if scale == 1 and r < 0.35:
        rings = court_rings(
            cx, cy, W * rng.uniform(0.72, 0.84), D * rng.uniform(0.76, 0.86), rng.uniform(12, 14)
        )
        return [part(rings, "flat", H, st, "education")]
    if scale == 1 and r < 0.62:
        rings = [l_ring(cx, cy, W * rng.uniform(0.7, 0.85), D * rng.uniform(0.7, 0.85), rng)]
        return [part(rings, "flat", H, st, "education")]
    rings = [rect_ring(cx, cy, W * rng.uniform(0.7, 0.85) * scale, rng.uniform(14, 18) * scale)]
    roof, rise = pitched_roof(rng, rings, True, H, rng.uniform(20, 25), [0.6, 0.0, 0.4, 0.0])
    return [part(rings, roof, H + rise, st, "education", rise=rise)]


def mk_public(cx, cy, W, D, rng, ctx, scale):
    r = rng.random()
    st = int(rng.integers(4, 10))
    H = st * 4.2 + 1.5
    if scale == 1 and r < 0.45:
        rings = court_rings(
            cx, cy, W * rng.uniform(0.78, 0.88), D * rng.uniform(0.78, 0.88), rng.uniform(14, 17)
        )
        return [part(rings, "flat", H, st, "public")]
    if scale == 1 and r < 0.7:
        rings = [l_ring(cx, cy, W * rng.uniform(0.7, 0.85), D * rng.uniform(0.7, 0.85), rng)]
        return [part(rings, "flat", H, st, "public")]
    rings = [
        rect_ring(cx, cy, W * rng.uniform(0.6, 0.8) * scale, D * rng.uniform(0.35, 0.5) * scale)
    ]
    roof, rise = pitched_roof(rng, rings, True, H, rng.uniform(20, 25), [0.7, 0.0, 0.3, 0.0])
    return [part(rings, roof, H + rise, st, "public", rise=rise)]


ZONE_MAKERS = {
    "downtown": mk_downtown,
    "commercial": mk_commercial,
    "estate": mk_estate,
    "village": mk_village,
    "villa": mk_villa,
    "industrial": mk_industrial,
    "education": mk_education,
    "public": mk_public,
}
YEARS = {
    "downtown": (2005, 2022),
    "commercial": (1996, 2020),
    "estate": (1992, 2016),
    "village": (1986, 2008),
    "villa": (1998, 2016),
    "industrial": (1984, 2004),
    "education": (1985, 2015),
    "public": (1988, 2018),
}


def block_context(zone, blk, rng):
    c = blk.centroid
    dcross = math.hypot(c.x - CROSSING[0], c.y - CROSSING[1])
    ctx = {"dcross": dcross, "year": YEARS[zone]}
    if zone == "downtown":
        ctx["lot"] = (58.0, 54.0)
    elif zone == "commercial":
        ctx["lot"] = (48.0, 44.0)
    elif zone == "estate":
        style = rng.choice(["slab", "point", "perimeter"], p=[0.42, 0.28, 0.3])
        ctx["style"] = style
        if style == "slab":
            ctx["lot"] = (rng.uniform(50, 58), rng.uniform(26, 30))
            ctx["storeys"] = int(rng.integers(6, 12))
        elif style == "point":
            ctx["lot"] = (rng.uniform(32, 38), rng.uniform(32, 38))
            ctx["storeys"] = (
                int(rng.integers(20, 32)) if dcross < 800 else int(rng.integers(10, 15))
            )
        else:
            ctx["lot"] = (rng.uniform(62, 74), rng.uniform(56, 66))
            ctx["storeys"] = int(rng.integers(6, 9))
    elif zone == "village":
        ctx["lot"] = (13.6, 14.0)
    elif zone == "villa":
        ctx["lot"] = (21.0, 24.0)
    elif zone == "industrial":
        ctx["lot"] = (rng.uniform(56, 68), rng.uniform(46, 56))
    elif zone == "education":
        ctx["lot"] = (76.0, 56.0)
    else:
        ctx["lot"] = (84.0, 76.0)
    return ctx


def block_angle(blk) -> float:
    cs = np.asarray(blk.minimum_rotated_rectangle.exterior.coords)
    e = cs[1] - cs[0]
    ang = math.degrees(math.atan2(e[1], e[0]))
    return (ang + 45.0) % 90.0 - 45.0  # closest to east-west


def rotate_xy(arr, ang_deg, origin):
    a = math.radians(ang_deg)
    ca, sa = math.cos(a), math.sin(a)
    p = arr - origin
    return np.c_[p[:, 0] * ca - p[:, 1] * sa, p[:, 0] * sa + p[:, 1] * ca] + origin


GAP = {
    "downtown": 12.0,
    "commercial": 8.0,
    "estate": 9.0,
    "village": 1.8,
    "villa": 4.0,
    "industrial": 8.0,
    "education": 10.0,
    "public": 10.0,
}


def min_side(ring) -> float:
    e = np.diff(np.vstack([ring, ring[:1]]), axis=0)
    return float(np.hypot(e[:, 0], e[:, 1]).min())


def fill_block(blk, zone, rng):
    """Pack buildings into a block.

    Pass 1 tries a regular lot grid (aligned with the block's main axis); pass 2
    tries half-lot-shifted positions to fill what irregular edges and service
    lanes left over.  A building is kept if it lies inside the block and keeps
    the zone's minimum gap to the buildings already placed.
    """
    ctx = block_context(zone, blk, rng)
    maker = ZONE_MAKERS[zone]
    gap = GAP[zone]
    ang = block_angle(blk)
    origin = np.asarray(blk.centroid.coords[0])
    blk_r = shapely.affinity.rotate(blk, -ang, origin=tuple(origin))
    shapely.prepare(blk_r)
    minx, miny, maxx, maxy = blk_r.bounds
    W, D = ctx["lot"]
    W, D = min(W, maxx - minx), min(D, maxy - miny)
    nx, ny = max(int((maxx - minx) // W), 1), max(int((maxy - miny) // D), 1)
    ox = minx + ((maxx - minx) - nx * W) / 2
    oy = miny + ((maxy - miny) - ny * D) / 2
    ks = [(i, j) for i in range(-1, 2 * nx) for j in range(-1, 2 * ny)]
    ks.sort(key=lambda k: (k[0] % 2 or k[1] % 2, k[1], k[0]))  # regular grid first
    cands = []  # (position index, parts, outline)
    for n, (i, j) in enumerate(ks):
        cx, cy = ox + W / 2 + i * W / 2, oy + D / 2 + j * D / 2
        for scale in (1.0, 0.8, 0.62):
            parts = maker(cx, cy, W, D, rng, ctx, scale)
            if parts is None:
                break
            ring = parts[0]["rings"][0]
            if len(ring) == 4 and min_side(ring) < 6.5:
                continue
            cands.append((n, parts, Polygon(ring)))
    if not cands:
        return []
    inside = shapely.contains(blk_r, [c[2] for c in cands])
    y0, y1 = ctx["year"]
    block_year = int(rng.integers(y0, y1 + 1))
    placed, taken, out = [], set(), []
    for (n, parts, outline), ok in zip(cands, inside, strict=True):
        if not ok or n in taken or outline.area < 60.0:
            continue
        if placed and shapely.dwithin(outline, placed, gap).any():
            continue
        taken.add(n)
        placed.append(outline)
        for p in parts:
            p["rings"] = [rotate_xy(r, ang, origin) for r in p["rings"]]
        year = int(np.clip(block_year + rng.integers(-3, 4), y0, y1))
        out.append({"zone": zone, "parts": parts, "year": year})
    if zone in ANCILLARY and out:
        out += ancillary(blk_r, placed, ang, origin, zone, len(out), block_year, rng)
    return out


# small buildings (shops, kindergartens, clubhouses, utility and guard houses,
# sheds) put into the open space left in a block: (functions, probabilities)
ANCILLARY = {
    "estate": (["commercial", "education", "public", "residential"], [0.4, 0.2, 0.25, 0.15]),
    "downtown": (["commercial", "public"], [0.7, 0.3]),
    "commercial": (["commercial", "public"], [0.8, 0.2]),
    "industrial": (["industrial", "office"], [0.8, 0.2]),
    "education": (["education", "public"], [0.8, 0.2]),
    "public": (["public", "commercial"], [0.8, 0.2]),
    "villa": (["residential", "public"], [0.7, 0.3]),
}


def ancillary(blk_r, placed, ang, origin, zone, n_main, block_year, rng):
    fns, probs = ANCILLARY[zone]
    minx, miny, maxx, maxy = blk_r.bounds
    gx, gy = np.meshgrid(np.arange(minx + 8, maxx - 7, 9.0), np.arange(miny + 7, maxy - 6, 9.0))
    pts = np.c_[gx.ravel(), gy.ravel()]
    pts = pts[rng.permutation(len(pts))]
    limit = max(1, round(n_main * (0.6 if zone in ("estate", "industrial") else 0.4)))
    gap = 7.0 if zone != "villa" else 4.0
    out = []
    for cx, cy in pts:
        if len(out) >= limit:
            break
        w, d = rng.uniform(9, 18), rng.uniform(7, 12)
        if zone == "villa":
            w, d = rng.uniform(5, 8), rng.uniform(5, 7)  # garages, tea houses
        ring = rect_ring(cx, cy, w, d)
        poly = Polygon(ring)
        if not blk_r.contains(poly) or shapely.dwithin(poly, placed, gap).any():
            continue
        placed.append(poly)
        st = 1 if zone == "villa" else int(rng.choice([1, 2, 3], p=[0.45, 0.4, 0.15]))
        H = st * 3.6 + 0.6
        roof, rise = pitched_roof(rng, [ring], True, H, rng.uniform(20, 30), [0.7, 0.1, 0.2, 0.0])
        fn = str(rng.choice(fns, p=probs))
        parts = [part([rotate_xy(ring, ang, origin)], roof, H + rise, st, fn, rise=rise)]
        year = int(block_year + rng.integers(0, 8))
        out.append({"zone": zone, "parts": parts, "year": min(year, 2023), "ancillary": True})
    return out


# --------------------------------------------------------------------------
# CityJSON
# --------------------------------------------------------------------------
class VertexPool:
    def __init__(self):
        self.index: dict[tuple[int, int, int], int] = {}
        self.verts: list[tuple[int, int, int]] = []

    def add(self, x, y, z) -> int:
        key = (round(x * 1000.0), round(y * 1000.0), round(z * 1000.0))
        i = self.index.get(key)
        if i is None:
            i = len(self.verts)
            self.index[key] = i
            self.verts.append(key)
        return i

    def ring(self, xy, z) -> list[int]:
        zs = np.broadcast_to(np.asarray(z, dtype=float), (len(xy),))
        return [self.add(x, y, zz) for (x, y), zz in zip(xy, zs, strict=True)]


def solid(surfaces, values, lod):
    return {
        "type": "Solid",
        "lod": lod,
        "boundaries": [surfaces],
        "semantics": {"surfaces": SEM_SURFACES, "values": [values]},
    }


def prism(pool, rings, zb, ztops):
    """Extrude rings (outer CCW, holes CW) from zb to ztops (scalar or per-ring arrays)."""
    bot = [pool.ring(r, zb) for r in rings]
    if np.isscalar(ztops):
        ztops = [ztops] * len(rings)
    top = [pool.ring(r, zt) for r, zt in zip(rings, ztops, strict=True)]
    surfaces = [[b[::-1] for b in bot], [t for t in top]]
    values = [GROUND, ROOF]
    for b, t in zip(bot, top, strict=True):
        n = len(b)
        for i in range(n):
            j = (i + 1) % n
            surfaces.append([[b[i], b[j], t[j], t[i]]])
            values.append(WALL)
    return surfaces, values


def gabled(pool, r, zb, ze, zr):
    p = r
    b = pool.ring(p, zb)
    e = pool.ring(p, ze)
    m03 = (p[3] + p[0]) / 2
    m12 = (p[1] + p[2]) / 2
    r03 = pool.add(m03[0], m03[1], zr)
    r12 = pool.add(m12[0], m12[1], zr)
    surfaces = [
        [[b[0], b[3], b[2], b[1]]],
        [[b[0], b[1], e[1], e[0]]],
        [[b[1], b[2], e[2], r12, e[1]]],
        [[b[2], b[3], e[3], e[2]]],
        [[b[3], b[0], e[0], r03, e[3]]],
        [[e[0], e[1], r12, r03]],
        [[e[2], e[3], r03, r12]],
    ]
    return surfaces, [GROUND, WALL, WALL, WALL, WALL, ROOF, ROOF]


def hipped(pool, r, zb, ze, zr):
    p = r
    b = pool.ring(p, zb)
    e = pool.ring(p, ze)
    a = p[1] - p[0]
    a_u = a / np.linalg.norm(a)
    short = np.linalg.norm(p[2] - p[1])
    q1 = (p[3] + p[0]) / 2 + a_u * short / 2
    q2 = (p[1] + p[2]) / 2 - a_u * short / 2
    r1 = pool.add(q1[0], q1[1], zr)
    r2 = pool.add(q2[0], q2[1], zr)
    surfaces = [[[b[0], b[3], b[2], b[1]]]]
    values = [GROUND]
    for i in range(4):
        j = (i + 1) % 4
        surfaces.append([[b[i], b[j], e[j], e[i]]])
        values.append(WALL)
    surfaces += [
        [[e[0], e[1], r2, r1]],
        [[e[1], e[2], r2]],
        [[e[2], e[3], r1, r2]],
        [[e[3], e[0], r1]],
    ]
    values += [ROOF] * 4
    return surfaces, values


def shed_tops(rings, zlow, rise):
    r0 = rings[0]
    e = r0[2] - r0[1]
    n = e / np.linalg.norm(e)
    proj0 = (r0 - r0[0]) @ n
    lo, span = proj0.min(), proj0.max() - proj0.min()
    return [zlow + ((r - r0[0]) @ n - lo) / span * rise for r in rings]


def part_geometries(pool, p, zb):
    """LoD1 and LoD2.2 solids for one building part at base height zb."""
    rings, H, rise, roof = p["rings"], p["height"], p["rise"], p["roof"]
    s1, v1 = prism(pool, rings, zb, zb + H)
    if roof == "flat":
        s2, v2 = s1, v1
    elif roof == "gabled":
        s2, v2 = gabled(pool, rings[0], zb, zb + H - rise, zb + H)
    elif roof == "hipped":
        s2, v2 = hipped(pool, rings[0], zb, zb + H - rise, zb + H)
    else:
        s2, v2 = prism(pool, rings, zb, shed_tops(rings, zb + H - rise, rise))
    return [solid(s1, v1, "1"), solid(s2, v2, "2.2")]


def nudge_off_pixel_edges(parts):
    """Keep vertices off exact DEM pixel edges so 'touched pixels' is unambiguous."""
    allxy = np.vstack([r for p in parts for r in p["rings"]])
    q = np.round(allxy * 1000.0).astype(np.int64)
    for axis in (0, 1):
        if np.any(q[:, axis] % 5000 == 0):
            for p in parts:
                for r in p["rings"]:
                    r[:, axis] += 0.002


def quantize_parts(parts):
    for p in parts:
        p["rings"] = [np.round(r, 3) for r in p["rings"]]


# --------------------------------------------------------------------------
# Generation pipeline
# --------------------------------------------------------------------------
def generate_network(rng):
    majors = major_roads()
    ring = DISTRICT.exterior
    noded = unary_union([r["geom"] for r in majors] + [ring])
    cells = [c for c in polygonize(noded) if c.area > 2000.0]
    cells.sort(key=lambda c: (round(c.centroid.y), round(c.centroid.x)))
    zones = []
    for c in cells:
        rp = c.representative_point()
        if c.difference(unary_union(PARKS)).area < 0.2 * c.area:
            zones.append("park")
        else:
            zones.append(zone_of_point(rp.x, rp.y, c))
    minors = minor_roads(cells, zones, rng)
    roads = majors + minors
    blocks, _ = buildable_blocks(roads)
    block_zones = [zone_for_block(b, cells, zones, roads) for b in blocks]
    lanes = dead_end_lanes(blocks, block_zones, roads, rng)
    roads = roads + lanes
    blocks, river = buildable_blocks(roads)
    block_zones = [zone_for_block(b, cells, zones, roads) for b in blocks]
    return roads, blocks, block_zones, river


def zone_for_block(blk, cells, zones, roads):
    rp = blk.representative_point()
    zone = "estate"
    for c, z in zip(cells, zones, strict=True):
        if c.contains(rp):
            zone = z
            break
    if zone == "estate":
        for r in roads:
            if r["class"] == "primary" and blk.distance(r["geom"]) < r["width_m"] + 12.0:
                return "commercial"
    return zone


def generate_buildings(blocks, block_zones, dem, rng):
    buildings = []
    order = sorted(
        range(len(blocks)),
        key=lambda i: (-round(blocks[i].centroid.y), round(blocks[i].centroid.x)),
    )
    for i in order:
        zone = block_zones[i]
        if zone == "park":
            continue
        buildings.extend(fill_block(blocks[i], zone, rng))
    for b in buildings:
        quantize_parts(b["parts"])
        nudge_off_pixel_edges(b["parts"])
        quantize_parts(b["parts"])
        outline = (
            Polygon(b["parts"][0]["rings"][0])
            if len(b["parts"]) > 1
            else Polygon(b["parts"][0]["rings"][0], b["parts"][0]["rings"][1:])
        )
        b["footprint"] = outline
        b["base"] = dem_min_under(dem, outline)
    return [b for b in buildings if not math.isnan(b["base"])]


def insert_junction_vertices(roads):
    """Add a vertex to every road wherever another road touches or crosses it."""
    lines = [r["geom"] for r in roads]
    tree = shapely.STRtree(lines)
    li, lj = tree.query(lines, predicate="dwithin", distance=0.05)
    extra = defaultdict(list)
    junctions = []
    for i, j in zip(li, lj, strict=True):
        if i >= j:
            continue
        inter = lines[i].intersection(lines[j])
        pts = []
        if not inter.is_empty:
            geoms = getattr(inter, "geoms", [inter])
            pts = [g for g in geoms if isinstance(g, Point)]
        if not pts:
            pts = [nearest_points(lines[i], lines[j])[0]]
        for p in pts:
            extra[i].append(p)
            extra[j].append(p)
            junctions.append((p.x, p.y, int(i), int(j)))
    for i, pts in extra.items():
        ln = lines[i]
        coords = [(ln.project(Point(c)), c) for c in ln.coords]
        coords += [(ln.project(p), (p.x, p.y)) for p in pts]
        coords.sort(key=lambda t: t[0])
        clean = []
        for d, c in coords:
            if clean and (abs(d - clean[-1][0]) < 0.01):
                continue
            clean.append((d, c))
        roads[i]["geom"] = LineString([c for _, c in clean])
    # cluster junction points within 3 m
    clusters = []
    for x, y, i, j in junctions:
        for cl in clusters:
            if math.hypot(cl["x"] - x, cl["y"] - y) < 3.0:
                cl["roads"].update((i, j))
                break
        else:
            clusters.append({"x": x, "y": y, "roads": {i, j}})
    for cl in clusters:
        cl["roads"] = sorted(cl["roads"])
    return clusters


def offset_points(line, s, side, off):
    """Points at distance s along line, offset sideways (side=+1 left, -1 right)."""
    p = shapely.get_coordinates(shapely.line_interpolate_point(line, s))
    pa = shapely.get_coordinates(
        shapely.line_interpolate_point(line, np.clip(s - 1.0, 0, line.length))
    )
    pb = shapely.get_coordinates(
        shapely.line_interpolate_point(line, np.clip(s + 1.0, 0, line.length))
    )
    t = pb - pa
    t = t / np.linalg.norm(t, axis=1)[:, None]
    n = np.c_[-t[:, 1], t[:, 0]]
    return p + n * (side * off)[:, None]


def clear_of(carriage, base, d, dist):
    """First point base + d * (dist + k * 2 m) that is off every carriageway."""
    for k in range(8):
        p = base + d * (dist + 2.0 * k)
        if not carriage.contains(Point(p)):
            return p
    return None


def make_poles(roads, junctions, carriage, buildings_union, dem, rng):
    poles = []
    jxy = np.array([(j["x"], j["y"]) for j in junctions])
    jrad = np.array([max(roads[i]["width_m"] for i in j["roads"]) / 2 + 5.0 for j in junctions])
    for ri, r in enumerate(roads):
        ln, cls = r["geom"], r["class"]
        sp = LAMP_SPACING[cls]
        s = np.arange(rng.uniform(4.0, sp * 0.6), ln.length - 3.0, sp)
        if len(s) == 0:
            continue
        side = np.where(np.arange(len(s)) % 2 == 0, 1.0, -1.0)
        off = r["width_m"] / 2 + (1.5 if cls == "primary" else 0.8)
        pts = offset_points(ln, s, side, np.full(len(s), off))
        dj = np.min(
            np.hypot(pts[:, None, 0] - jxy[None, :, 0], pts[:, None, 1] - jxy[None, :, 1])
            - jrad[None, :],
            axis=1,
        )
        keep = (dj > 0) & ~shapely.contains_xy(carriage, pts[:, 0], pts[:, 1])
        year0 = int(rng.integers(2004, 2020))
        owner = "深圳市城市照明管理中心" if cls != "service" else "街道办事处"
        for x, y in pts[keep]:
            poles.append(
                {
                    "kind": "street_lamp",
                    "x": x,
                    "y": y,
                    "height_m": LAMP_HEIGHT[cls],
                    "install_year": int(np.clip(year0 + rng.integers(-1, 3), 2004, 2023)),
                    "owner": owner,
                    "road_name": r["name"],
                    "road": ri,
                }
            )
    # traffic signals and cameras at junctions
    for j in junctions:
        ranks = sorted((CLASS_RANK[roads[i]["class"]], i) for i in j["roads"])
        if len(ranks) < 2:
            continue
        r0, r1 = ranks[0][0], ranks[1][0]
        signal = r0 <= 1 and r1 <= 2
        camera = r1 <= 2
        if not camera:
            continue
        jp = np.array([j["x"], j["y"]])
        approaches = []
        for rank, i in ranks:
            if rank > 2:
                continue
            ln = roads[i]["geom"]
            s0 = ln.project(Point(jp))
            w_other = max(roads[k]["width_m"] for k in j["roads"] if k != i)
            for ds in (-1.0, 1.0):
                s1 = s0 + ds * 4.0
                if s1 < 0 or s1 > ln.length:
                    continue
                q = np.asarray(ln.interpolate(s1).coords[0])
                d = q - jp
                if np.linalg.norm(d) < 1e-6:
                    continue
                d = d / np.linalg.norm(d)
                approaches.append((i, d, w_other))
        year = int(rng.integers(2008, 2024))
        if signal:
            for i, d, w_other in approaches:
                nr = np.array([-d[1], d[0]])  # kerb on the right of approaching traffic
                p = clear_of(
                    carriage, jp + nr * (roads[i]["width_m"] / 2 + 1.0), d, w_other / 2 + 3.0
                )
                if p is None:
                    continue
                poles.append(
                    {
                        "kind": "traffic_signal",
                        "x": p[0],
                        "y": p[1],
                        "height_m": 6.5,
                        "install_year": year,
                        "owner": "深圳市公安局交通警察局",
                        "road_name": roads[i]["name"],
                        "road": i,
                    }
                )
        n_cam = 2 if r0 == 0 and r1 == 0 else 1
        placed = 0
        for i, d, w_other in approaches:
            if placed >= n_cam:
                break
            nl = np.array([d[1], -d[0]])
            p = clear_of(carriage, jp + nl * (roads[i]["width_m"] / 2 + 1.5), d, w_other / 2 + 7.0)
            if p is None:
                continue
            poles.append(
                {
                    "kind": "camera_pole",
                    "x": p[0],
                    "y": p[1],
                    "height_m": 8.0,
                    "install_year": int(np.clip(year + rng.integers(0, 4), 2008, 2024)),
                    "owner": "深圳市公安局",
                    "road_name": roads[i]["name"],
                    "road": i,
                }
            )
            placed += 1
    # drop poles inside buildings and near-duplicates (keep signals/cameras first)
    pri = {"traffic_signal": 0, "camera_pole": 1, "street_lamp": 2}
    poles.sort(key=lambda p: pri[p["kind"]])
    xy = np.array([(p["x"], p["y"]) for p in poles])
    inside = shapely.contains_xy(buildings_union, xy[:, 0], xy[:, 1])
    kept, grid = [], defaultdict(list)
    for p, bad in zip(poles, inside, strict=True):
        if bad:
            continue
        gx, gy = int(p["x"] // 10), int(p["y"] // 10)
        near = False
        for ax in (gx - 1, gx, gx + 1):
            for ay in (gy - 1, gy, gy + 1):
                for q in grid[(ax, ay)]:
                    if math.hypot(q["x"] - p["x"], q["y"] - p["y"]) < 6.0:
                        near = True
        if near:
            continue
        grid[(gx, gy)].append(p)
        kept.append(p)
    kept.sort(key=lambda p: (pri[p["kind"]], -round(p["y"], 1), round(p["x"], 1)))
    z = sample_dem(dem, [p["x"] for p in kept], [p["y"] for p in kept])
    for k, (p, zz) in enumerate(zip(kept, z, strict=True)):
        p["pole_id"] = f"POLE-{k + 1:05d}"
        p["z"] = round(float(zz), 2)
    return kept


def make_fibre_nodes(roads, junctions, carriage, buildings_union, rng):
    nodes = []
    jxy = np.array([(j["x"], j["y"]) for j in junctions])
    for r in roads:
        if CLASS_RANK[r["class"]] > 2:
            continue
        ln = r["geom"]
        s = np.arange(
            rng.uniform(60, 140), ln.length - 40, 150.0 if CLASS_RANK[r["class"]] < 2 else 420.0
        )
        if len(s) == 0:
            continue
        side = np.where(np.arange(len(s)) % 2 == 0, -1.0, 1.0)
        pts = offset_points(ln, s, side, np.full(len(s), r["width_m"] / 2 + 2.2))
        dj = np.min(
            np.hypot(pts[:, None, 0] - jxy[None, :, 0], pts[:, None, 1] - jxy[None, :, 1]), axis=1
        )
        ok = (
            (dj > 30)
            & ~shapely.contains_xy(carriage, pts[:, 0], pts[:, 1])
            & ~shapely.contains_xy(buildings_union, pts[:, 0], pts[:, 1])
        )
        for x, y in pts[ok]:
            total = int(rng.choice([48, 96, 144, 288], p=[0.2, 0.4, 0.3, 0.1]))
            nodes.append(
                {
                    "x": x,
                    "y": y,
                    "ports_total": total,
                    "ports_free": int(total * rng.uniform(0.05, 0.6)),
                    "road_name": r["name"],
                }
            )
    nodes.sort(key=lambda n: (-round(n["y"], 1), round(n["x"], 1)))
    for k, n in enumerate(nodes):
        n["node_id"] = f"FN-{k + 1:03d}"
    return nodes


def make_substations(blocks, block_zones, buildings_union, roads, rng):
    open_space = unary_union(blocks).difference(buildings_union.buffer(8.0))
    gx, gy = np.meshgrid(np.arange(10.0, SIZE, 8.0), np.arange(10.0, SIZE, 8.0))
    gx, gy = gx.ravel(), gy.ravel()
    ok = shapely.contains_xy(open_space, gx, gy)
    cand = np.c_[gx[ok], gy[ok]]
    anchors = [
        (1790.0, 420.0, 110),
        (560.0, 980.0, 10),
        (1160.0, 1330.0, 10),
        (850.0, 1340.0, 10),
        (1480.0, 950.0, 10),
        (560.0, 1950.0, 10),
        (1170.0, 1900.0, 10),
        (260.0, 380.0, 10),
        (1800.0, 1300.0, 10),
    ]
    named = [r for r in roads if r["class"] != "service"]
    tree = shapely.STRtree([r["geom"] for r in named])
    subs, used = [], set()
    for ax, ay, kv in anchors:
        d = np.hypot(cand[:, 0] - ax, cand[:, 1] - ay)
        k = int(np.argmin(d))
        x, y = cand[k]
        road = named[int(tree.nearest(Point(x, y)))]["name"]
        name = road + ("110kV变电站" if kv == 110 else "10kV配电站")
        n = 2
        while name in used:
            name = road + f"10kV配电站{n}号"
            n += 1
        used.add(name)
        cap = 126000 if kv == 110 else int(rng.choice([800, 1000, 1250, 1600, 2000, 2500]))
        subs.append({"x": x, "y": y, "name": name, "capacity_kva": cap, "voltage_kv": kv})
    for k, s in enumerate(subs):
        s["substation_id"] = f"SS-{k + 1:02d}"
    return subs


SENSOR_SPECS = {
    "pm25": ("air_quality", "µg/m³", 3.5),
    "no2": ("air_quality", "µg/m³", 3.5),
    "noise_db": ("noise", "dB(A)", 4.0),
    "vehicle_count": ("traffic", "veh/15min", 6.0),
}


def farthest_sample(xy, n, rng, exclude_xy=None, min_d=0.0):
    """Spread-out subset of points (greedy farthest-point sampling)."""
    if len(xy) == 0 or n == 0:
        return []
    chosen = [int(rng.integers(len(xy)))]
    dmin = np.hypot(xy[:, 0] - xy[chosen[0], 0], xy[:, 1] - xy[chosen[0], 1])
    if exclude_xy is not None and len(exclude_xy):
        for ex in exclude_xy:
            dmin = np.minimum(dmin, np.hypot(xy[:, 0] - ex[0], xy[:, 1] - ex[1]))
    while len(chosen) < min(n, len(xy)):
        k = int(np.argmax(dmin))
        if dmin[k] <= min_d:
            break
        chosen.append(k)
        dmin = np.minimum(dmin, np.hypot(xy[:, 0] - xy[k, 0], xy[:, 1] - xy[k, 1]))
    return chosen


def school_yard(blocks, block_zones, buildings_union, near=(1475.0, 1600.0)):
    """An open spot inside a campus, at least 6 m from any building."""
    campus = [b for b, z in zip(blocks, block_zones, strict=True) if z == "education"]
    yard = unary_union(campus).difference(buildings_union.buffer(6.0)).buffer(-2.0)
    p = nearest_points(yard, Point(near))[0]
    return float(p.x), float(p.y)


def make_sensors(poles, roads, rng, school_xy):
    sensors = []
    used = set()

    def take(cands, n, quantity, min_d=60.0):
        cands = [p for p in cands if p["pole_id"] not in used]
        xy = np.array([(p["x"], p["y"]) for p in cands])
        ex = [(s["x"], s["y"]) for s in sensors if s["quantity"] == quantity]
        for k in farthest_sample(xy, n, rng, ex, min_d):
            p = cands[k]
            used.add(p["pole_id"])
            sensors.append(
                {
                    "x": p["x"],
                    "y": p["y"],
                    "quantity": quantity,
                    "pole_id": p["pole_id"],
                    "road_class": roads[p["road"]]["class"],
                    "road_name": p["road_name"],
                }
            )

    def lamps(classes):
        return [
            p for p in poles if p["kind"] == "street_lamp" and roads[p["road"]]["class"] in classes
        ]

    signals = [p for p in poles if p["kind"] == "traffic_signal"]
    take(signals, 12, "vehicle_count", 150.0)
    take(lamps({"primary", "secondary"}), 6, "vehicle_count", 150.0)
    take(lamps({"primary", "secondary"}), 6, "noise_db")
    take(lamps({"tertiary"}), 6, "noise_db")
    take(lamps({"residential", "service"}), 6, "noise_db")
    take(lamps({"primary", "secondary", "tertiary", "residential"}), 11, "pm25", 150.0)
    take(lamps({"primary", "secondary", "tertiary"}), 10, "no2", 150.0)
    # standalone air-quality stations (parks and a school yard)
    for x, y, where in [
        (1800.0, 1950.0, "park"),
        (120.0, 1560.0, "park"),
        (*school_xy, "school"),
    ]:
        sensors.append(
            {
                "x": x,
                "y": y,
                "quantity": "pm25",
                "pole_id": None,
                "road_class": where,
                "road_name": None,
            }
        )
    order = {"vehicle_count": 0, "noise_db": 1, "pm25": 2, "no2": 3}
    sensors.sort(key=lambda s: (order[s["quantity"]], -round(s["y"], 1), round(s["x"], 1)))
    for k, s in enumerate(sensors):
        kind, unit, h = SENSOR_SPECS[s["quantity"]]
        s["sensor_id"] = f"SEN-{k + 1:03d}"
        s["kind"], s["unit"] = kind, unit
        s["height_m"] = 3.0 if s["pole_id"] is None else h
        if s["quantity"] == "vehicle_count":
            lanes = next(r["lanes"] for r in roads if r["name"] == s["road_name"])
            cap = max(lanes // 2, 1) * 450  # one direction, 1800 veh/h/lane
            s["capacity"] = cap
            s["warning"], s["alarm"] = float(round(0.8 * cap)), float(round(0.95 * cap))
        elif s["quantity"] == "noise_db":
            major = s["road_class"] in ("primary", "secondary", "tertiary")
            s["warning"], s["alarm"] = (70.0, 75.0) if major else (60.0, 65.0)
        elif s["quantity"] == "pm25":
            s["warning"], s["alarm"] = 75.0, 115.0
        else:
            s["warning"], s["alarm"] = 150.0, 200.0
    return sensors


def traffic_profile(hours):
    h = np.asarray(hours) % 24.0
    plateau = 1 / (1 + np.exp(-(h - 6.8) * 2.2)) * (1 / (1 + np.exp((h - 21.5) * 1.6)))
    am = np.exp(-0.5 * ((h - 8.3) / 0.9) ** 2)
    pm = np.exp(-0.5 * ((h - 18.2) / 1.1) ** 2)
    return 0.05 + 0.5 * plateau + 0.4 * am + 0.45 * pm


def ar1(rng, n, sigma, phi=0.85):
    e = rng.normal(0, sigma * math.sqrt(1 - phi**2), n)
    out = np.empty(n)
    acc = rng.normal(0, sigma)
    for i in range(n):
        acc = phi * acc + e[i]
        out[i] = acc
    return out


def make_readings(sensors, rng):
    start = dt.datetime(2024, 11, 18, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    n = 3 * 96
    t_h = np.arange(n) * 0.25  # hours since start
    hod = t_h % 24.0
    day = (t_h // 24).astype(int)
    prof = traffic_profile(hod)
    # regional PM2.5: diurnal inversion + smog episode peaking on the evening of day 2
    t_peak = 24.0 + 20.5
    width = np.where(t_h < t_peak, 8.0, 11.0)
    episode = 118.0 * np.exp(-(((t_h - t_peak) / width) ** 2))
    pm_bg = 27.0 + 7.0 * np.cos(2 * np.pi * (hod - 7.0) / 24.0) + episode + ar1(rng, n, 2.5, 0.95)
    rows = []
    road_factor = {
        "primary": 1.0,
        "secondary": 0.8,
        "tertiary": 0.6,
        "residential": 0.35,
        "service": 0.25,
        "park": 0.05,
        "school": 0.15,
    }
    noise_peak = {
        "primary": 73.5,
        "secondary": 71.5,
        "tertiary": 67.5,
        "residential": 61.5,
        "service": 60.0,
    }
    stamps = [(start + dt.timedelta(minutes=15 * k)).isoformat() for k in range(n)]
    for s in sensors:
        q, rf = s["quantity"], road_factor[s["road_class"]]
        shift = rng.normal(0, 0.25)
        p = traffic_profile(hod + shift) / prof.max()
        weekday_factor = np.where(day == 2, 0.96, 1.0)
        if q == "vehicle_count":
            mean = (
                s["capacity"]
                * rng.uniform(0.74, 0.9)
                * p
                * weekday_factor
                * np.exp(rng.normal(0, 0.04, n))
            )
            vals = np.minimum(rng.poisson(np.maximum(mean, 0.5)), s["capacity"]).astype(float)
        elif q == "noise_db":
            peak = noise_peak[s["road_class"]] + rng.normal(0, 0.8)
            vals = peak + 10 * np.log10(p * 0.97 + 0.03) + ar1(rng, n, 0.7, 0.6)
        elif q == "pm25":
            local = 9.0 * rf * p
            vals = pm_bg * rng.uniform(0.92, 1.08) + local + ar1(rng, n, 2.0, 0.8)
        else:
            stagnation = 1.0 + 0.85 * episode / episode.max()
            vals = (22.0 + 80.0 * rf * p) * stagnation * rng.uniform(0.9, 1.1) + ar1(
                rng, n, 4.0, 0.8
            )
        vals = np.round(np.maximum(vals, 0.0), 1)
        s["series"] = vals
        for k in range(n):
            rows.append((k, s["sensor_id"], q, vals[k], s["unit"]))
    rows.sort(key=lambda r: (r[0], r[1]))
    return [(stamps[k], sid, q, f"{v:.1f}", u) for k, sid, q, v, u in rows]


# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------
def to_world(geom):
    return shapely.transform(geom, lambda c: c + np.array([X0, Y0]))


def write_dem(path, dem):
    profile = {
        "driver": "GTiff",
        "dtype": "float32",
        "width": NPIX,
        "height": NPIX,
        "count": 1,
        "crs": f"EPSG:{EPSG}",
        "transform": WORLD_TRANSFORM,
        "nodata": NODATA,
        "compress": "deflate",
        "predictor": 3,
        "zlevel": 9,
        "tiled": True,
        "blockxsize": 256,
        "blockysize": 256,
    }
    with rasterio.open(path, "w", **profile) as ds:
        ds.write(dem, 1)
        ds.update_tags(AREA_OR_POINT="Area", DESCRIPTION="cimviewer synthetic demo DEM (CC0)")
        ds.set_band_description(1, "elevation_m")
        ds.set_band_unit(1, "metre")


def address_for(buildings, roads):
    named = roads
    tree = shapely.STRtree([r["geom"] for r in named])
    cents = [b["footprint"].representative_point() for b in buildings]
    idx = tree.nearest(cents)
    seen = Counter()
    for b, c, k in zip(buildings, cents, idx, strict=True):
        r = named[int(k)]
        ln = r["geom"]
        s = ln.project(c)
        a = np.asarray(ln.interpolate(max(s - 1, 0)).coords[0])
        bb = np.asarray(ln.interpolate(min(s + 1, ln.length)).coords[0])
        t = bb - a
        v = np.array([c.x, c.y]) - a
        left = t[0] * v[1] - t[1] * v[0] > 0
        num = 2 * int(s // 12.0) + (1 if left else 2)
        key = (r["name"], num)
        seen[key] += 1
        number = str(num) if seen[key] == 1 else f"{num}-{seen[key]}"
        postal = "518057" if c.y > arterial_v(c.x) else "518052"
        b["address"] = [
            {
                "CountryName": "中国",
                "LocalityName": "深圳市",
                "ThoroughfareName": r["name"],
                "ThoroughfareNumber": number,
                "PostalCode": postal,
            }
        ]


def write_cityjson(path, buildings):
    pool = VertexPool()
    objects = {}
    roof_types = Counter()
    for k, b in enumerate(buildings):
        bid = f"BLD-{k + 1:06d}"
        zb = b["base"]
        parts = b["parts"]
        if len(parts) == 1:
            p = parts[0]
            roof_types[p["roof"]] += 1
            objects[bid] = {
                "type": "Building",
                "attributes": {
                    "function": p["function"],
                    "measuredHeight": round(p["height"], 2),
                    "storeysAboveGround": p["storeys"],
                    "yearOfConstruction": b["year"],
                    "roofType": p["roof"],
                },
                "address": b["address"],
                "geometry": part_geometries(pool, p, zb),
            }
        else:
            tower = max(parts, key=lambda p: p["height"])
            roof_types["flat"] += 1
            children = [f"{bid}-{i + 1}" for i in range(len(parts))]
            objects[bid] = {
                "type": "Building",
                "attributes": {
                    "function": tower["function"],
                    "measuredHeight": round(tower["height"], 2),
                    "storeysAboveGround": tower["storeys"],
                    "yearOfConstruction": b["year"],
                    "roofType": "flat",
                },
                "address": b["address"],
                "children": children,
                "geometry": [],
            }
            for cid, p in zip(children, parts, strict=True):
                objects[cid] = {
                    "type": "BuildingPart",
                    "parents": [bid],
                    "attributes": {
                        "function": p["function"],
                        "measuredHeight": round(p["height"], 2),
                        "storeysAboveGround": p["storeys"],
                        "yearOfConstruction": b["year"],
                        "roofType": p["roof"],
                        "partType": p["role"],
                    },
                    "geometry": part_geometries(pool, p, zb),
                }
    verts = np.array(pool.verts, dtype=np.int64)
    real = verts * 0.001 + np.array([X0, Y0, 0.0])
    extent = [round(float(v), 3) for v in (*real.min(axis=0), *real.max(axis=0))]
    doc = {
        "type": "CityJSON",
        "version": "2.0",
        "transform": {"scale": [0.001, 0.001, 0.001], "translate": [X0, Y0, 0.0]},
        "metadata": {
            "identifier": "cimviewer-demo-district",
            "referenceDate": "2024-11-18",
            "referenceSystem": f"https://www.opengis.net/def/crs/EPSG/0/{EPSG}",
            "title": "cimviewer demo district (synthetic, Shenzhen-like, CC0)",
            "geographicalExtent": extent,
        },
        "CityObjects": objects,
        "vertices": pool.verts,
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
    return roof_types, len(pool.verts), extent


def gdf(rows, cols, geoms):
    data = {c: [r[c] for r in rows] for c in cols}
    return gpd.GeoDataFrame(data, geometry=geoms, crs=f"EPSG:{EPSG}")


def write_layer(frame, path, layer):
    # a fixed timestamp in gpkg_contents keeps regenerated files byte-identical
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": "2024-11-18T00:00:00Z"})
    try:
        pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG")
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------
def generate(out: Path, seed: int) -> dict:
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    names = [
        "terrain.tif",
        "roads.gpkg",
        "buildings.city.json",
        "street_furniture.gpkg",
        "infrastructure.gpkg",
        "sensors.gpkg",
        "sensor_readings.csv",
    ]
    for n in names:
        (out / n).unlink(missing_ok=True)

    dem = make_terrain(np.random.default_rng(seed + 1))
    write_dem(out / "terrain.tif", dem)

    roads, blocks, block_zones, _river = generate_network(np.random.default_rng(seed + 2))
    buildings = generate_buildings(blocks, block_zones, dem, np.random.default_rng(seed + 3))
    address_for(buildings, roads)
    roof_types, n_vertices, extent = write_cityjson(out / "buildings.city.json", buildings)

    roads.sort(key=lambda r: (CLASS_RANK[r["class"]], r["name"]))
    rid = {id(r): f"RD-{k + 1:04d}" for k, r in enumerate(roads)}
    for r in roads:
        r["road_id"] = rid[id(r)]
    junctions = insert_junction_vertices(roads)  # indices refer to the sorted order
    road_geoms = [to_world(shapely.segmentize(r["geom"], 20.0)) for r in roads]
    write_layer(
        gdf(roads, ["road_id", "name", "class", "width_m", "lanes", "speed_kmh"], road_geoms),
        out / "roads.gpkg",
        "roads",
    )

    carriage = unary_union([r["geom"].buffer(r["width_m"] / 2 + 0.3, quad_segs=4) for r in roads])
    shapely.prepare(carriage)
    buildings_union = unary_union([b["footprint"] for b in buildings])
    shapely.prepare(buildings_union)
    prng = np.random.default_rng(seed + 4)
    poles = make_poles(roads, junctions, carriage, buildings_union, dem, prng)
    write_layer(
        gdf(
            poles,
            ["pole_id", "kind", "height_m", "install_year", "owner", "road_name", "z"],
            [to_world(Point(p["x"], p["y"])) for p in poles],
        ),
        out / "street_furniture.gpkg",
        "poles",
    )

    irng = np.random.default_rng(seed + 5)
    subs = make_substations(blocks, block_zones, buildings_union, roads, irng)
    fibre = make_fibre_nodes(roads, junctions, carriage, buildings_union, irng)
    write_layer(
        gdf(
            subs,
            ["substation_id", "name", "capacity_kva", "voltage_kv"],
            [to_world(Point(s["x"], s["y"])) for s in subs],
        ),
        out / "infrastructure.gpkg",
        "substations",
    )
    write_layer(
        gdf(
            fibre,
            ["node_id", "ports_total", "ports_free", "road_name"],
            [to_world(Point(n["x"], n["y"])) for n in fibre],
        ),
        out / "infrastructure.gpkg",
        "fibre_nodes",
    )

    srng = np.random.default_rng(seed + 6)
    sensors = make_sensors(poles, roads, srng, school_yard(blocks, block_zones, buildings_union))
    frame = gdf(
        sensors,
        ["sensor_id", "kind", "quantity", "unit", "warning", "alarm", "height_m", "pole_id"],
        [to_world(Point(s["x"], s["y"])) for s in sensors],
    )
    write_layer(frame, out / "sensors.gpkg", "sensors")
    rows = make_readings(sensors, srng)
    with open(out / "sensor_readings.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["time", "sensor_id", "quantity", "value", "unit"])
        w.writerows(rows)

    stats = {
        "buildings": len(buildings),
        "composite": sum(1 for b in buildings if len(b["parts"]) > 1),
        "courtyards": sum(
            1 for b in buildings if len(b["parts"]) == 1 and len(b["parts"][0]["rings"]) > 1
        ),
        "l_shapes": sum(
            1 for b in buildings if len(b["parts"]) == 1 and len(b["parts"][0]["rings"][0]) == 6
        ),
        "zones": Counter(b["zone"] for b in buildings),
        "functions": Counter(p["function"] for b in buildings for p in b["parts"][-1:]),
        "roof_types": roof_types,
        "vertices": n_vertices,
        "extent": extent,
        "roads": len(roads),
        "road_classes": Counter(r["class"] for r in roads),
        "road_km": sum(r["geom"].length for r in roads) / 1000.0,
        "poles": Counter(p["kind"] for p in poles),
        "substations": len(subs),
        "fibre_nodes": len(fibre),
        "sensors": Counter(s["quantity"] for s in sensors),
        "sensor_on_pole": sum(1 for s in sensors if s["pole_id"]),
        "readings": len(rows),
        "dem_range": (float(dem[dem != NODATA].min()), float(dem[dem != NODATA].max())),
        "dem_nodata": int((dem == NODATA).sum()),
        "heights": (
            min(b["parts"][-1]["height"] for b in buildings),
            max(p["height"] for b in buildings for p in b["parts"]),
        ),
        "seconds": time.perf_counter() - t0,
        "pm25_warn": int(
            sum((s["series"] >= s["warning"]).sum() for s in sensors if s["quantity"] == "pm25")
        ),
        "pm25_alarm": int(
            sum((s["series"] >= s["alarm"]).sum() for s in sensors if s["quantity"] == "pm25")
        ),
    }
    write_readme(out, stats, seed)
    return stats


def write_readme(out: Path, st: dict, seed: int):
    def fmt(counter):
        return ", ".join(f"{k} {v}" for k, v in sorted(counter.items(), key=lambda kv: -kv[1]))

    ext = ", ".join(f"{v:.1f}" for v in st["extent"])
    z0, z1 = st["dem_range"]
    setbacks = ", ".join(f"{k} {v:g} m" for k, v in SETBACK.items())
    text = f"""# cimviewer demo district (synthetic)

A made-up, Shenzhen-like city district of about 2.2 km x 2.2 km that cimviewer
opens when it is started without a file. All data are **synthetic**: they were
produced by `scripts/make_demo_city.py` and are released under **CC0 1.0**
(public domain dedication). Street names are typical Shenzhen names, but the
layout, buildings, poles, utilities and sensor readings are invented.

Regenerate (deterministic, seed {seed}; takes about 10 s plus 10 s of checks):

    python scripts/make_demo_city.py            # writes resources/demo/
    python scripts/make_demo_city.py --out DIR  # writes elsewhere

The script verifies what it wrote at the end (`--no-verify` skips that).
It needs numpy, shapely, geopandas, pyogrio and rasterio.

## Coordinate reference system

All files use **EPSG:4547**, CGCS2000 / 3-degree Gauss-Kruger CM 114E (metres;
easting without a zone prefix). The district spans x {X0:.0f} to {X0 + SIZE:.0f}
and y {Y0:.0f} to {Y0 + SIZE:.0f}; the DEM adds a {MARGIN:.0f} m margin on
every side. Heights are metres above the vertical datum of the synthetic DEM.

## Files

### `terrain.tif`

GeoTIFF DEM: float32, {PIX:.0f} m pixels, {NPIX} x {NPIX}, deflate
compression, **nodata = -9999**. Elevation {z0:.1f} to {z1:.1f} m: a hill park
in the north-east (about 90 m), a smaller hill on the west edge, and a river
valley across the south. A flooded quarry on the north-east hill is a hole of
{st["dem_nodata"]} nodata pixels (no building, road or pole stands on it).

### `roads.gpkg`, layer `roads`

{st["roads"]} street centrelines, {st["road_km"]:.1f} km in all:
{fmt(st["road_classes"])}. 2D LineStrings, densified to a vertex at least every
20 m, with a vertex wherever another road joins or crosses. Fields:

* `road_id` (`RD-0001`...), `name` (e.g. 深南大道, 沙河西路, 科技路; service
  lanes and urban-village alleys are named ...巷)
* `class`: primary, secondary, tertiary, residential or service
* `width_m` (kerb to kerb), `lanes`, `speed_kmh`

### `buildings.city.json`

CityJSON 2.0 with {st["buildings"]} `Building` objects; {st["composite"]} of
them consist of two `BuildingPart`s (podium + tower). {st["vertices"]} integer
vertices with `"transform"` scale 0.001 and translate [{X0:.0f}, {Y0:.0f}, 0];
`metadata.geographicalExtent` [{ext}].

* Every building (or building part) has two geometries: `lod` "1", a
  flat-roofed Solid up to `measuredHeight`, and `lod` "2.2", a Solid with the
  roof shape. Both carry semantics (`RoofSurface`, `WallSurface`,
  `GroundSurface`).
* `roofType`: {fmt(st["roof_types"])}. Gabled and hipped roofs occur only on
  rectangular footprints, shed roofs on rectangles and L-shapes.
* Footprints are rectangles, {st["l_shapes"]} L-shapes and {st["courtyards"]}
  courtyard blocks whose ground and roof surfaces have an inner ring (and
  inner walls around the courtyard).
* Podium + tower: the parent `Building` has no geometry and lists its two
  `children`; each `BuildingPart` names the parent in `parents` and has a
  `partType` attribute (podium or tower). Both parts stand on the ground: the
  podium's footprint has the tower's footprint as its hole, so the parts touch
  but do not overlap.
* The base of each building is the lowest DEM value among the pixels its
  footprint touches, so buildings sit on (and a little into) the terrain.
* Attributes: `function` (residential, commercial, office, industrial,
  education, public), `measuredHeight` (m, base to highest point),
  `storeysAboveGround`, `yearOfConstruction`, `roofType`. Object-level
  `address` (CityJSON 2.0): `CountryName` 中国, `LocalityName` 深圳市,
  `ThoroughfareName` (nearest street), `ThoroughfareNumber` (odd/even by side
  of the street), `PostalCode`.
* Ids: `BLD-000001`...; parts `BLD-000001-1` (podium) and `BLD-000001-2` (tower).
* Surfaces are planar and face outwards (counter-clockwise seen from outside);
  every solid is closed.
* Heights: towers 60-150 m around the arterial crossing, high-rise housing up
  to about 100 m nearby, mid-rise estates and offices 18-45 m, urban-village
  blocks 15-28 m, villas, sheds and small ancillary buildings 4-15 m.
* No building overlaps another building or a road: every footprint keeps a
  clearance of `width_m / 2` plus a setback from each road centreline
  ({setbacks}).

### `street_furniture.gpkg`, layer `poles`

{sum(st["poles"].values())} existing poles: {fmt(st["poles"])}. Street lamps
stand every 30-40 m on alternating sides of each road; traffic signals stand
at each approach of every junction of a primary or secondary road with a
tertiary or bigger road; camera poles stand at junctions of tertiary or bigger
roads. Fields: `pole_id` (`POLE-00001`...), `kind` (street_lamp,
traffic_signal, camera_pole), `height_m`, `install_year`, `owner`,
`road_name`, `z` (terrain height at the pole, m).

### `infrastructure.gpkg`

* layer `substations`: {st["substations"]} points, `substation_id`, `name`,
  `capacity_kva`, `voltage_kv` (one 110 kV substation, the rest 10 kV).
* layer `fibre_nodes`: {st["fibre_nodes"]} points beside primary, secondary
  and tertiary roads, `node_id`, `ports_total`, `ports_free`, `road_name`.

### `sensors.gpkg`, layer `sensors`

{sum(st["sensors"].values())} sensors: {fmt(st["sensors"])}. Fields
`sensor_id` (`SEN-001`...), `kind` (air_quality, noise, traffic), `quantity`
(pm25, no2, noise_db, vehicle_count), `unit` (µg/m³, dB(A), veh/15min),
`warning`, `alarm`, `height_m` (above ground) and `pole_id` (set for the
{st["sensor_on_pole"]} sensors mounted on an existing pole, empty for the
stand-alone air-quality stations in the parks and a school yard).

Thresholds: PM2.5 75 / 115 µg/m³, NO2 150 / 200 µg/m³; noise 70 / 75 dB(A)
beside main roads and 60 / 65 dB(A) in residential streets; traffic 80 % /
95 % of the capacity of one direction (450 vehicles per lane per 15 minutes).

### `sensor_readings.csv`

{st["readings"]} readings in long format, header
`time,sensor_id,quantity,value,unit`; ISO 8601 times with +08:00, every 15
minutes from 2024-11-18T00:00 to 2024-11-20T23:45; values with one decimal.
Traffic peaks in the morning and evening rush hours, noise and NO2 follow
traffic, and a PM2.5 smog episode on the evening of 19 November crosses the
warning ({st["pm25_warn"]} readings) and alarm ({st["pm25_alarm"]} readings)
thresholds.
"""
    (out / "README.md").write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------
# Verification (reads only the written files)
# --------------------------------------------------------------------------
def _newell(pts):
    n = np.zeros(3)
    nxt = np.roll(pts, -1, axis=0)
    n[0] = np.sum((pts[:, 1] - nxt[:, 1]) * (pts[:, 2] + nxt[:, 2]))
    n[1] = np.sum((pts[:, 2] - nxt[:, 2]) * (pts[:, 0] + nxt[:, 0]))
    n[2] = np.sum((pts[:, 0] - nxt[:, 0]) * (pts[:, 1] + nxt[:, 1]))
    return n


def verify(out: Path) -> bool:
    t0 = time.perf_counter()
    problems = []

    def check(cond, msg):
        if not cond:
            problems.append(msg)

    with open(out / "buildings.city.json", encoding="utf-8") as f:
        cj = json.load(f)
    check(cj.get("type") == "CityJSON" and cj.get("version") == "2.0", "type/version")
    check(cj["metadata"]["referenceSystem"].endswith("/EPSG/0/4547"), "referenceSystem")
    tr = cj["transform"]
    verts = np.asarray(cj["vertices"])
    nv = len(verts)
    check(verts.dtype.kind == "i" and verts.shape == (nv, 3), "integer vertices")
    real = verts * np.asarray(tr["scale"]) + np.asarray(tr["translate"])
    objs = cj["CityObjects"]
    n_bld = sum(1 for o in objs.values() if o["type"] == "Building")
    n_part = sum(1 for o in objs.values() if o["type"] == "BuildingPart")
    check(n_bld >= 3000, f"only {n_bld} buildings")
    bad_idx = bad_dup = bad_closed = bad_vol = bad_sem = bad_roof_n = 0
    max_planarity = 0.0
    holes = 0
    ground_rings = defaultdict(list)  # top-level building id -> list of (outer, holes)
    base_z = defaultdict(set)
    for oid, o in objs.items():
        top = oid if o["type"] == "Building" else o["parents"][0]
        if o["type"] == "BuildingPart":
            check(oid in objs[top].get("children", []), f"{oid} not a child of its parent")
        for c in o.get("children", []):
            check(objs[c].get("parents") == [oid], f"{c} parent link")
        lods = sorted(g["lod"] for g in o.get("geometry", []))
        check(lods in ([], ["1", "2.2"]), f"{oid} lods {lods}")
        for g in o.get("geometry", []):
            check(g["type"] == "Solid", f"{oid} geometry type")
            sem = g["semantics"]
            for shell, svals in zip(g["boundaries"], sem["values"], strict=True):
                if len(shell) != len(svals):
                    bad_sem += 1
                    continue
                edges = Counter()
                vol = 0.0
                origin = real[shell[0][0][0]]
                for surf, sv in zip(shell, svals, strict=True):
                    pts_all = []
                    if len(surf) > 1:
                        holes += 1
                    for ring in surf:
                        arr = np.asarray(ring)
                        if arr.min() < 0 or arr.max() >= nv:
                            bad_idx += 1
                            continue
                        if len(ring) < 3 or np.any(arr == np.roll(arr, -1)):
                            bad_dup += 1
                        for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
                            edges[(a, b)] += 1
                        p = real[arr]
                        pts_all.append(p)
                        q = p - origin
                        vol += float(np.sum(q[0] @ np.cross(q, np.roll(q, -1, axis=0)).T)) / 6.0
                    allp = np.vstack(pts_all)
                    cen = allp - allp.mean(axis=0)
                    nrm = np.linalg.svd(cen, full_matrices=False)[2][-1]
                    max_planarity = max(max_planarity, float(np.abs(cen @ nrm).max()))
                    n_out = _newell(pts_all[0])
                    stype = sem["surfaces"][sv]["type"]
                    if stype == "RoofSurface" and n_out[2] <= 0:
                        bad_roof_n += 1
                    if stype == "WallSurface" and abs(n_out[2]) > 1e-3 * np.linalg.norm(n_out):
                        bad_roof_n += 1
                    if stype == "GroundSurface":
                        if n_out[2] >= 0:
                            bad_roof_n += 1
                        if g["lod"] == "1":
                            ground_rings[top].append(
                                (pts_all[0][:, :2], [h[:, :2] for h in pts_all[1:]])
                            )
                            base_z[top].update(np.round(allp[:, 2], 3).tolist())
                for (a, b), cnt in edges.items():
                    if cnt != 1 or edges.get((b, a), 0) != 1:
                        bad_closed += 1
                        break
                if vol <= 0:
                    bad_vol += 1
    check(bad_idx == 0, f"{bad_idx} rings with out-of-range vertex indices")
    check(bad_dup == 0, f"{bad_dup} rings with repeated consecutive vertices")
    check(bad_closed == 0, f"{bad_closed} shells not closed/consistently oriented")
    check(bad_vol == 0, f"{bad_vol} shells with non-positive volume (inward orientation)")
    check(bad_sem == 0, f"{bad_sem} semantics value arrays of the wrong length")
    check(bad_roof_n == 0, f"{bad_roof_n} roof/ground/wall surfaces facing the wrong way")
    check(max_planarity < 0.01, f"planarity deviation {max_planarity:.4f} m")

    # footprints, DEM base heights, overlaps
    ids = sorted(ground_rings)
    footprints = [unary_union([Polygon(o, hs) for o, hs in ground_rings[i]]) for i in ids]
    base_mismatch = 0
    worst = 0.0
    with rasterio.open(out / "terrain.tif") as ds:
        check(ds.crs.to_epsg() == EPSG, "DEM CRS")
        check(ds.nodata == NODATA, "DEM nodata")
        check(ds.dtypes[0] == "float32", "DEM dtype")
        check(
            (ds.compression.value if ds.compression else "").upper() == "DEFLATE", "DEM compression"
        )
        demarr = ds.read(1)
        n_nodata = int((demarr == NODATA).sum())
        check(n_nodata > 0, "DEM has no nodata hole")
        for bid, fp in zip(ids, footprints, strict=True):
            zs = base_z[bid]
            if len(zs) != 1:
                base_mismatch += 1
                continue
            data, _ = rasterio.mask.mask(
                ds, [fp], all_touched=True, crop=True, filled=True, nodata=np.nan
            )
            vals = data[0]
            if np.any(vals == NODATA):
                base_mismatch += 1
                continue
            dz = abs(next(iter(zs)) - float(np.nanmin(vals)))
            worst = max(worst, dz)
            if dz > 0.0015:
                base_mismatch += 1
    check(
        base_mismatch == 0,
        f"{base_mismatch} buildings whose base is not the DEM minimum under the footprint",
    )
    tree = shapely.STRtree(footprints)
    ii, jj = tree.query(footprints, predicate="intersects")
    overlaps = sum(
        1
        for i, j in zip(ii, jj, strict=True)
        if i < j and footprints[i].intersection(footprints[j]).area > 1e-6
    )
    touching = sum(1 for i, j in zip(ii, jj, strict=True) if i < j)
    check(overlaps == 0, f"{overlaps} overlapping building pairs")

    roads = gpd.read_file(out / "roads.gpkg", layer="roads", engine="pyogrio")
    carriage = roads.geometry.buffer(roads["width_m"] / 2.0)
    setback = roads.geometry.buffer(roads["width_m"] / 2 + roads["class"].map(SETBACK) - 0.01)
    fp_series = gpd.GeoSeries(footprints, crs=f"EPSG:{EPSG}")
    hit_carriage = int(
        gpd.sjoin(
            gpd.GeoDataFrame(geometry=fp_series),
            gpd.GeoDataFrame(geometry=carriage),
            predicate="intersects",
        ).index.nunique()
    )
    hit_setback = int(
        gpd.sjoin(
            gpd.GeoDataFrame(geometry=fp_series),
            gpd.GeoDataFrame(geometry=setback),
            predicate="intersects",
        ).index.nunique()
    )
    check(hit_carriage == 0, f"{hit_carriage} buildings intersect a road (width/2 buffer)")
    check(hit_setback == 0, f"{hit_setback} buildings inside a road setback (width buffer)")
    seg = 0.0
    for g in roads.geometry:
        c = shapely.get_coordinates(g)
        seg = max(seg, float(np.hypot(*np.diff(c, axis=0).T).max()))
    check(seg <= 20.0 + 1e-6, f"road segment of {seg:.1f} m")

    layers = {
        "roads.gpkg": ["roads"],
        "street_furniture.gpkg": ["poles"],
        "infrastructure.gpkg": ["substations", "fibre_nodes"],
        "sensors.gpkg": ["sensors"],
    }
    counts = {}
    for fn, lyrs in layers.items():
        present = [name for name, _ in pyogrio.list_layers(out / fn)]
        for lyr in lyrs:
            check(lyr in present, f"{fn}: missing layer {lyr}")
            info = pyogrio.read_info(out / fn, layer=lyr)
            check(info["crs"] == f"EPSG:{EPSG}", f"{fn}:{lyr} CRS {info['crs']}")
            counts[f"{fn}:{lyr}"] = info["features"]
    poles = gpd.read_file(out / "street_furniture.gpkg", layer="poles", engine="pyogrio")
    check(poles["z"].notna().all(), "poles without z")
    fp_union = unary_union(footprints)
    road_area = unary_union(carriage.values)
    shapely.prepare(fp_union)
    shapely.prepare(road_area)
    for fn, lyrs in layers.items():
        if fn == "roads.gpkg":
            continue
        for lyr in lyrs:
            pts = gpd.read_file(out / fn, layer=lyr, engine="pyogrio").geometry
            xs, ys = pts.x.values, pts.y.values
            n_in = int(shapely.contains_xy(fp_union, xs, ys).sum())
            n_road = int(shapely.contains_xy(road_area, xs, ys).sum())
            check(n_in == 0, f"{fn}:{lyr}: {n_in} points inside buildings")
            check(n_road == 0, f"{fn}:{lyr}: {n_road} points on a carriageway")
    check(poles["pole_id"].is_unique, "duplicate pole ids")
    sensors = gpd.read_file(out / "sensors.gpkg", layer="sensors", engine="pyogrio")
    on_pole = sensors["pole_id"].dropna()
    check(on_pole.isin(poles["pole_id"]).all(), "sensor pole_id not found among poles")
    with open(out / "sensor_readings.csv", encoding="utf-8") as f:
        rd = list(csv.DictReader(f))
    check(
        set(r["sensor_id"] for r in rd) == set(sensors["sensor_id"]), "readings/sensors id mismatch"
    )
    times = sorted(set(r["time"] for r in rd))
    check(len(times) == 288 and times[0].endswith("+08:00"), "reading times")

    print("\n== verification ==")
    print(
        f"CityJSON: {n_bld} Building, {n_part} BuildingPart, {nv} vertices, "
        f"{holes} surfaces with inner rings, "
        f"max planarity deviation {max_planarity * 1000:.2f} mm"
    )
    ex = cj["metadata"]["geographicalExtent"]
    print(
        f"  extent x {ex[0]:.1f}..{ex[3]:.1f}  y {ex[1]:.1f}..{ex[4]:.1f}  "
        f"z {ex[2]:.1f}..{ex[5]:.1f}"
    )
    print(
        f"  base height vs DEM: worst |dz| = {worst * 1000:.2f} mm; "
        f"touching footprint pairs {touching}, "
        f"overlapping {overlaps}"
    )
    print(
        f"  roads: {len(roads)}; buildings hitting carriageway {hit_carriage}, "
        f"setback {hit_setback}; "
        f"longest segment {seg:.1f} m"
    )
    print(f"DEM nodata pixels: {n_nodata}")
    for k, v in counts.items():
        print(f"  {k}: {v} features (EPSG:{EPSG})")
    print(f"readings: {len(rd)} rows, {times[0]} .. {times[-1]}")
    for fn in sorted(p.name for p in out.iterdir() if p.is_file()):
        print(f"  {fn:28s} {(out / fn).stat().st_size / 1e6:8.2f} MB")
    print(f"verification took {time.perf_counter() - t0:.1f} s")
    if problems:
        print("PROBLEMS:")
        for p in problems:
            print("  -", p)
        return False
    print("all checks passed")
    return True


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output directory (default: resources/demo)"
    )
    ap.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")
    ap.add_argument("--no-verify", action="store_true", help="skip the verification pass")
    args = ap.parse_args(argv)
    st = generate(args.out, args.seed)
    print(f"generated in {st['seconds']:.1f} s -> {args.out}")
    print(
        f"buildings {st['buildings']} (podium+tower {st['composite']}, "
        f"courtyards {st['courtyards']}, "
        f"L-shapes {st['l_shapes']}); zones: {dict(st['zones'])}"
    )
    print(
        f"roof types {dict(st['roof_types'])}; "
        f"heights {st['heights'][0]:.1f}..{st['heights'][1]:.1f} m"
    )
    print(f"roads {st['roads']} ({st['road_km']:.1f} km) {dict(st['road_classes'])}")
    print(
        f"poles {dict(st['poles'])}; substations {st['substations']}; "
        f"fibre nodes {st['fibre_nodes']}"
    )
    print(
        f"sensors {dict(st['sensors'])}; readings {st['readings']}; "
        f"pm25 >= warning {st['pm25_warn']}, "
        f">= alarm {st['pm25_alarm']}"
    )
    print(
        f"DEM {st['dem_range'][0]:.1f}..{st['dem_range'][1]:.1f} m, "
        f"nodata pixels {st['dem_nodata']}"
    )
    if args.no_verify:
        return 0
    return 0 if verify(args.out) else 1


if __name__ == "__main__":
    raise SystemExit(main())
