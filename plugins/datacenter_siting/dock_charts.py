"""The dock's pyqtgraph charts: weights, contributions of each criterion to the best
sites' scores, and the range of each site's rank under weight changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

Tr = Callable[[str], str]
PALETTE = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
           (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207)]
TOP = 10


def _plot(parent: QWidget, title: str, left: str) -> pg.PlotWidget:
    plot = pg.PlotWidget(parent)
    plot.setBackground("w")
    plot.setTitle(title, color="k")
    plot.setLabel("left", left)
    plot.setMinimumHeight(160)
    plot.showGrid(y=True, alpha=0.3)
    plot.getAxis("left").enableAutoSIPrefix(False)
    return plot


def _short(name: str, width: int = 12) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


class Charts:
    """Three plots; ``show`` fills them from the rank outputs."""

    def __init__(self, parent: QWidget, tr: Tr) -> None:
        self.tr_ = tr
        self.weights = _plot(parent, tr("Weights"), tr("weight"))
        self.contributions = _plot(parent, tr("Contributions to the score (best sites)"),
                                   tr("score"))
        self.stability = _plot(parent, tr("Rank range under weight changes (Monte Carlo)"),
                               tr("rank"))
        self.contributions.addLegend(offset=(-5, 5), colCount=2)
        self.weight_bars: pg.BarGraphItem | None = None
        self.contribution_bars: list[pg.BarGraphItem] = []
        self.rank_range: pg.ErrorBarItem | None = None

    def widgets(self) -> list[pg.PlotWidget]:
        return [self.weights, self.contributions, self.stability]

    def clear(self) -> None:
        for plot in self.widgets():
            plot.clear()
        self.weight_bars, self.contribution_bars, self.rank_range = None, [], None

    def show(self, names: list[str], weights: list[float], table: dict[str, list[Any]],
             stability: dict[str, list[Any]]) -> None:
        self.clear()
        ticks = [[(i, _short(n)) for i, n in enumerate(names)]]
        self.weight_bars = pg.BarGraphItem(x=np.arange(len(names)), height=weights, width=0.6,
                                           brush=pg.mkBrush(PALETTE[0]))
        self.weights.addItem(self.weight_bars)
        self.weights.getAxis("bottom").setTicks(ticks)
        ranked = [i for i, r in enumerate(table["rank"]) if r is not None][:TOP]
        base = np.zeros(len(ranked))
        for j, name in enumerate(names):
            values = np.array([table[f"c_{name}"][i] or 0.0 for i in ranked])
            bars = pg.BarGraphItem(x=np.arange(len(ranked)), y0=base, height=values,
                                   width=0.7, brush=pg.mkBrush(PALETTE[j % len(PALETTE)]),
                                   name=name)
            self.contributions.addItem(bars)
            self.contribution_bars.append(bars)
            base = base + values
        self.contributions.getAxis("bottom").setTicks(
            [[(k, str(table["rank"][i])) for k, i in enumerate(ranked)]])
        self.contributions.setLabel("bottom", self.tr_("rank"))
        if len(ranked):  # room above the bars for the legend
            self.contributions.setYRange(0, float(base.max()) * 1.6 or 1.0)
        if "mc_rank_min" in stability and stability["rank"]:
            rank = np.array(stability["rank"], float)
            lo = rank - np.array(stability["mc_rank_min"], float)
            hi = np.array(stability["mc_rank_max"], float) - rank
            self.rank_range = pg.ErrorBarItem(x=rank, y=rank, top=hi, bottom=lo, beam=0.3,
                                              pen=pg.mkPen(PALETTE[3], width=2))
            self.stability.addItem(self.rank_range)
            self.stability.plot(rank, rank, pen=None, symbol="o", symbolSize=6,
                                symbolBrush=pg.mkBrush(PALETTE[0]))
            self.stability.getPlotItem().invertY(True)
            self.stability.setLabel("bottom", self.tr_("rank (base weights)"))
