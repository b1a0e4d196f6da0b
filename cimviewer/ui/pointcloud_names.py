"""Translated names of point cloud colour modes and ASPRS classes (the core keeps the
English names; the legend and the layer panel show these)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def color_mode_labels() -> dict[str, str]:
    """Colour mode key -> label."""
    return {
        "rgb": QCoreApplication.translate("PointCloud", "RGB colours"),
        "intensity": QCoreApplication.translate("PointCloud", "Intensity"),
        "classification": QCoreApplication.translate("PointCloud", "Classification"),
        "height": QCoreApplication.translate("PointCloud", "Height"),
    }


def asprs_class_labels() -> dict[str, str]:
    """English ASPRS class name (as in cimviewer.core.pointcloud) -> label."""
    return {
        "Never classified": QCoreApplication.translate("PointCloud", "Never classified"),
        "Unassigned": QCoreApplication.translate("PointCloud", "Unassigned"),
        "Ground": QCoreApplication.translate("PointCloud", "Ground"),
        "Low vegetation": QCoreApplication.translate("PointCloud", "Low vegetation"),
        "Medium vegetation": QCoreApplication.translate("PointCloud", "Medium vegetation"),
        "High vegetation": QCoreApplication.translate("PointCloud", "High vegetation"),
        "Building": QCoreApplication.translate("PointCloud", "Building"),
        "Low point (noise)": QCoreApplication.translate("PointCloud", "Low point (noise)"),
        "Model key point": QCoreApplication.translate("PointCloud", "Model key point"),
        "Water": QCoreApplication.translate("PointCloud", "Water"),
        "Rail": QCoreApplication.translate("PointCloud", "Rail"),
        "Road surface": QCoreApplication.translate("PointCloud", "Road surface"),
        "Overlap": QCoreApplication.translate("PointCloud", "Overlap"),
        "Wire guard (shield)": QCoreApplication.translate("PointCloud", "Wire guard (shield)"),
        "Wire conductor (phase)":
            QCoreApplication.translate("PointCloud", "Wire conductor (phase)"),
        "Transmission tower": QCoreApplication.translate("PointCloud", "Transmission tower"),
        "Wire-structure connector":
            QCoreApplication.translate("PointCloud", "Wire-structure connector"),
        "Bridge deck": QCoreApplication.translate("PointCloud", "Bridge deck"),
        "High noise": QCoreApplication.translate("PointCloud", "High noise"),
    }
