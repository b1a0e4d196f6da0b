"""The ranking explained in words (Markdown) and as a PDF (``cimviewer.api``'s writer).

Every phrase goes through ``tr`` so the dock can pass the plugin's translations."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from cimviewer.api import Table, write_pdf_report
from datacenter_siting.rank_job import RankResult

Tr = Callable[[str], str]


def _same(text: str) -> str:
    return text


def rank_report(result: RankResult, tr: Tr = _same) -> str:
    d, sites = result.decision, result.sites
    method = {"wlc": tr("weighted linear combination (WLC)"),
              "topsis": tr("TOPSIS (closeness to the ideal site)")}[result.method]
    n_ok = int(result.feasible.sum())
    lines = [f"# {tr('Data-center site ranking')}", "",
             tr("Method: {0}.").format(method),
             tr("{0} of {1} sites pass the hard constraints and are ranked.").format(
                 n_ok, sites.n), "", f"## {tr('Criteria and weights')}", ""]
    for c, w in zip(result.criteria, result.weights, strict=True):
        lines.append(f"- {c.name}: {tr(c.direction)}, {tr('standardisation')} "
                     f"{c.function()}, {tr('weight')} {w:.3f}")
    if result.ahp is not None:
        lines += ["", tr("AHP: lambda_max {0:.3f}, consistency ratio {1:.3f}.").format(
            result.ahp.lambda_max, result.ahp.cr)]
    for warning in result.warnings:
        lines += ["", f"**{tr('Warning')}:** {warning}"]
    order = [i for i in np.argsort(d.ranks) if d.ranks[i] > 0]
    lines += ["", f"## {tr('Ranking')}", ""]
    for i in order[:10]:
        parts = sorted(range(len(result.criteria)), key=lambda j: -d.contributions[i, j])
        best = ", ".join(f"{result.criteria[j].name} {d.contributions[i, j]:.3f}"
                         for j in parts[:2])
        lines.append(f"{int(d.ranks[i])}. {_label(sites, i)}: {tr('score')} "
                     f"{d.scores[i]:.3f} ({tr('largest contributions')}: {best})")
    excluded = [i for i in range(sites.n) if not result.feasible[i]]
    if excluded:
        lines += ["", f"## {tr('Excluded sites')}", ""]
        lines += [f"- {_label(sites, i)}: {result.reasons[i]}" for i in excluded]
    if result.monte_carlo is not None:
        st = result.monte_carlo
        ids = np.flatnonzero(result.feasible)
        top = int(np.argmax(st.top_share))
        lines += ["", f"## {tr('Sensitivity')}", "",
                  tr("Monte Carlo on the weights: {0} keeps rank 1 in {1:.0%} of the runs.")
                  .format(_label(sites, int(ids[top])), st.top_share[top])]
        shaky = [int(ids[k]) for k in np.flatnonzero(st.same_rank_share < 0.5)]
        if shaky:
            lines.append(tr("Sites whose rank changes in most runs: {0}.").format(
                ", ".join(_label(sites, i) for i in shaky[:10])))
    if result.reversals:
        removed = sorted({r[0] for r in result.reversals})
        lines += ["", tr("Rank reversal: removing {0} flips the order of {1} pair(s).").format(
            ", ".join(_label(sites, i) for i in removed[:5]), len(result.reversals))]
    elif result.monte_carlo is not None:
        lines += ["", tr("No rank reversal when any one site is removed.")]
    if result.added is not None:
        k, flips = result.added
        if flips:
            pairs = ", ".join(f"{_label(sites, a)} / {_label(sites, b)}" for a, b in flips[:5])
            lines.append(tr("Adding {0} reverses the order of {1} pair(s): {2}.").format(
                _label(sites, k), len(flips), pairs))
        else:
            lines.append(tr("Adding {0} reverses no pair of the other sites.").format(
                _label(sites, k)))
    return "\n".join(lines)


def _label(sites: Any, i: int) -> str:
    name = sites.columns.get("name", [None] * sites.n)[i]
    return f"{sites.ids[i]} {name}" if name else str(sites.ids[i])


def pdf_tables(table: Table, stability: Table | None, tr: Tr = _same) -> list:
    """(caption, Table) pairs for the PDF: the main columns of the ranked table (headers
    translated; criterion columns keep their names) and the stability table."""
    full = table.columns
    keep = [k for k in ("rank", "id", "name", "score") if k in full]
    keep += [k for k in full if k.startswith("c_")]
    main = Table({(tr(k) if not k.startswith("c_") else k): full[k] for k in keep})
    out = [(tr("Ranked sites and criterion contributions"), main)]
    if stability is not None and stability.n_rows:
        out.append((tr("Rank stability"),
                    Table({tr(k): v for k, v in stability.columns.items()})))
    return out


def write_pdf(path: Path, text: str, table: Table, stability: Table | None,
              tr: Tr = _same) -> Any:
    """The report text and the tables as a PDF (``cimviewer.api.write_pdf_report``)."""
    return write_pdf_report(path, tr("Data-center site ranking"), text,
                            pdf_tables(table, stability, tr))
