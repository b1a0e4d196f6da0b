"""Coverage statistics: shares above thresholds per site and in total, histograms, CDFs."""

from __future__ import annotations

import numpy as np

RSRP_BINS = np.arange(-150.0, -29.0, 1.0)
SINR_BINS = np.arange(-20.0, 51.0, 1.0)


def histogram(values: np.ndarray, bins: np.ndarray) -> dict[str, list[float]]:
    """Counts per bin (values clipped into the end bins), and the CDF at the bin edges."""
    v = np.asarray(values, float)
    v = v[np.isfinite(v)]
    counts, _ = np.histogram(np.clip(v, bins[0], bins[-1]), bins=bins)
    cdf = np.cumsum(counts) / max(len(v), 1)
    return {"edges": bins.tolist(), "counts": counts.tolist(), "cdf": [0.0, *cdf.tolist()]}


def building_table(points: dict, threshold_dbm: float, share: float) -> dict[str, np.ndarray]:
    """Per building (object index): façade area, area share with indoor RSRP ≥ threshold."""
    b = np.asarray(points["building"], np.int64)
    if not len(b):
        empty = np.zeros(0)
        return {"building": np.zeros(0, np.int64), "facade_m2": empty, "covered_share": empty,
                "mean_indoor_rsrp_dbm": empty, "covered": np.zeros(0, bool)}
    ids, inv = np.unique(b, return_inverse=True)
    area = np.asarray(points["area_m2"], float)
    indoor = np.asarray(points["indoor_rsrp_dbm"], float)
    ok = np.isfinite(indoor) & (indoor >= threshold_dbm)
    total = np.bincount(inv, area, len(ids))
    covered = np.bincount(inv, area * ok, len(ids))
    mw = np.where(np.isfinite(indoor), 10.0 ** (indoor / 10.0), 0.0)
    mean = 10.0 * np.log10(np.maximum(np.bincount(inv, area * mw, len(ids))
                                      / np.maximum(total, 1e-12), 1e-30))
    frac = covered / np.maximum(total, 1e-12)
    return {"building": ids, "facade_m2": total, "covered_share": frac,
            "mean_indoor_rsrp_dbm": mean, "covered": frac >= share}


def summarize(result: dict) -> dict:
    """Totals, per-site rows, per-building coverage and histograms of a combined result."""
    meta = result["meta"]
    thr = meta["rsrp_threshold_dbm"]
    mask = result["mask"]
    rsrp = result["rsrp_dbm"][mask]
    sinr = result["sinr_db"][mask]
    server = result["best_server"][mask]
    n = max(len(rsrp), 1)
    cell_area = meta["cell"] ** 2
    covered = np.isfinite(rsrp) & (rsrp >= thr)
    good_sinr = np.isfinite(sinr) & (sinr >= meta["sinr_threshold_db"])
    pts = result["points"]
    buildings = building_table(pts, thr, meta["building_share"])
    b_server = _building_server(pts, buildings["building"])
    n_b = max(len(buildings["building"]), 1)
    rows = []
    counts = result["site_counts"]
    for i, site in enumerate(meta["sites"]):
        served = server == i
        in_r = counts["in_radius"]["grid"][i]
        rows.append({
            "site": site["name"],
            "receivers_in_radius": int(in_r),
            "los_share": float(counts["los"]["grid"][i] / max(in_r, 1)),
            "area_share_above_threshold": float(counts["above"]["grid"][i] / n),
            "area_share_served": float(np.count_nonzero(served & covered) / n),
            "served_area_m2": float(np.count_nonzero(served & covered) * cell_area),
            "buildings_served": int(np.count_nonzero((b_server == i) & buildings["covered"])),
            "building_share_served": float(
                np.count_nonzero((b_server == i) & buildings["covered"]) / n_b),
        })
    total = {
        "site": "total",
        "receivers": len(rsrp),
        "area_m2": float(len(rsrp) * cell_area),
        "area_share_above_threshold": float(np.count_nonzero(covered) / n),
        "area_share_sinr_above_threshold": float(np.count_nonzero(good_sinr) / n),
        "buildings": len(buildings["building"]),
        "building_share_covered": float(np.count_nonzero(buildings["covered"]) / n_b),
        "median_rsrp_dbm": float(np.nanmedian(rsrp)) if np.isfinite(rsrp).any() else None,
        "median_sinr_db": float(np.nanmedian(sinr)) if np.isfinite(sinr).any() else None,
    }
    return {"total": total, "sites": rows, "buildings": buildings,
            "rsrp_histogram": histogram(rsrp, RSRP_BINS),
            "sinr_histogram": histogram(sinr, SINR_BINS),
            "indoor_rsrp_histogram": histogram(pts["indoor_rsrp_dbm"], RSRP_BINS)}


def _building_server(points: dict, ids: np.ndarray) -> np.ndarray:
    """Site serving the largest façade area of each building (-1 = none)."""
    b = np.asarray(points["building"], np.int64)
    s = np.asarray(points["best_server"], np.int64)
    out = np.full(len(ids), -1, np.int64)
    ok = s >= 0
    if not ok.any():
        return out
    n_sites = int(s.max()) + 1
    inv = np.searchsorted(ids, b[ok])
    area = np.zeros((len(ids), n_sites))
    np.add.at(area, (inv, s[ok]), np.asarray(points["area_m2"], float)[ok])
    has = area.max(axis=1) > 0
    out[has] = area[has].argmax(axis=1)
    return out


def report_markdown(result: dict) -> str:
    """A short markdown report of a combined result."""
    meta, st = result["meta"], result["stats"]
    t = st["total"]
    lines = [
        "# 5G coverage report", "",
        f"Model `{meta['model']}`{' + knife-edge diffraction' if meta['diffraction'] else ''}, "
        f"{len(meta['sites'])} sites, receivers: {meta['receiver_mode']} grid at "
        f"{meta['ue_height_m']:g} m, {meta['cell']:g} m cells, max radius "
        f"{meta['max_radius_m']:g} m, load {meta['load']:g}.", "",
        f"* Area: {t['area_m2'] / 1e6:.3f} km² ({t['receivers']} receivers)",
        f"* RSRP ≥ {meta['rsrp_threshold_dbm']:g} dBm: "
        f"{100 * t['area_share_above_threshold']:.1f} % of the area",
        f"* SINR ≥ {meta['sinr_threshold_db']:g} dB: "
        f"{100 * t['area_share_sinr_above_threshold']:.1f} % of the area",
        f"* Buildings covered indoors (≥ {100 * meta['building_share']:.0f} % of façade, "
        f"{meta['penetration_loss_db']:g} dB penetration): "
        f"{100 * t['building_share_covered']:.1f} % of {t['buildings']}",
    ]
    if t["median_rsrp_dbm"] is not None:
        lines.append(f"* Median RSRP {t['median_rsrp_dbm']:.1f} dBm, median SINR "
                     f"{t['median_sinr_db']:.1f} dB")
    lines += ["", "| site | served area % | LOS % in radius | buildings served |",
              "|---|---:|---:|---:|"]
    lines += [f"| {r['site']} | {100 * r['area_share_served']:.1f} | {100 * r['los_share']:.1f} "
              f"| {r['buildings_served']} |" for r in st["sites"]]
    if result["warnings"]:
        lines += ["", "## Model validity warnings", ""] + [f"* {w}" for w in result["warnings"]]
    return "\n".join(lines) + "\n"
