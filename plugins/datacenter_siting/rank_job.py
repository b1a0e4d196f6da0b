"""The ``rank`` run on plain data: sites -> derived columns -> constraints -> weights ->
scores, ranks, contributions, stability. No framework types here except Table."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cimviewer.api import Table
from datacenter_siting.ahp import CR_LIMIT, AhpResult, ahp_weights, read_matrix, worst_message
from datacenter_siting.constraints import apply_constraints, parse_constraints
from datacenter_siting.criteria import Criterion, check_weights, parse_criteria, parse_weights
from datacenter_siting.decision import Decision, decide
from datacenter_siting.derive import (
    add_caps,
    add_latency,
    add_pue,
    add_substations,
    parse_caps,
)
from datacenter_siting.sensitivity import (
    Stability,
    monte_carlo_weight_sets,
    oat_weight_sets,
    rank_reversals,
    stability,
)
from datacenter_siting.sites import Sites, SitesError


@dataclass
class RankResult:
    sites: Sites
    criteria: list[Criterion]
    weights: np.ndarray
    ahp: AhpResult | None
    feasible: np.ndarray
    reasons: list[str]
    decision: Decision
    method: str
    monte_carlo: Stability | None
    oat: Stability | None
    reversals: list[tuple[int, int, int]]
    warnings: list[str]
    #: with ``added_site``: its index and the pairs (a, b) of the other ranked sites whose
    #: order flips when it is added (a was above b without it)
    added: tuple[int, list[tuple[int, int]]] | None = None


def prepare(sites: Sites, pue_caps: str | None = None, demand: Sites | None = None,
            route_factor: float = 1.5, hop_ms: float = 0.1,
            substations: tuple[np.ndarray, np.ndarray | None] | None = None) -> list[str]:
    """Add the derived columns the sites allow; notes on what was derived."""
    notes = []
    if substations is not None:
        add_substations(sites, *substations)
        notes.append("substation_m (and substation_capacity) from the nearest substation")
    if add_pue(sites):
        notes.append("pue_est and free_cooling_h estimated from the monthly climate normals")
    if add_caps(sites, parse_caps(pue_caps)):
        notes.append("pue_cap from each site's policy_class")
    if demand is not None:
        add_latency(sites, demand, route_factor, hop_ms)
        notes.append(f"latency_ms to {demand.n} demand centres (route factor "
                     f"{route_factor:g}, {hop_ms:g} ms per hop)")
    return notes


def choose_weights(criteria: list[Criterion], weights: str | None,
                   ahp_matrix: Path | None) -> tuple[np.ndarray, AhpResult | None, list[str]]:
    names = [c.name for c in criteria]
    if weights and ahp_matrix:
        raise ValueError("weights, ahp_matrix: give one of them, not both")
    if ahp_matrix:
        result = ahp_weights(read_matrix(ahp_matrix), names)
        warn = [worst_message(result, names)] if result.cr >= CR_LIMIT else []
        return result.weights, result, warn
    if weights:
        return check_weights(parse_weights(weights), criteria), None, []
    return np.full(len(criteria), 1.0 / len(criteria)), None, []


def rank_sites(sites: Sites, criteria_text: str, method: str = "wlc",
               weights: str | None = None, ahp_matrix: Path | None = None,
               constraints: str | None = None, runs: int = 500, spread: float = 0.3,
               seed: int = 0, reversal_check: bool = True,
               added_site: str | None = None) -> RankResult:
    criteria = parse_criteria(criteria_text)
    values = np.column_stack([sites.column(c.name) for c in criteria])
    w, ahp, warnings = choose_weights(criteria, weights, ahp_matrix)
    feasible, reasons = apply_constraints(parse_constraints(constraints), sites.numeric_view(),
                                          sites.n)
    missing = feasible & ~np.isfinite(values).all(axis=1)
    for i in np.flatnonzero(missing):
        names = [c.name for j, c in enumerate(criteria) if not np.isfinite(values[i, j])]
        reasons[i] = f"no value for {', '.join(names)}"
    feasible &= ~missing
    decision = decide(values, criteria, w, method, feasible)
    mc = oat = None
    reversals: list[tuple[int, int, int]] = []
    if feasible.sum() >= 2 and len(criteria) >= 2:
        if runs > 0:
            mc = stability(values, criteria, w, monte_carlo_weight_sets(w, runs, spread, seed),
                           method, feasible)
        oat = stability(values, criteria, w, oat_weight_sets(w)[0], method, feasible)
        if reversal_check and feasible.sum() <= 300:
            reversals = rank_reversals(values, criteria, w, method, feasible)
    if not feasible.any():
        warnings.append("no site passes the constraints: nothing is ranked")
    added = None
    if added_site:
        added = added_reversals(sites, added_site, values, criteria, w, method, feasible,
                                reasons)
    return RankResult(sites, criteria, w, ahp, feasible, reasons, decision, method, mc, oat,
                      reversals, warnings, added)


def added_reversals(sites: Sites, site_id: str, values: np.ndarray,
                    criteria: list[Criterion], weights: np.ndarray, method: str,
                    feasible: np.ndarray, reasons: list[str]
                    ) -> tuple[int, list[tuple[int, int]]]:
    """Rank the other feasible sites without ``site_id``, then with it: the flipped pairs
    (site indices)."""
    from datacenter_siting.sensitivity import added_site_reversals

    match = [i for i, sid in enumerate(sites.ids) if str(sid) == str(site_id).strip()]
    if not match:
        raise SitesError(f"added_site: no site with id {site_id!r}")
    k = match[0]
    if not feasible[k]:
        raise SitesError(f"added_site: site {site_id!r} is excluded ({reasons[k]})")
    others = np.flatnonzero(feasible & (np.arange(sites.n) != k))
    flips = added_site_reversals(values[others], values[k], criteria, weights, method)
    return k, [(int(others[a]), int(others[b])) for a, b in flips]


def ranking_records(result: RankResult) -> list[dict[str, Any]]:
    """``{id, score, rank}`` per site in site order; excluded sites: score and rank None."""
    d = result.decision
    return [{"id": sid,
             "score": round(float(d.scores[i]), 9) if result.feasible[i] else None,
             "rank": int(d.ranks[i]) if result.feasible[i] else None}
            for i, sid in enumerate(result.sites.ids)]


def ranked_table(result: RankResult) -> Table:
    """Sites by rank (excluded last): raw value, standardised value and contribution of
    each criterion, and the constraint that excluded a site."""
    d, sites = result.decision, result.sites
    order = sorted(range(sites.n), key=lambda i: (d.ranks[i] == 0, d.ranks[i], i))
    cols: dict[str, list[Any]] = {"id": [sites.ids[i] for i in order],
                                  "rank": [int(d.ranks[i]) or None for i in order],
                                  "score": [_num(d.scores[i]) for i in order],
                                  "excluded_by": [result.reasons[i] for i in order]}
    if "name" in sites.columns:
        cols["name"] = [sites.columns["name"][i] for i in order]
    for j, c in enumerate(result.criteria):
        raw = sites.column(c.name)
        cols[c.name] = [_num(raw[i]) for i in order]
        cols[f"s_{c.name}"] = [_num(d.standardised[i, j]) for i in order]
        cols[f"c_{c.name}"] = [_num(d.contributions[i, j]) for i in order]
    return Table(cols)


def stability_table(result: RankResult) -> Table:
    """Per ranked site, best first: base rank, share of Monte Carlo runs with the same rank and at
    rank 1, rank range over Monte Carlo and one-at-a-time changes."""
    idx = np.flatnonzero(result.feasible)
    order = np.argsort(result.decision.ranks[idx], kind="stable")  # best first
    cols: dict[str, list[Any]] = {"id": [result.sites.ids[i] for i in idx[order]],
                                  "rank": [int(result.decision.ranks[i]) for i in idx[order]]}
    for label, st in (("mc", result.monte_carlo), ("oat", result.oat)):
        if st is None:
            continue
        cols[f"{label}_same_rank_share"] = [round(float(v), 4)
                                            for v in st.same_rank_share[order]]
        cols[f"{label}_top_share"] = [round(float(v), 4) for v in st.top_share[order]]
        cols[f"{label}_rank_min"] = [int(v) for v in st.rank_min[order]]
        cols[f"{label}_rank_max"] = [int(v) for v in st.rank_max[order]]
    return Table(cols)


def _num(value: float) -> float | None:
    return round(float(value), 6) if np.isfinite(value) else None


NOT_CRITERIA = {"id", "x", "y", "lon", "lat", "rh", "weight"}


def candidate_columns(values: dict[str, Any]) -> list[str]:
    """Numeric columns of the sites in the form ``values`` (after the derived ones are
    added) that can serve as criteria; raw climate columns and positions left out."""
    from datacenter_siting.algorithms import load_sites, substation_arrays
    from datacenter_siting.sites import read_sites

    sites = load_sites(values)
    demand = read_sites(values["demand"]) if values.get("demand") else None
    prepare(sites, values.get("pue_caps"), demand, float(values.get("route_factor") or 1.5),
            float(values.get("hop_ms") or 0.1),
            substation_arrays(values.get("substations"), values.get("capacity_field")))
    out = []
    for name in sites.numeric_view():
        monthly = len(name) in (3, 4) and name[:-2] in ("t", "rh") and name[-2:].isdigit()
        if name in NOT_CRITERIA or monthly or name.endswith("_id"):
            continue
        if np.isfinite(sites.column(name)).any():
            out.append(name)
    return out
