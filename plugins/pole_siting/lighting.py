"""Step 1: lighting pole positions along the streets, and existing poles merged into them.

Per road class a mounting height H and a luminaire type (data/lighting.json); the
arrangement (one side, staggered, opposite) follows from the effective road width W and H
(CJJ 45 style: H >= f x W for each arrangement); the spacing is at most 3H / 3.5H / 4H
by luminaire type. Roads are cut at every junction; each piece gets a pole just outside
both junction mouths (or at its dead end) and evenly spaced poles between, so no gap
exceeds the maximum spacing. Poles that fall on a carriageway or in a user exclusion
area are dropped. Vectorized with shapely 2 arrays and numpy: no loop per vertex or pole.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

DATA = Path(__file__).resolve().parent / "data"
ARRANGEMENTS = ("one_side", "staggered", "opposite")


def load_rules(path: str | Path | None = None) -> dict[str, Any]:
    """The lighting rules (data/lighting.json unless ``path`` is given)."""
    with Path(path or DATA / "lighting.json").open(encoding="utf-8") as f:
        return json.load(f)


@dataclass
class Layout:
    """Planned lighting poles and what happened to the existing ones."""

    xy: np.ndarray  # (n, 2)
    road: np.ndarray  # feature index of the road each pole serves
    road_class: np.ndarray  # str
    height_m: np.ndarray
    arrangement: np.ndarray  # str
    status: np.ndarray  # "new", "merged" (existing pole reused in place), "reused" (kept)
    existing: np.ndarray  # index of the existing pole, -1 for new ones
    junctions: np.ndarray  # (m, 2) junction points
    junction_classes: list[set[str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    removed: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))  # existing

    @property
    def n(self) -> int:
        return len(self.xy)


def class_rule(rules: dict[str, Any], road_class: str) -> dict[str, Any]:
    classes = rules["classes"]
    return classes.get(road_class, classes[rules.get("default_class", "service")])


def arrangement_for(width: np.ndarray, height: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """Index into ARRANGEMENTS: the first arrangement whose H >= f x W_eff holds (one side,
    staggered, opposite); opposite when none does (too wide for the height)."""
    ok = height[:, None] >= factors * width[:, None]
    first = np.argmax(ok, axis=1)
    return np.where(ok.any(axis=1), first, 2)


def _split_at_junctions(vertices: np.ndarray, vertex_offsets: np.ndarray,
                        part_feature: np.ndarray, snap: float) -> dict[str, np.ndarray]:
    """Road parts cut at every vertex another part shares; junction keys and degrees."""
    counts = np.diff(vertex_offsets)
    part_of_vertex = np.repeat(np.arange(len(counts)), counts)
    key_xy = np.round(vertices[:, :2] / snap).astype(np.int64)
    keys, key_index = np.unique(key_xy, axis=0, return_inverse=True)
    key_index = key_index.ravel()
    pairs = np.unique(np.column_stack([key_index, part_of_vertex]), axis=0)
    parts_at_key = np.bincount(pairs[:, 0], minlength=len(keys))
    first = np.zeros(len(vertices), bool)
    last = np.zeros(len(vertices), bool)
    first[vertex_offsets[:-1][counts > 0]] = True
    last[vertex_offsets[1:][counts > 0] - 1] = True
    shared = parts_at_key[key_index] >= 2
    end_kind = np.where(shared, 1, 0)  # 1: junction, 0: dead end (for part ends)
    # an end where several pieces of one part meet (a loop) is still a dead end for us
    cut = shared & ~first & ~last  # interior vertices where the part is cut
    reps = np.where(cut, 2, 1)
    idx = np.repeat(np.arange(len(vertices)), reps)
    # piece id: new piece after each cut vertex (second copy) and at each part start
    dup_second = np.zeros(len(idx), bool)
    starts_of_dup = np.cumsum(reps) - 1  # position of the last copy of each vertex
    dup_second[starts_of_dup[cut]] = True
    new_piece = dup_second | first[idx]
    new_piece &= ~(dup_second & first[idx])
    piece = np.cumsum(new_piece) - 1
    return {"idx": idx, "piece": piece, "part": part_of_vertex[idx], "key": key_index[idx],
            "junction": end_kind[idx].astype(bool), "keys": keys,
            "parts_at_key": parts_at_key, "part_feature": part_feature}


def plan_layout(roads: Any, rules: dict[str, Any], existing: Any = None,
                exclusion: Any = None, merge_tolerance_m: float = 8.0,
                keep_kinds: tuple[str, ...] = ("traffic_signal", "camera_pole"),
                progress: Any = None) -> Layout:
    """Lighting poles for a line VectorData of road centrelines (fields ``class`` and
    ``width_m``), existing poles (point VectorData with ``kind`` and optional ``state``)
    merged in, exclusion polygons (shapely geometries) avoided."""
    import shapely
    from scipy.spatial import cKDTree

    warnings: list[str] = []
    n_feat = roads.n_features
    klass = np.array([str(v or "") for v in roads.columns.get("class", [""] * n_feat)])
    width = np.array([_num(v, rules.get("default_width_m", 6.0))
                      for v in roads.columns.get("width_m", [None] * n_feat)], float)
    part_feature = roads.feature_of_part()
    verts = np.asarray(roads.vertices[:, :2], float)
    snap = float(rules.get("snap_m", 0.5))
    cut = _split_at_junctions(verts, np.asarray(roads.vertex_offsets), part_feature, snap)
    idx, piece = cut["idx"], cut["piece"]
    n_pieces = int(piece.max()) + 1 if len(piece) else 0
    piece_counts = np.bincount(piece, minlength=n_pieces)
    lines = shapely.linestrings(verts[idx], indices=piece)
    valid = piece_counts >= 2
    first_row = np.concatenate([[0], np.cumsum(piece_counts)[:-1]])
    last_row = first_row + piece_counts - 1
    feat = part_feature[cut["part"][first_row]]
    # widest road at every junction key: the mouth a pole keeps out of
    key_width = np.zeros(len(cut["keys"]))
    np.maximum.at(key_width, cut["key"], width[part_feature[cut["part"]]])
    margin = float(rules.get("junction_margin_m", 3.0))
    length = shapely.length(lines)
    start_j, end_j = cut["junction"][first_row], cut["junction"][last_row]
    start_m = np.where(start_j, key_width[cut["key"][first_row]] / 2 + margin, 0.0)
    end_m = np.where(end_j, key_width[cut["key"][last_row]] / 2 + margin, 0.0)
    # rules per piece
    cls = klass[feat]
    rule_h = np.array([class_rule(rules, c)["height_m"] for c in cls], float) \
        if n_pieces else np.zeros(0)
    lum = [class_rule(rules, c)["luminaire"] for c in cls]
    lums = rules["luminaires"]
    spacing_factor = np.array([lums[x]["spacing_factor"] for x in lum], float)
    factors = np.array([[lums[x]["height_factor"][a] for a in ARRANGEMENTS] for x in lum],
                       float).reshape(-1, 3)
    overhang = float(rules.get("overhang_m", 1.0))
    w_eff = np.maximum(width[feat] - overhang, 1.0)
    arrangement = arrangement_for(w_eff, rule_h, factors)
    too_wide = ~(rule_h[:, None] >= factors * w_eff[:, None]).any(axis=1)
    if too_wide.any():
        warnings.append(f"{int(np.unique(feat[too_wide]).size)} roads are too wide for their "
                        "mounting height even with opposite poles")
    s_max = spacing_factor * rule_h
    span = length - start_m - end_m
    short = span < 0
    start_m = np.where(short, length / 2, start_m)
    span = np.where(short, 0.0, span)
    intervals = np.where(span > 0, np.ceil(span / s_max - 1e-9), 0).astype(np.int64)
    intervals = np.where(valid, intervals, -1)
    per_piece = intervals + 1  # stations
    per_piece = np.maximum(per_piece, 0)
    station_piece = np.repeat(np.arange(n_pieces), per_piece)
    order = np.arange(len(station_piece)) - np.repeat(np.cumsum(per_piece) - per_piece,
                                                      per_piece)
    step = np.where(intervals[station_piece] > 0,
                    span[station_piece] / np.maximum(intervals[station_piece], 1), 0.0)
    dist = start_m[station_piece] + order * step
    if progress:
        progress(0.3)
    # sides: one side right (-1); staggered alternates; opposite both
    arr_s = arrangement[station_piece]
    both = arr_s == 2
    side = np.where(arr_s == 1, np.where(order % 2 == 0, -1.0, 1.0), -1.0)
    st_piece = np.concatenate([station_piece, station_piece[both]])
    st_dist = np.concatenate([dist, dist[both]])
    st_side = np.concatenate([side, np.ones(int(both.sum()))])
    st_order = np.concatenate([order, order[both]])
    geom = lines[st_piece]
    eps = np.minimum(1.0, np.maximum(length[st_piece] / 4, 1e-3))
    a = shapely.get_coordinates(shapely.line_interpolate_point(geom, np.maximum(st_dist - eps,
                                                                               0)))
    b = shapely.get_coordinates(shapely.line_interpolate_point(geom, st_dist + eps))
    c = shapely.get_coordinates(shapely.line_interpolate_point(geom, st_dist))
    t = b - a
    t /= np.maximum(np.hypot(t[:, 0], t[:, 1]), 1e-9)[:, None]
    normal = np.column_stack([-t[:, 1], t[:, 0]])
    setback = float(rules.get("setback_m", 0.75))
    offset = width[feat[st_piece]] / 2 + setback
    xy = c + normal * (st_side * offset)[:, None]
    pole_piece = st_piece
    counts: dict[str, int] = {"planned_positions": len(xy)}
    # merge planned poles of neighbouring pieces standing almost on one spot
    min_sep = float(rules.get("min_separation_m", 6.0))
    keep = np.ones(len(xy), bool)
    if len(xy) > 1:
        pairs = cKDTree(xy).query_pairs(min_sep, output_type="ndarray")
        keep[pairs[:, 1]] = False
        keep[pairs[:, 0]] = True
    counts["duplicates_dropped"] = int((~keep).sum())
    # not on any carriageway (centreline buffer width / 2)
    road_lines = shapely.linestrings(verts, indices=np.repeat(np.arange(len(part_feature)),
                                                              np.diff(roads.vertex_offsets)))
    carriage = shapely.buffer(road_lines, width[part_feature] / 2)
    pts = shapely.points(xy)
    tree = shapely.STRtree(carriage)
    hit = tree.query(pts, predicate="intersects")
    on_road = np.zeros(len(xy), bool)
    on_road[hit[0]] = True
    counts["on_carriageway_dropped"] = int((on_road & keep).sum())
    keep &= ~on_road
    excluded = np.zeros(len(xy), bool)
    if exclusion is not None and len(exclusion):
        hit = shapely.STRtree(exclusion).query(pts, predicate="intersects")
        excluded[hit[0]] = True
    counts["excluded"] = int((excluded & keep).sum())
    keep &= ~excluded
    if progress:
        progress(0.6)
    xy, pole_piece, st_order = xy[keep], pole_piece[keep], st_order[keep]
    feat_p = feat[pole_piece]
    status = np.full(len(xy), "new", dtype=object)
    ex_index = np.full(len(xy), -1, np.int64)
    extra_xy = np.zeros((0, 2))
    extra_ex = np.zeros(0, np.int64)
    if existing is not None and existing.n_features:
        exy = np.asarray(existing.vertices[: existing.n_features, :2], float)
        kinds = np.array([str(v or "") for v in existing.columns.get(
            "kind", [""] * existing.n_features)])
        states = np.array([str(v or "").lower() for v in existing.columns.get(
            "state", [""] * existing.n_features)])
        usable = ~np.isin(states, rules.get("unusable_states", ["poor", "damaged", "broken"]))
        planned_tree, ex_tree = cKDTree(xy), cKDTree(exy)
        d_pe, near_e = ex_tree.query(xy, distance_upper_bound=merge_tolerance_m)
        _d_ep, near_p = planned_tree.query(exy, distance_upper_bound=merge_tolerance_m)
        found = np.isfinite(d_pe)
        mutual = np.zeros(len(xy), bool)
        mutual[found] = near_p[near_e[found]] == np.flatnonzero(found)
        mutual[found] &= usable[near_e[found]]
        ex_index[mutual] = near_e[mutual]
        xy[mutual] = exy[near_e[mutual]]
        status[mutual] = "merged"
        merged_ex = np.zeros(len(exy), bool)
        merged_ex[ex_index[mutual]] = True
        kept = ~merged_ex & usable & np.isin(kinds, keep_kinds)
        removed = ~merged_ex & ~kept
        counts.update(existing=len(exy), merged=int(merged_ex.sum()), kept=int(kept.sum()),
                      removed=int(removed.sum()), unusable=int((~usable).sum()))
        extra_ex = np.flatnonzero(kept)
        extra_xy = exy[extra_ex]
        removed_index = np.flatnonzero(removed)
    else:
        removed_index = np.zeros(0, np.int64)
        counts.update(existing=0, merged=0, kept=0, removed=0, unusable=0)
    n_new = len(xy)
    all_xy = np.vstack([xy, extra_xy])
    road_of = np.concatenate([feat_p, _nearest_road(road_lines, part_feature, extra_xy)])
    rc = klass[road_of] if len(road_of) else np.zeros(0, str)
    h = np.array([class_rule(rules, c)["height_m"] for c in rc], float)
    arr_names = np.array(ARRANGEMENTS, dtype=object)
    arr = np.concatenate([arr_names[arrangement[pole_piece]],
                          np.full(len(extra_xy), "existing", dtype=object)])
    status = np.concatenate([status, np.full(len(extra_xy), "reused", dtype=object)])
    ex_all = np.concatenate([ex_index, extra_ex])
    counts["new"] = int((status[:n_new] == "new").sum())
    counts["poles"] = len(all_xy)
    # junction points: keys shared by 2+ parts
    jk = np.flatnonzero(cut["parts_at_key"] >= 2)
    junction_xy = cut["keys"][jk] * snap
    jclasses: list[set[str]] = [set() for _ in jk]
    pos = {int(k): i for i, k in enumerate(jk)}
    key_feat = np.unique(np.column_stack([cut["key"], part_feature[cut["part"]]]), axis=0)
    for k, f in key_feat[np.isin(key_feat[:, 0], jk)]:
        jclasses[pos[int(k)]].add(str(klass[f]))
    return Layout(all_xy, road_of, rc, h, arr, status, ex_all, junction_xy.astype(float),
                  jclasses, counts, warnings, removed_index)


def _nearest_road(lines: Any, part_feature: np.ndarray, xy: np.ndarray) -> np.ndarray:
    import shapely

    if not len(xy):
        return np.zeros(0, np.int64)
    tree = shapely.STRtree(lines)
    nearest = tree.nearest(shapely.points(xy))
    return part_feature[np.asarray(nearest, np.int64)]


def _num(value: Any, default: float) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return default
    return out if np.isfinite(out) and out > 0 else default


def max_gaps(layout: Layout, roads: Any) -> np.ndarray:
    """Largest distance along each road between consecutive planned poles (checks)."""
    import shapely

    lines = shapely.linestrings(roads.vertices[:, :2], indices=np.repeat(
        np.arange(len(roads.vertex_offsets) - 1), np.diff(roads.vertex_offsets)))
    feat = roads.feature_of_part()
    out = np.zeros(roads.n_features)
    sel = layout.status != "reused"
    proj = shapely.line_locate_point(lines[np.searchsorted(feat, layout.road[sel])],
                                     shapely.points(layout.xy[sel]))
    road = layout.road[sel]
    order = np.lexsort([proj, road])
    r, p = road[order], proj[order]
    same = r[1:] == r[:-1]
    gaps = np.diff(p)[same]
    np.maximum.at(out, r[1:][same], gaps)
    return out
