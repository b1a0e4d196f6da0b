"""Translated names of point cloud colour modes and ASPRS classes (the core keeps the
English names; the legend and the layer panel show these)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def _tr(text: str) -> str:
    return QCoreApplication.translate("PointCloud", text)


def color_mode_labels() -> dict[str, str]:
    """Colour mode key -> label."""
    return {
        "rgb": _tr("RGB colours"),
        "intensity": _tr("Intensity"),
        "classification": _tr("Classification"),
        "height": _tr("Height"),
    }


def asprs_class_labels() -> dict[str, str]:
    """English ASPRS class name (as in cimviewer.core.pointcloud) -> label."""
    return {
        "Never classified": _tr("Never classified"),
        "Unassigned": _tr("Unassigned"),
        "Ground": _tr("Ground"),
        "Low vegetation": _tr("Low vegetation"),
        "Medium vegetation": _tr("Medium vegetation"),
        "High vegetation": _tr("High vegetation"),
        "Building": _tr("Building"),
        "Low point (noise)": _tr("Low point (noise)"),
        "Model key point": _tr("Model key point"),
        "Water": _tr("Water"),
        "Rail": _tr("Rail"),
        "Road surface": _tr("Road surface"),
        "Overlap": _tr("Overlap"),
        "Wire guard (shield)": _tr("Wire guard (shield)"),
        "Wire conductor (phase)": _tr("Wire conductor (phase)"),
        "Transmission tower": _tr("Transmission tower"),
        "Wire-structure connector": _tr("Wire-structure connector"),
        "Bridge deck": _tr("Bridge deck"),
        "High noise": _tr("High noise"),
    }
