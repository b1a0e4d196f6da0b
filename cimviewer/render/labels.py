"""Text labels at points, de-cluttered on screen: one 2D actor for a whole layer.

Each distinct label text is drawn once through FreeType (``vtkTextRenderer``, the CJK
font so Chinese labels show) into an RGBA image and kept; the images of a layer's
labels are packed into one texture atlas, rebuilt only when the set of texts changes
(a sensor's new value draws that one string). Every frame (:meth:`ScreenLabels.place`,
called by the scene before each render, so also for each stripe of a figure) the
anchor points are projected to the screen with numpy and the labels are chosen
greedily by priority, a label that would overlap one already chosen left out; the
chosen ones are drawn as screen-aligned textured quads of one ``vtkTexturedActor2D``
per layer. The scene lays all layers' labels out together (:func:`place_together`):
no label overlaps another, of its own layer or of another.

So a moving frame costs a projection and a few array operations, not a FreeType pass
per label (``vtkLabelPlacementMapper`` rasterized every label on every frame: most
of a touring kiosk frame on a software renderer).
"""

from __future__ import annotations

import numpy as np
import vtkmodules.vtkRenderingFreeType  # noqa: F401  (registers the text renderer)
from vtkmodules.util.numpy_support import numpy_to_vtk, vtk_to_numpy
from vtkmodules.vtkCommonCore import vtkPoints
from vtkmodules.vtkCommonDataModel import vtkImageData, vtkPolyData
from vtkmodules.vtkRenderingCore import (
    vtkPolyDataMapper2D,
    vtkRenderer,
    vtkTextProperty,
    vtkTextRenderer,
    vtkTexture,
    vtkTexturedActor2D,
)

from cimviewer.render.fonts import use_cjk_font
from cimviewer.render.vtk_arrays import cell_array

FONT_SIZE = 13  #: points: pixels at VTK's 72 dpi, times the figure's scale
TEXT_DPI = 72  #: until the render window says otherwise
ATLAS_WIDTH = 1024  #: pixels; the atlas grows in height as labels need
#: the texts drawn and kept beyond those in use (older sensor values, ...) before the
#: cache is trimmed to the texts in use
CACHE_SPARE = 512
#: labels considered per frame at most (the highest priorities): more cannot be told
#: apart on a screen (1,500 dense ones: about 10 ms of de-clutter)
MAX_CANDIDATES = 1500

_renderer = vtkTextRenderer()


def text_image(prop: vtkTextProperty, text: str,
               dpi: int = TEXT_DPI) -> tuple[np.ndarray, tuple[int, int]]:
    """``text`` drawn with ``prop`` (at ``dpi``, as the render window's text): an RGBA
    image (row 0 at the bottom, straight alpha) and the offset of its lower left corner
    from the anchor point, in pixels (the property's justification applied)."""
    image = vtkImageData()
    dims = [0, 0]
    if not text or not _renderer.RenderString(prop, text, image, dims, dpi):
        return np.zeros((0, 0, 4), np.uint8), (0, 0)
    nx, ny, _ = image.GetDimensions()
    pixels = vtk_to_numpy(image.GetPointData().GetScalars()).reshape(ny, nx, -1)
    extent = image.GetExtent()
    w, h = min(dims[0], nx), min(dims[1], ny)
    return np.ascontiguousarray(pixels[:h, :w, :4]), (int(extent[0]), int(extent[2]))


