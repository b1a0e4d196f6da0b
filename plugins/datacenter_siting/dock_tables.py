"""The dock's two editable tables: criteria (direction, standardisation, weight) and the
AHP pairwise matrix (upper triangle edited, lower kept reciprocal, CR shown live).

Qt widgets only; the numbers come from the headless modules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QTableWidget, QTableWidgetItem, QWidget

from datacenter_siting.ahp import CR_LIMIT, AhpError, AhpResult, ahp_weights, judgement_text
from datacenter_siting.criteria import DIRECTIONS, STANDARDISATIONS, Criterion

Tr = Callable[[str], str]
COLUMNS = ("Criterion", "Unit", "Direction", "Standardisation", "Low", "High", "Weight")


class CriteriaTable(QTableWidget):
    """One row per criterion; ``criteria()`` and ``weights()`` read it back."""

    edited = Signal()

    def __init__(self, tr: Tr, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.tr_ = tr
        self.setHorizontalHeaderLabels([tr(c) for c in COLUMNS])
        self.horizontalHeader().setStretchLastSection(True)
        self.itemChanged.connect(lambda _item: self.edited.emit())

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.blockSignals(True)
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            self.setItem(r, 0, QTableWidgetItem(str(row["name"])))
            self.setItem(r, 1, QTableWidgetItem(str(row.get("unit", ""))))
            self.setCellWidget(r, 2, self._combo(DIRECTIONS, row.get("direction", "benefit")))
            self.setCellWidget(r, 3, self._combo(STANDARDISATIONS,
                                                 row.get("standardisation", "minmax")))
            for col, key in ((4, "lo"), (5, "hi"), (6, "weight")):
                value = row.get(key)
                self.setItem(r, col, QTableWidgetItem("" if value is None else f"{value:g}"))
        self.blockSignals(False)
        self.edited.emit()

    def _combo(self, choices: tuple[str, ...], value: str) -> QComboBox:
        combo = QComboBox(self)
        for choice in choices:
            combo.addItem(self.tr_(choice), choice)
        combo.setCurrentIndex(max(0, list(choices).index(value) if value in choices else 0))
        combo.currentIndexChanged.connect(lambda _i: self.edited.emit())
        return combo

    def _text(self, r: int, c: int) -> str:
        item = self.item(r, c)
        return item.text().strip() if item is not None else ""

    def _number(self, r: int, c: int) -> float | None:
        try:
            return float(self._text(r, c))
        except ValueError:
            return None

    def rows(self) -> list[dict[str, Any]]:
        out = []
        for r in range(self.rowCount()):
            out.append({"name": self._text(r, 0), "unit": self._text(r, 1),
                        "direction": self.cellWidget(r, 2).currentData(),
                        "standardisation": self.cellWidget(r, 3).currentData(),
                        "lo": self._number(r, 4), "hi": self._number(r, 5),
                        "weight": self._number(r, 6)})
        return out

    def criteria(self) -> list[Criterion]:
        return [Criterion(row["name"], row["direction"], row["standardisation"], row["lo"],
                          row["hi"], row["unit"]) for row in self.rows()]

    def spec(self) -> str:
        """The ``criteria`` parameter: NAME:direction[:function],..."""
        return ",".join(c.spec() for c in self.criteria())

    def weights_text(self) -> str:
        return ",".join("1" if row["weight"] is None else f"{row['weight']:g}"
                        for row in self.rows())

    def show_weights(self, weights: np.ndarray, editable: bool) -> None:
        self.blockSignals(True)
        for r, w in enumerate(weights):
            item = QTableWidgetItem(f"{w:.4g}")
            if not editable:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.setItem(r, 6, item)
        self.blockSignals(False)


class AhpTable(QTableWidget):
    """The pairwise matrix; the upper triangle is edited, the lower follows as 1/a."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 0, parent)
        self.names: list[str] = []
        self.itemChanged.connect(self._mirror)

    def set_names(self, names: list[str], matrix: np.ndarray | None = None) -> None:
        n = len(names)
        m = np.ones((n, n)) if matrix is None or np.shape(matrix) != (n, n) else matrix
        self.names = list(names)
        self.blockSignals(True)
        self.setRowCount(n)
        self.setColumnCount(n)
        self.setHorizontalHeaderLabels(names)
        self.setVerticalHeaderLabels(names)
        for i in range(n):
            for j in range(n):
                item = QTableWidgetItem(_fmt(m[i, j]))
                if i >= j:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.setItem(i, j, item)
        self.blockSignals(False)
        self.changed.emit()

    def set_judgement(self, i: int, j: int, value: float) -> None:
        """a[i, j] = value (i < j, as a user types it); a[j, i] follows."""
        self.item(i, j).setText(_fmt(value))

    def _mirror(self, item: QTableWidgetItem) -> None:
        i, j = item.row(), item.column()
        if i >= j:
            return
        value = _parse(item.text())
        self.blockSignals(True)
        self.item(j, i).setText(_fmt(1.0 / value) if value and value > 0 else "?")
        self.blockSignals(False)
        self.changed.emit()

    def matrix(self) -> np.ndarray:
        n = self.rowCount()
        m = np.ones((n, n))
        for i in range(n):
            for j in range(n):
                value = _parse(self.item(i, j).text())
                m[i, j] = np.nan if value is None else value
        return m

    def result(self) -> AhpResult | str:
        """The AHP weights and CR, or the one-line reason the matrix is unusable."""
        try:
            return ahp_weights(self.matrix(), self.names)
        except AhpError as exc:
            return str(exc)

    def csv_text(self) -> str:
        return "\n".join(",".join(repr(float(v)) for v in row) for row in self.matrix()) + "\n"


def _parse(text: str) -> float | None:
    text = text.strip()
    try:
        if "/" in text:
            top, bottom = text.split("/")
            return float(top) / float(bottom)
        return float(text)
    except (ValueError, ZeroDivisionError):
        return None


def _fmt(value: float) -> str:
    if value >= 1 or value <= 0:
        return f"{value:g}"
    inverse = 1.0 / value
    return f"1/{inverse:g}" if abs(inverse - round(inverse)) < 1e-9 else f"{value:.4g}"


def cr_text(result: AhpResult | str, names: list[str], tr: Tr) -> tuple[str, bool]:
    """(text for the CR label, whether it is a warning)."""
    if isinstance(result, str):
        return result, True
    text = tr("Consistency ratio CR = {0:.3f} (lambda_max {1:.3f})").format(
        result.cr, result.lambda_max)
    if result.cr >= CR_LIMIT:
        i, j = result.worst
        text += "\n" + tr("CR >= 0.1: check the judgement {0} vs {1}; the others imply "
                          "about {2}").format(names[i], names[j],
                                              judgement_text(result.suggested))
        return text, True
    return text, False
