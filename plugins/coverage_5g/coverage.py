"""The coverage job as independent tasks: ``tasks(params)``, ``run_task(spec)``, ``combine``.

A task is one tile of the receiver grid (or one chunk of façade/roof points) and one
group of sites whose ``max_radius_m`` reaches it. Specs and partial results are plain
dicts of numpy arrays and numbers (picklable, no callables), so the same functions run
in-process (:func:`run_local`), on dask (:mod:`coverage_5g.distributed`) or under the
plugin framework. :func:`combine` sorts partials by key and merges them in that order,
so any executor gives bit-identical results.

Per receiver and site: received power P = EIRP(direction) − PL and
RSRP = P − 10 log10(12 N_RB) (power per resource element over the full carrier,
TS 38.215 style with the power spread evenly over all subcarriers). The best server has
the highest RSRP (ties: lowest site index). SINR = P_best / (load · Σ P_other + N) with
co-channel interferers only (same frequency) and N = −174 + 10 log10(BW_Hz) + NF dBm.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from coverage_5g.antenna import gain_towards
from coverage_5g.height_raster import HeightRaster
from coverage_5g.los import trace
from coverage_5g.models import C, knife_edge_loss, path_loss, validity_flags
from coverage_5g.receivers import grid_receivers
from coverage_5g.sites import resolve_sites

DEFAULTS: dict[str, Any] = {
    "model": "umi_street_canyon",
    "diffraction": False,  # True: PL = model's LOS formula + J(ν) of the main obstruction
    "receiver_mode": "street",  # or "area"
    "ue_height_m": 1.5,
    "window": None,  # (r0, r1, c0, c1) of the raster; None = all of it
    "points": None,  # dict from receivers.surface_points (façade / roof samples)
    "penetration_loss_db": 20.0,
    "max_radius_m": 1000.0,
    "noise_figure_db": 7.0,
    "load": 1.0,
    "rsrp_threshold_dbm": -105.0,
    "sinr_threshold_db": 0.0,
    "building_share": 0.5,
    "tile_size": 256,
    "sites_per_task": 16,
    "point_chunk": 65_536,
    "backend": "auto",
}


def noise_dbm(bandwidth_mhz: float, noise_figure_db: float) -> float:
    """Thermal noise −174 dBm/Hz + 10 log10(BW) + NF."""
    return -174.0 + 10.0 * np.log10(bandwidth_mhz * 1e6) + noise_figure_db


def _options(params: dict) -> dict:
    unknown = set(params) - set(DEFAULTS) - {"raster", "sites"}
    if unknown:
        raise ValueError(f"unknown coverage parameters: {', '.join(sorted(unknown))}")
    return {**DEFAULTS, **{k: v for k, v in params.items() if k not in ("raster", "sites")}}


def _meta(raster: HeightRaster, sites: list[dict], opts: dict, window, n_points: int) -> dict:
    carriers = sorted({s["frequency_ghz"] for s in sites})
    carrier_of = [carriers.index(s["frequency_ghz"]) for s in sites]
    return {
        "window": tuple(int(v) for v in window),
        "x0": raster.x0 + window[2] * raster.cell, "y0": raster.y0 - window[0] * raster.cell,
        "cell": raster.cell, "crs": raster.crs, "n_points": n_points,
        "sites": [{k: s[k] for k in ("name", "x", "y", "z", "h_bs", "frequency_ghz",
                                     "bandwidth_mhz", "n_rb", "eirp_peak_dbm", "antenna")}
                  for s in sites],
        "carrier_of_site": carrier_of, "n_carriers": len(carriers),
        "noise_dbm": [noise_dbm(s["bandwidth_mhz"], opts["noise_figure_db"]) for s in sites],
        **{k: opts[k] for k in ("model", "load", "rsrp_threshold_dbm", "sinr_threshold_db",
                                "penetration_loss_db", "building_share", "receiver_mode",
                                "ue_height_m", "max_radius_m", "diffraction")},
    }


def _reaching(sites: list[dict], lo: np.ndarray, hi: np.ndarray, radius: float) -> list[int]:
    """Indices of sites within ``radius`` of the axis-aligned box lo..hi (x, y)."""
    xy = np.array([[s["x"], s["y"]] for s in sites]).reshape(-1, 2)
    gap = np.maximum(np.maximum(lo - xy, xy - hi), 0.0)
    return [int(i) for i in np.flatnonzero(np.hypot(gap[:, 0], gap[:, 1]) <= radius)]


def tasks(params: dict) -> list[dict]:
    """Independent task specs for the job ``params`` (see :data:`DEFAULTS`)."""
    opts = _options(params)
    raster: HeightRaster = params["raster"]
    sites = resolve_sites(params["sites"], raster)
    window = opts["window"] or (0, raster.shape[0], 0, raster.shape[1])
    points = opts["points"]
    n_points = 0 if points is None else len(points["xyz"])
    meta = _meta(raster, sites, opts, window, n_points)
    common = {"raster": raster, "meta": meta, "options": opts}
    group = max(int(opts["sites_per_task"]), 1)
    specs = []

    def add(kind: str, index: int, reach: list[int], extra: dict) -> None:
        chunks = [reach[i:i + group] for i in range(0, len(reach), group)] or [[]]
        for g, ids in enumerate(chunks):
            specs.append({"key": (kind, index, g), "kind": kind, "site_ids": ids,
                          "sites": [sites[i] for i in ids], **extra, **common})

    r0, r1, c0, c1 = window
    ts = int(opts["tile_size"])
    tile = 0
    for r in range(r0, r1, ts):
        for c in range(c0, c1, ts):
            tw = (r, min(r + ts, r1), c, min(c + ts, c1))
            lo = np.array([raster.x0 + tw[2] * raster.cell, raster.y0 - tw[1] * raster.cell])
            hi = np.array([raster.x0 + tw[3] * raster.cell, raster.y0 - tw[0] * raster.cell])
            add("grid", tile, _reaching(sites, lo, hi, opts["max_radius_m"]), {"tile": tw})
            tile += 1
    chunk = int(opts["point_chunk"])
    for k, s in enumerate(range(0, n_points, chunk)):
        sl = slice(s, min(s + chunk, n_points))
        sub = {name: np.asarray(arr)[sl] for name, arr in points.items()}
        lo, hi = sub["xyz"][:, :2].min(axis=0), sub["xyz"][:, :2].max(axis=0)
        add("points", k, _reaching(sites, lo, hi, opts["max_radius_m"]),
            {"range": (sl.start, sl.stop), "points": sub})
    return specs


def site_power(site: dict, raster: HeightRaster, pts: np.ndarray, h_ut: np.ndarray,
               opts: dict, normals: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """RSRP (dBm), received power (dBm), LOS flags and validity flags of one site."""
    dx, dy, dz = pts[:, 0] - site["x"], pts[:, 1] - site["y"], pts[:, 2] - site["z"]
    d2 = np.hypot(dx, dy)
    f = site["frequency_ghz"]
    wavelength = C / (f * 1e9) if opts["diffraction"] else 0.0
    blocked, nu = trace(raster.surface, raster.x0, raster.y0, raster.cell,
                        (site["x"], site["y"], site["z"]), pts, wavelength_m=wavelength,
                        backend=opts["backend"])
    if normals is not None:  # a wall or roof facing away from the site is in its shadow
        blocked |= np.einsum("ij,ij->i", normals, -np.column_stack([dx, dy, dz])) <= 0
    los = ~blocked
    d_model = np.maximum(d2, 1.0)
    if opts["diffraction"]:
        pl = path_loss(opts["model"], f, d_model, site["h_bs"], h_ut, True) + knife_edge_loss(nu)
    else:
        pl = path_loss(opts["model"], f, d_model, site["h_bs"], h_ut, los)
    gain = gain_towards(site, dx, dy, dz) - site["gain_dbi"]
    power = site["eirp_peak_dbm"] + gain - pl
    rsrp = power - 10.0 * np.log10(12 * site["n_rb"])
    flags = validity_flags(opts["model"], f, d2, site["h_bs"], h_ut)
    return {"rsrp": rsrp, "power": power, "los": los, "flags": flags}


def run_task(spec: dict) -> dict:
    """Partial result of one task: best RSRP/server and per-carrier power sums."""
    raster: HeightRaster = spec["raster"]
    opts, meta = spec["options"], spec["meta"]
    normals = None
    if spec["kind"] == "grid":
        pts, mask = grid_receivers(raster, spec["tile"], mode=opts["receiver_mode"],
                                   ue_height_m=opts["ue_height_m"])
        r, c, _ = raster.index(pts[:, 0], pts[:, 1])
        extra: dict[str, Any] = {"tile": spec["tile"], "mask": mask}
    else:
        pts = np.asarray(spec["points"]["xyz"], float)
        normals = np.asarray(spec["points"]["normal"], float)
        r, c, _ = raster.index(pts[:, 0], pts[:, 1])
        extra = {"range": spec["range"], "building": spec["points"]["building"],
                 "area": spec["points"]["area"]}
    h_ut = np.maximum(pts[:, 2] - raster.ground[r, c], 0.0)
    n = len(pts)
    best = np.full(n, -np.inf)
    best_site = np.full(n, -1, np.int32)
    sums = np.zeros((meta["n_carriers"], n))
    above = np.zeros(len(spec["site_ids"]), np.int64)
    los_count = np.zeros(len(spec["site_ids"]), np.int64)
    in_radius = np.zeros(len(spec["site_ids"]), np.int64)
    flag_counts: dict[str, int] = {}
    for j, site in enumerate(spec["sites"]):
        near = np.flatnonzero(np.hypot(pts[:, 0] - site["x"], pts[:, 1] - site["y"])
                              <= opts["max_radius_m"])
        if not len(near):
            continue
        res = site_power(site, raster, pts[near], h_ut[near], opts,
                         None if normals is None else normals[near])
        rsrp = res["rsrp"]
        better = rsrp > best[near]
        best[near[better]] = rsrp[better]
        best_site[near[better]] = site["index"]
        sums[meta["carrier_of_site"][site["index"]], near] += 10.0 ** (res["power"] / 10.0)
        above[j] = int(np.count_nonzero(rsrp >= opts["rsrp_threshold_dbm"]))
        los_count[j] = int(np.count_nonzero(res["los"]))
        in_radius[j] = len(near)
        for key, flag in res["flags"].items():
            if np.any(flag):
                name = f"{site['index']}:{key}"
                flag_counts[name] = flag_counts.get(name, 0) + int(np.count_nonzero(flag))
    return {"key": spec["key"], "kind": spec["kind"], "meta": meta, "site_ids": spec["site_ids"],
            "best_rsrp": best, "best_site": best_site, "sum_mw": sums, "above": above,
            "los": los_count, "in_radius": in_radius, "flags": flag_counts, **extra}


def _merge(acc: dict | None, part: dict) -> dict:
    if acc is None:
        return {"best_rsrp": part["best_rsrp"].copy(), "best_site": part["best_site"].copy(),
                "sum_mw": part["sum_mw"].copy(), "part": part}
    better = part["best_rsrp"] > acc["best_rsrp"]
    acc["best_rsrp"][better] = part["best_rsrp"][better]
    acc["best_site"][better] = part["best_site"][better]
    acc["sum_mw"] += part["sum_mw"]
    return acc


def _sinr(acc: dict, meta: dict, loss_db: float = 0.0) -> np.ndarray:
    """SINR (dB) of the best server; NaN where no site reaches. ``loss_db`` = penetration."""
    site = acc["best_site"]
    ok = site >= 0
    idx = np.where(ok, site, 0)
    n_rb = np.array([s["n_rb"] for s in meta["sites"]] or [1])[idx]
    carrier = np.array(meta["carrier_of_site"] or [0])[idx]
    noise = np.array(meta["noise_dbm"] or [0.0])[idx]
    signal = 10.0 ** ((acc["best_rsrp"] + 10.0 * np.log10(12 * n_rb)) / 10.0)
    total = acc["sum_mw"][carrier, np.arange(len(site))] if len(site) else np.zeros(0)
    interference = meta["load"] * np.maximum(total - signal, 0.0)
    att = 10.0 ** (-loss_db / 10.0)
    with np.errstate(divide="ignore"):
        sinr = 10.0 * np.log10(signal * att / (interference * att + 10.0 ** (noise / 10.0)))
    return np.where(ok, sinr, np.nan).astype(np.float32)


def combine(partials: list[dict]) -> dict:
    """Merge partial results (any order) into rasters, point values and statistics."""
    from coverage_5g.stats import summarize

    parts = sorted(partials, key=lambda p: p["key"])
    if not parts:
        raise ValueError("no partial results to combine")
    meta = parts[0]["meta"]
    r0, r1, c0, c1 = meta["window"]
    shape = (r1 - r0, c1 - c0)
    n_sites = len(meta["sites"])
    rsrp = np.full(shape, np.nan, np.float32)
    server = np.full(shape, -1, np.int16)
    sinr = np.full(shape, np.nan, np.float32)
    mask = np.zeros(shape, bool)
    n_pts = meta["n_points"]
    p_rsrp = np.full(n_pts, np.nan, np.float32)
    p_server = np.full(n_pts, -1, np.int16)
    p_sinr = np.full(n_pts, np.nan, np.float32)
    p_indoor_sinr = np.full(n_pts, np.nan, np.float32)
    p_building = np.full(n_pts, -1, np.int64)
    p_area = np.zeros(n_pts)
    counts = {k: {"grid": np.zeros(n_sites, np.int64), "points": np.zeros(n_sites, np.int64)}
              for k in ("above", "los", "in_radius")}
    flag_counts: dict[str, int] = {}
    accs: dict[tuple, dict] = {}
    for p in parts:
        key = p["key"][:2]
        accs[key] = _merge(accs.get(key), p)
        for k in counts:
            np.add.at(counts[k][p["kind"]], np.asarray(p["site_ids"], np.int64), p[k])
        for name, v in p["flags"].items():
            flag_counts[name] = flag_counts.get(name, 0) + v
    for key in sorted(accs):
        acc = accs[key]
        part = acc["part"]
        best = np.where(acc["best_site"] >= 0, acc["best_rsrp"], np.nan).astype(np.float32)
        if key[0] == "grid":
            tr0, tr1, tc0, tc1 = part["tile"]
            win = (slice(tr0 - r0, tr1 - r0), slice(tc0 - c0, tc1 - c0))
            m = part["mask"]
            mask[win] = m
            rsrp[win][m] = best
            server[win][m] = acc["best_site"]
            sinr[win][m] = _sinr(acc, meta)
        else:
            sl = slice(*part["range"])
            p_rsrp[sl] = best
            p_server[sl] = acc["best_site"]
            p_sinr[sl] = _sinr(acc, meta)
            p_indoor_sinr[sl] = _sinr(acc, meta, meta["penetration_loss_db"])
            p_building[sl] = part["building"]
            p_area[sl] = part["area"]
    result = {
        "rsrp_dbm": rsrp, "best_server": server, "sinr_db": sinr, "mask": mask,
        "transform": (meta["x0"], meta["y0"], meta["cell"]), "crs": meta["crs"],
        "points": {"rsrp_dbm": p_rsrp, "best_server": p_server, "sinr_db": p_sinr,
                   "indoor_rsrp_dbm": p_rsrp - np.float32(meta["penetration_loss_db"]),
                   "indoor_sinr_db": p_indoor_sinr, "building": p_building,
                   "area_m2": p_area},
        "site_counts": counts, "meta": meta,
        "warnings": _warnings(flag_counts, meta),
    }
    result["stats"] = summarize(result)
    return result


def _warnings(flag_counts: dict[str, int], meta: dict) -> list[str]:
    from coverage_5g.models import VALIDITY

    by_key: dict[str, list[tuple[str, int]]] = {}
    for name, n in sorted(flag_counts.items(), key=lambda kv: (kv[0].split(":")[1],
                                                                int(kv[0].split(":")[0]))):
        i, key = name.split(":")
        by_key.setdefault(key, []).append((meta["sites"][int(i)]["name"], n))
    out = []
    for key, items in by_key.items():
        lo, hi = VALIDITY[meta["model"]][key]  # type: ignore[misc]
        total = sum(n for _, n in items)
        rng = f"{lo:g}" if lo == hi else f"{lo:g}-{hi:g}"
        out.append(f"{meta['model']}: {key} outside {rng} for {total} site-receiver pairs "
                   f"({len(items)} sites, e.g. {items[0][0]})")
    return out


def run_local(params: dict) -> dict:
    """The whole job in this process: ``combine([run_task(s) for s in tasks(params)])``."""
    return combine([run_task(spec) for spec in tasks(params)])