def overlapping_pairs(boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i, j), i < j, of ``boxes`` (n x 4: x0, y0, x1, y1) that overlap.

    A coarse grid of cells as large as the largest box: a box covers at most 2 x 2
    cells, and only boxes sharing a cell are compared (all in arrays)."""
    n = len(boxes)
    if n < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    size = max(float((boxes[:, 2:] - boxes[:, :2]).max()), 1.0)
    lo = np.floor(boxes[:, :2] / size).astype(np.int64)
    hi = np.floor((boxes[:, 2:] - 1e-9) / size).astype(np.int64)
    hi = np.maximum(hi, lo)
    # every box in each of the (up to) 4 cells it covers
    box = np.repeat(np.arange(n), 4)
    dx = np.tile([0, 1, 0, 1], n)
    dy = np.tile([0, 0, 1, 1], n)
    cx, cy = lo[box, 0] + dx, lo[box, 1] + dy
    ok = (cx <= hi[box, 0]) & (cy <= hi[box, 1])
    box, cx, cy = box[ok], cx[ok], cy[ok]
    cell = (cx - cx.min()) * (int(cy.max() - cy.min()) + 1) + (cy - cy.min())
    order = np.argsort(cell, kind="stable")
    box, cell = box[order], cell[order]
    starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
    counts = np.diff(np.r_[starts, len(cell)])
    group_start = np.repeat(starts, counts)
    group_count = np.repeat(counts, counts)
    # each entry against every entry of its cell
    first = np.repeat(np.arange(len(box)), group_count)
    within = np.arange(len(first)) - np.repeat(np.cumsum(group_count) - group_count,
                                               group_count)
    second = group_start[first] + within
    i, j = box[first], box[second]
    keep = i < j
    i, j = i[keep], j[keep]
    b = boxes
    hit = ((b[i, 0] < b[j, 2]) & (b[j, 0] < b[i, 2]) & (b[i, 1] < b[j, 3])
           & (b[j, 1] < b[i, 3]))
    pairs = np.unique(np.column_stack([i[hit], j[hit]]), axis=0).reshape(-1, 2)
    return pairs[:, 0], pairs[:, 1]


def declutter(boxes: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Which of ``boxes`` (n x 4: x0, y0, x1, y1) are drawn when they are taken in
    ``order`` (most important first) and each is left out if it overlaps one taken
    before it; a boolean mask over ``boxes``.

    The same result as the greedy loop, computed in rounds of array operations over
    the overlapping pairs: a label whose more important overlapping labels are all
    decided is decided (kept when none of them is kept); rounds are as many as the
    longest chain of labels waiting for one another, a handful on a screen."""
    n = len(order)
    keep = np.zeros(len(boxes), bool)
    if n == 0:
        return keep
    i, j = overlapping_pairs(boxes[order])  # ranks: i < j, so i is the more important
    kept = np.ones(n, bool)
    undecided = np.zeros(n, bool)
    undecided[j] = True  # labels with a more important rival wait
    kept[j] = False
    while undecided.any():
        live = undecided[j]
        a, b = i[live], j[live]
        blocked = np.bincount(b[kept[a]], minlength=n) > 0
        waiting = np.bincount(b[undecided[a]], minlength=n) > 0
        settle = undecided & (blocked | ~waiting)
        kept |= settle & ~blocked
        undecided &= ~settle
    keep[order[kept]] = True
    return keep


