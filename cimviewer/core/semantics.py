"""Semantic surface codes shared by readers, styles and renderers.

Triangles carry a small integer code instead of a string so that a whole city's
semantics fit in one ``uint8`` array.
"""

from __future__ import annotations

import numpy as np

#: Code 0 means "no semantic surface". Order is part of the file format of caches: append only.
SEMANTIC_NAMES: tuple[str, ...] = (
    "",
    "RoofSurface",
    "WallSurface",
    "GroundSurface",
    "ClosureSurface",
    "OuterCeilingSurface",
    "OuterFloorSurface",
    "Window",
    "Door",
    "InteriorWallSurface",
    "CeilingSurface",
    "FloorSurface",
    "WaterSurface",
    "WaterGroundSurface",
    "WaterClosureSurface",
    "TrafficArea",
    "AuxiliaryTrafficArea",
    "TransportationMarking",
    "TransportationHole",
)
OTHER_SEMANTIC = 255
SEMANTIC_CODES: dict[str, int] = {name: i for i, name in enumerate(SEMANTIC_NAMES) if name}

#: Default colours (RGB 0-255) per semantic code, used by the "semantic" style.
SEMANTIC_COLORS = np.full((256, 3), 200, dtype=np.uint8)
SEMANTIC_COLORS[0] = (214, 210, 200)
SEMANTIC_COLORS[SEMANTIC_CODES["RoofSurface"]] = (196, 78, 62)
SEMANTIC_COLORS[SEMANTIC_CODES["WallSurface"]] = (232, 226, 210)
SEMANTIC_COLORS[SEMANTIC_CODES["GroundSurface"]] = (120, 110, 100)
SEMANTIC_COLORS[SEMANTIC_CODES["ClosureSurface"]] = (180, 180, 180)
SEMANTIC_COLORS[SEMANTIC_CODES["Window"]] = (110, 160, 210)
SEMANTIC_COLORS[SEMANTIC_CODES["Door"]] = (140, 100, 60)
SEMANTIC_COLORS[SEMANTIC_CODES["WaterSurface"]] = (70, 130, 200)
SEMANTIC_COLORS[SEMANTIC_CODES["TrafficArea"]] = (90, 90, 95)
SEMANTIC_COLORS[SEMANTIC_CODES["AuxiliaryTrafficArea"]] = (150, 150, 140)


def semantic_code(name: str) -> int:
    """Code for a semantic surface type; unknown (e.g. extension) types map to 255."""
    return SEMANTIC_CODES.get(name, OTHER_SEMANTIC)
