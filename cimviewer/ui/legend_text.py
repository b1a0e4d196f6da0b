"""Legends in the user's language: the core makes them in English (object types, point
cloud classes, "… 3 more"); the Legend panel and the view's legend both show them
through :func:`translated`, so the two always read the same."""

from __future__ import annotations

import re
from dataclasses import replace

from PySide6.QtCore import QCoreApplication

from cimviewer.core.layers import Layer, PointCloudLayer
from cimviewer.core.legend import LegendSpec, layer_legend
from cimviewer.core.styling import MORE_CATEGORIES, TYPE_FIELD

_MORE = re.compile("^" + re.escape(MORE_CATEGORIES).replace(r"\{0\}", r"(\d+)") + "$")


def translated(spec: LegendSpec, layer: Layer | None) -> LegendSpec:
    """``spec`` with its attribute and row labels as the user's language says them."""
    label = spec.attribute_label
    names: dict[str, str] = {}
    if isinstance(layer, PointCloudLayer):
        from cimviewer.ui.pointcloud_names import asprs_class_labels, color_mode_labels

        label = label or color_mode_labels().get(spec.attribute, "")
        names = asprs_class_labels()
    elif spec.attribute == TYPE_FIELD and not label:
        label = QCoreApplication.translate("Legend", "object type")
    rows = [(_row_label(text, names), rgb) for text, rgb in spec.rows]
    return replace(spec, rows=rows, attribute_label=label)


def shown_legend(layer: Layer | None) -> LegendSpec:
    """The legend of the layer's style, translated."""
    return translated(layer_legend(layer), layer)


def _row_label(text: str, names: dict[str, str]) -> str:
    if text in names:
        return names[text]
    more = _MORE.match(text)
    if more:
        return QCoreApplication.translate("Legend", "… {0} more").format(more.group(1))
    return text
