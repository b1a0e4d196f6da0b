"""2D overlays drawn over the 3D view: legend, north arrow, scale bar."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from vtkmodules.vtkCommonCore import vtkPoints, vtkUnsignedCharArray
from vtkmodules.vtkCommonDataModel import vtkCellArray, vtkPolyData
from vtkmodules.vtkRenderingAnnotation import vtkLegendBoxActor
from vtkmodules.vtkRenderingCore import (
    vtkActor2D,
    vtkPolyDataMapper2D,
    vtkRenderer,
    vtkTextActor,
    vtkTextProperty,
)

from cimviewer.render.fonts import use_cjk_font


@dataclass(frozen=True)
class FigureFrame:
    """Where the overlays are laid out: the whole picture's size in pixels, the corner
    of the part the renderer draws now (a stripe of a large export), and how much
    larger than on screen the overlays are drawn (2 for an export at twice the size)."""

    width: int
    height: int
    x0: int = 0
    y0: int = 0
    scale: float = 1.0

    @classmethod
    def of(cls, renderer: vtkRenderer) -> FigureFrame:
        """The renderer's own frame: the whole picture at screen size."""
        width, height = renderer.GetSize()
        return cls(width, height)


def _square(rgb: tuple[int, int, int] | None = None) -> vtkPolyData:
    """A unit square; with ``rgb`` its colour as cell scalars (so the legend text can keep
    its own dark colour: vtkLegendBoxActor paints the text in the entry colour)."""
    points = vtkPoints()
    for x, y in ((0, 0), (1, 0), (1, 1), (0, 1)):
        points.InsertNextPoint(x, y, 0)
    cells = vtkCellArray()
    cells.InsertNextCell(4, [0, 1, 2, 3])
    poly = vtkPolyData()
    poly.SetPoints(points)
    poly.SetPolys(cells)
    if rgb is not None:
        colors = vtkUnsignedCharArray()
        colors.SetNumberOfComponents(3)
        colors.InsertNextTuple3(*rgb)
        poly.GetCellData().SetScalars(colors)
    return poly


def _copy_of(prop: vtkTextProperty) -> vtkTextProperty:
    copy = vtkTextProperty()
    copy.ShallowCopy(prop)
    return use_cjk_font(copy)


class Legend:
    """A box of (label, colour) rows in the lower-right corner."""

    def __init__(self, renderer: vtkRenderer):
        self.actor = vtkLegendBoxActor()
        self.actor.GetPositionCoordinate().SetCoordinateSystemToNormalizedViewport()
        self.actor.BorderOn()
        self.actor.BoxOn()
        self.actor.GetBoxProperty().SetColor(1, 1, 1)
        self.actor.GetBoxProperty().SetOpacity(0.8)
        self.actor.GetEntryTextProperty().SetColor(0.1, 0.1, 0.1)
        self.actor.GetEntryTextProperty().SetFontSize(14)
        use_cjk_font(self.actor.GetEntryTextProperty())
        self.actor.VisibilityOff()
        self.actor.SetPickable(False)
        for coordinate in (self.actor.GetPositionCoordinate(),
                           self.actor.GetPosition2Coordinate()):
            coordinate.SetCoordinateSystemToDisplay()
        renderer.AddViewProp(self.actor)
        self.title = ""
        self.rows: list[tuple[str, tuple[int, int, int]]] = []

    def set_rows(self, title: str, rows: list[tuple[str, tuple[int, int, int]]]) -> None:
        self.title = title
        self.rows = rows
        if not rows:
            self.actor.VisibilityOff()
            return
        entries = [(title, None), *rows]
        self.actor.SetNumberOfEntries(len(entries))
        # a fresh text property: entries added since the last one would keep VTK's
        # default font (no CJK glyphs: a Chinese label came out blank)
        self.actor.SetEntryTextProperty(_copy_of(self.actor.GetEntryTextProperty()))
        for i, (label, color) in enumerate(entries):
            # no entry colour (-1): dark, readable text; the swatch has its own colour
            symbol = _square(color) if color else vtkPolyData()
            self.actor.SetEntry(i, symbol, label, (-1.0, -1.0, -1.0))
        self.actor.VisibilityOn()

    ROW_PX = 22  # the legend keeps the same text size whatever the window's size
    WIDTH_PX = 230

    def update(self, frame: FigureFrame) -> None:
        """Place and size the box in pixels of the frame (before each frame): the same
        size on any window, ``frame.scale`` times larger in an export."""
        if not self.rows or frame.width <= 0 or frame.height <= 0:
            return
        box_w, box_h = self.box_size(frame)
        x = frame.width - box_w - 12 * frame.scale - frame.x0
        y = 40 * frame.scale - frame.y0
        self.actor.GetPositionCoordinate().SetValue(x, y)
        self.actor.GetPosition2Coordinate().SetValue(box_w, box_h)

    def box_size(self, frame: FigureFrame) -> tuple[float, float]:
        """Width and height of the box in the frame's pixels."""
        return (min(self.WIDTH_PX * frame.scale, 0.45 * frame.width),
                min(self.ROW_PX * frame.scale * (len(self.rows) + 1), 0.8 * frame.height))


def _screen_shape(cells: list[list[int]], n_points: int) -> tuple[vtkPoints, vtkActor2D]:
    """A dark 2D polygon actor in display pixels, whose points the caller moves."""
    points = vtkPoints()
    points.SetNumberOfPoints(n_points)
    polys = vtkCellArray()
    for cell in cells:
        polys.InsertNextCell(len(cell), cell)
    poly = vtkPolyData()
    poly.SetPoints(points)
    poly.SetPolys(polys)
    mapper = vtkPolyDataMapper2D()
    mapper.SetInputData(poly)
    actor = vtkActor2D()
    actor.SetMapper(mapper)
    actor.GetProperty().SetColor(0.15, 0.15, 0.2)
    return points, actor