class ScreenLabels:
    """Labels at 3D points, ``FONT_SIZE`` px, dark on a light box of
    ``background_opacity``, above their points, de-cluttered by priority.

    :meth:`set_labels` gives the points (render coordinates), texts and priorities;
    :meth:`place` lays them out for a renderer's current camera (the scene calls it
    before every frame). :attr:`actor` is the one 2D actor to add to the renderer."""

    def __init__(self, background_opacity: float):
        prop = use_cjk_font(vtkTextProperty())
        prop.SetFontSize(FONT_SIZE)
        prop.SetColor(0.05, 0.05, 0.1)
        prop.SetBackgroundColor(1, 1, 1)
        prop.SetBackgroundOpacity(background_opacity)
        prop.SetJustificationToCentered()
        prop.SetVerticalJustificationToBottom()
        self.text_property = prop
        self.scale = 1.0
        self.dpi = TEXT_DPI  #: the render window's, as its other text
        self.points = np.zeros((0, 3))
        self.texts: list[str] = []
        self.priority = np.zeros(0)
        #: text -> (RGBA image, offset of its corner from the anchor), at this scale
        self.cache: dict[str, tuple[np.ndarray, tuple[int, int]]] = {}
        self.rendered = 0  #: texts drawn through FreeType so far (for tests)
        # per label: lower left corner relative to the anchor, size, place in the atlas
        self._offset = np.zeros((0, 2))
        self._size = np.zeros((0, 2))
        self._uv = np.zeros((0, 4))
        self._atlas_texts: list[str] | None = None
        #: indices of the labels drawn by the last :meth:`place`
        self.shown = np.zeros(0, np.int64)
        self.quads = vtkPolyData()
        mapper = vtkPolyDataMapper2D()
        mapper.SetInputData(self.quads)
        mapper.ScalarVisibilityOff()
        self.texture = vtkTexture()
        self.texture.InterpolateOff()  # quads sit on whole pixels: texels map 1:1
        self.texture.RepeatOff()
        self.texture.EdgeClampOn()
        self.actor = vtkTexturedActor2D()
        self.actor.SetMapper(mapper)
        self.actor.SetTexture(self.texture)
        self.actor.SetPickable(False)

    # --- content ------------------------------------------------------------------------
    def set_labels(self, points: np.ndarray, texts: list[str],
                   priority: np.ndarray | None = None) -> None:
        """Labels ``texts`` at ``points`` (n x 3, render coordinates); a higher
        ``priority`` wins a place on screen (by default the earlier label wins)."""
        self.points = np.asarray(points, np.float64).reshape(-1, 3)
        self.priority = (np.zeros(len(self.points)) if priority is None
                         else np.asarray(priority, np.float64))
        if list(texts) != self._atlas_texts:
            self.texts = list(texts)
            self._build_atlas()
        self.actor.Modified()

    def scale_pixels(self, factor: float) -> None:
        """Draw the text ``factor`` times larger (a figure larger than the screen)."""
        self.scale *= factor
        prop = self.text_property
        prop.SetFontSize(max(1, round(FONT_SIZE * self.scale)))
        self.cache.clear()
        self._build_atlas()

    def image_of(self, text: str) -> np.ndarray:
        """The RGBA image ``text`` is drawn from (row 0 at the bottom)."""
        return self._entry(text)[0]

    def _entry(self, text: str) -> tuple[np.ndarray, tuple[int, int]]:
        entry = self.cache.get(text)
        if entry is None:
            entry = text_image(self.text_property, text, self.dpi)
            self.cache[text] = entry
            self.rendered += 1
        return entry

    def _build_atlas(self) -> None:
        """Pack the images of the current texts into one texture (rows of images,
        the tallest first); draw only texts not drawn before."""
        texts = self.texts
        self._atlas_texts = list(texts)
        distinct = list(dict.fromkeys(texts))
        if len(self.cache) > len(distinct) + CACHE_SPARE:  # forget old values
            wanted = set(distinct)
            self.cache = {t: e for t, e in self.cache.items() if t in wanted}
        entries = [self._entry(t) for t in distinct]
        sizes = np.array([(e[0].shape[1], e[0].shape[0]) for e in entries],
                         np.int64).reshape(-1, 2)
        width = max(ATLAS_WIDTH, int(sizes[:, 0].max()) if len(sizes) else 1)
        corner = np.zeros((len(distinct), 2), np.int64)
        x = y = row_h = 0
        for i in np.argsort(-sizes[:, 1], kind="stable"):  # shelves, once per text set
            w, h = sizes[i]
            if x + w > width:
                x, y, row_h = 0, y + row_h + 1, 0
            corner[i] = (x, y)
            x += w + 1
            row_h = max(row_h, h)
        height = max(1, y + row_h)
        atlas = np.zeros((height, width, 4), np.uint8)
        for (cx, cy), (image, _off) in zip(corner, entries, strict=True):
            atlas[cy:cy + image.shape[0], cx:cx + image.shape[1]] = image
        image = vtkImageData()
        image.SetDimensions(width, height, 1)
        image.GetPointData().SetScalars(numpy_to_vtk(atlas.reshape(-1, 4), deep=True))
        self.texture.SetInputData(image)
        self.texture.Modified()
        index = {t: i for i, t in enumerate(distinct)}
        slot = np.array([index[t] for t in texts], np.int64)
        offsets = np.array([e[1] for e in entries], np.float64).reshape(-1, 2)
        self._offset = offsets[slot]
        self._size = sizes[slot].astype(np.float64)
        lo = corner[slot].astype(np.float64)
        self._uv = np.column_stack([lo / (width, height),
                                    (lo + self._size) / (width, height)])

    # --- layout, every frame ------------------------------------------------------------
    def place(self, renderer: vtkRenderer) -> None:
        """Lay the labels out for ``renderer``'s camera: project, cull, de-clutter and
        make the quads of those shown."""
        place_together(renderer, [self])

    def layout(self, renderer: vtkRenderer) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For ``renderer``'s camera: every label's box on screen (n x 4, whole pixels),
        the candidates (on screen, in front), most important first, and the boxes'
        lower left corners."""
        n = len(self.points)
        if not n or not self.actor.GetVisibility() or len(self._size) != n:
            return np.zeros((0, 4)), np.zeros(0, np.int64), np.zeros((0, 2))
        window = renderer.GetRenderWindow()
        dpi = window.GetDPI() if window is not None else TEXT_DPI
        if dpi != self.dpi:  # text sized like the window's other text
            self.dpi = dpi
            self.cache.clear()
            self._build_atlas()
        width, height = renderer.GetSize()
        camera = renderer.GetActiveCamera()
        m = camera.GetCompositeProjectionTransformMatrix(renderer.GetTiledAspectRatio(),
                                                         -1, 1)
        matrix = np.array([[m.GetElement(i, j) for j in range(4)] for i in range(4)])
        h = self.points @ matrix[:3, :3].T + matrix[:3, 3]
        w = self.points @ matrix[3, :3] + matrix[3, 3]
        front = w > 1e-9
        w = np.where(front, w, 1.0)
        screen = np.column_stack([(h[:, 0] / w + 1) * 0.5 * width,
                                  (h[:, 1] / w + 1) * 0.5 * height])
        lo = np.floor(screen + self._offset + 0.5)  # whole pixels: crisp text
        boxes = np.column_stack([lo, lo + self._size])
        inside = (front & (self._size[:, 0] > 0) & (boxes[:, 2] > 0) & (boxes[:, 0] < width)
                  & (boxes[:, 3] > 0) & (boxes[:, 1] < height) & np.isfinite(lo).all(axis=1))
        candidates = np.flatnonzero(inside)
        # most important first; equal priorities: the earlier label
        order = candidates[np.argsort(-self.priority[candidates], kind="stable")]
        return boxes, order[:MAX_CANDIDATES], lo

    def _show(self, shown: np.ndarray, corner: np.ndarray) -> None:
        self.shown = shown
        m = len(shown)
        size = self._size[shown]
        x0, y0 = corner[:, 0], corner[:, 1]
        x1, y1 = x0 + size[:, 0], y0 + size[:, 1]
        xy = np.stack([np.column_stack([x0, y0]), np.column_stack([x1, y0]),
                       np.column_stack([x1, y1]), np.column_stack([x0, y1])], axis=1)
        points = vtkPoints()
        points.SetData(numpy_to_vtk(np.column_stack(
            [xy.reshape(-1, 2), np.zeros(4 * m)]).astype(np.float32), deep=True))
        uv = self._uv[shown]
        u0, v0, u1, v1 = uv[:, 0], uv[:, 1], uv[:, 2], uv[:, 3]
        tcoords = np.stack([np.column_stack([u0, v0]), np.column_stack([u1, v0]),
                            np.column_stack([u1, v1]), np.column_stack([u0, v1])], axis=1)
        quads = vtkPolyData()
        quads.SetPoints(points)
        quads.SetPolys(cell_array(np.arange(4 * m), 4))
        tc = numpy_to_vtk(tcoords.reshape(-1, 2).astype(np.float32), deep=True)
        tc.SetName("tcoords")
        quads.GetPointData().SetTCoords(tc)
        self.quads.ShallowCopy(quads)
        self.quads.Modified()


def place_together(renderer: vtkRenderer, label_sets: list[ScreenLabels]) -> None:
    """Lay out several layers' labels for ``renderer`` so that none overlaps another:
    the sets in the order given win first (the scene gives the top layer first), each
    by its own priorities."""
    if not label_sets:
        return
    layouts = [labels.layout(renderer) for labels in label_sets]
    starts = np.cumsum([0] + [len(boxes) for boxes, _o, _l in layouts])
    if len(layouts) == 1:
        boxes, order = layouts[0][0], layouts[0][1]
    else:
        boxes = np.concatenate([lay[0] for lay in layouts]).reshape(-1, 4)
        order = np.concatenate([lay[1] + start for lay, start in zip(layouts, starts[:-1],
                                                                     strict=True)])
    keep = declutter(boxes, order.astype(np.int64))
    for labels, (_b, _o, lo), start, end in zip(label_sets, layouts, starts[:-1],
                                                 starts[1:], strict=True):
        shown = np.flatnonzero(keep[start:end])
        labels._show(shown, lo[shown])


def placed_labels(data_points: np.ndarray, texts: list[str], background_opacity: float,
                  priority: np.ndarray | None = None) -> ScreenLabels:
    """Labels ``texts`` at ``data_points`` (see :class:`ScreenLabels`)."""
    labels = ScreenLabels(background_opacity)
    labels.set_labels(data_points, texts, priority)
    return labels


__all__ = ["ScreenLabels", "declutter", "overlapping_pairs", "place_together",
           "placed_labels", "text_image"]