def _move_points(points: vtkPoints, xy: list[tuple[float, float]], last: list) -> None:
    """Set 2D ``points`` to ``xy`` only when they move: a modified prop makes the
    shadow pass bake its shadow map again on the next frame."""
    rounded = [(round(x, 3), round(y, 3)) for x, y in xy]
    if rounded == last:
        return
    for i, (x, y) in enumerate(rounded):
        points.SetPoint(i, x, y, 0)
    points.Modified()
    last[:] = rounded


def _label(size: int) -> vtkTextActor:
    label = vtkTextActor()
    use_cjk_font(label.GetTextProperty())
    label.GetTextProperty().SetFontSize(size)
    label.GetTextProperty().SetColor(0.15, 0.15, 0.2)
    return label


class NorthArrow:
    """An arrow in the upper-right corner that points to grid north as the camera turns."""

    SIZE = 28.0
    FONT_PX = 16

    def __init__(self, renderer: vtkRenderer):
        self.renderer = renderer
        self.points, self.actor = _screen_shape([[0, 1, 3], [1, 2, 3]], 4)
        self.label = _label(self.FONT_PX)
        self.label.SetInput("N")
        self.label.GetTextProperty().BoldOn()
        self.label.GetTextProperty().SetJustificationToCentered()
        self.label.GetTextProperty().SetVerticalJustificationToCentered()
        renderer.AddViewProp(self.actor)
        renderer.AddViewProp(self.label)
        self.heading = 0.0
        self._drawn: list[tuple[float, float]] = []

    def update(self, frame: FigureFrame) -> None:
        """Point the arrow at north (+y) as seen through the current camera."""
        camera = self.renderer.GetActiveCamera()
        forward = np.subtract(camera.GetFocalPoint(), camera.GetPosition())
        up = np.array(camera.GetViewUp())
        right = np.cross(forward, up)
        # screen direction of world +y: its components along the screen's right and up
        screen_up = np.cross(right, forward)
        north = np.array([0.0, 1.0, 0.0])
        sx = float(north @ right) / (np.linalg.norm(right) or 1)
        sy = float(north @ screen_up) / (np.linalg.norm(screen_up) or 1)
        if abs(sx) + abs(sy) < 1e-9:
            sx, sy = 0.0, 1.0
        angle = math.atan2(sx, sy)  # clockwise from screen up
        self.heading = math.degrees(angle)
        k = frame.scale
        # the "N" circles the arrow 40 px out: room for it on every side of the corner
        cx = frame.width - 60.0 * k - frame.x0
        cy = frame.height - 60.0 * k - frame.y0
        s = self.SIZE * k
        self.label.GetTextProperty().SetFontSize(round(self.FONT_PX * k))
        shape = [(0, s), (s * 0.45, -s * 0.6), (0, -s * 0.25), (-s * 0.45, -s * 0.6)]
        c, si = math.cos(angle), math.sin(angle)
        _move_points(self.points, [(cx + x * c + y * si, cy - x * si + y * c)
                                   for x, y in shape], self._drawn)
        self.label.SetPosition(cx + (s + 12 * k) * si, cy + (s + 12 * k) * c)


def nice_length(max_length: float) -> float:
    """The largest 1, 2 or 5 x 10^k not above ``max_length``."""
    if not max_length > 0:
        return 0.0
    exponent = math.floor(math.log10(max_length))
    for step in (5, 2, 1):
        value = step * 10.0**exponent
        if value <= max_length:
            return value
    return 10.0**exponent


def format_length(metres: float) -> str:
    return f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"


class ScaleBar:
    """A bar of a round length (metres at the focal point) in the lower-left corner."""

    MAX_PIXELS = 160.0
    FONT_PX = 14

    def __init__(self, renderer: vtkRenderer):
        self.renderer = renderer
        self.points, self.actor = _screen_shape([[0, 1, 2, 3]], 4)
        self.label = _label(self.FONT_PX)
        renderer.AddViewProp(self.actor)
        renderer.AddViewProp(self.label)
        self.length = 0.0
        self._drawn: list[tuple[float, float]] = []

    def metres_per_pixel(self) -> float:
        """Metres a pixel spans at the focal point (the same in every stripe of an
        export: a stripe's camera narrows its view angle with its height)."""
        camera = self.renderer.GetActiveCamera()
        height = max(self.renderer.GetSize()[1], 1)
        if camera.GetParallelProjection():
            return 2 * camera.GetParallelScale() / height
        distance = camera.GetDistance()
        return 2 * distance * math.tan(math.radians(camera.GetViewAngle()) / 2) / height

    def update(self, frame: FigureFrame) -> None:
        """A round length at most ``MAX_PIXELS`` long (times the frame's scale)."""
        k = frame.scale
        per_px = self.metres_per_pixel()
        self.length = nice_length(self.MAX_PIXELS * k * per_px)
        width = self.length / per_px if per_px > 0 else 0.0
        x0, y0 = 20.0 * k - frame.x0, 20.0 * k - frame.y0
        thick = 5.0 * k
        _move_points(self.points, [(x0, y0), (x0 + width, y0), (x0 + width, y0 + thick),
                                   (x0, y0 + thick)], self._drawn)
        self.label.GetTextProperty().SetFontSize(round(self.FONT_PX * k))
        self.label.SetInput(format_length(self.length))
        self.label.SetPosition(x0, y0 + 9 * k)
