"""The layer panel: visibility, opacity, LoD and zoom-to for every project layer.

Its context menu zooms to a layer, shows and hides parts of a building model (the
storeys of an IFC model one by one, with the elements on them, and its spaces: hidden
at first, they are volumes that hide the elements inside; a storey can also be
selected), and offers the layer actions others add (Join table…).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSlider,
    QSpinBox,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cimviewer.core.layers import CityModelLayer, Layer, PointCloudLayer, RasterLayer
from cimviewer.core.project import Project
from cimviewer.ui.style_panel import StylePanel


class LayerPanel(QWidget):
    zoom_requested = Signal(object)  # Layer
    current_layer_changed = Signal(object)  # Layer or None
    #: the user chose another appearance theme for a city layer: (layer, theme)
    theme_requested = Signal(object, str)
    #: objects to select and fly to: [(layer uid, object index), ...]
    select_requested = Signal(object)

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels([self.tr("Layer"), self.tr("Kind")])
        self.tree.setRootIsDecorated(False)
        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.currentItemChanged.connect(self._on_current_changed)
        self.tree.itemDoubleClicked.connect(lambda item, _col: self._zoom(item))
        #: actions of the context menu, each with the test of the layers it applies to
        self._context_actions: list[tuple[QAction, Callable[[Layer], bool]]] = []
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._show_context_menu)

        self.opacity = QSlider(Qt.Orientation.Horizontal, self)
        self.opacity.setRange(0, 100)
        self.opacity.valueChanged.connect(self._on_opacity)
        self.lod = QComboBox(self)
        self.lod.currentIndexChanged.connect(self._on_lod)
        self.zoom_button = QPushButton(self.tr("Zoom to layer"), self)
        self.zoom_button.clicked.connect(lambda: self._zoom(self.tree.currentItem()))

        self.style_panel = StylePanel(self)
        form = QFormLayout()
        form.addRow(self.tr("Opacity"), self.opacity)
        self.lod_label = QLabel(self.tr("Level of detail"), self)
        form.addRow(self.lod_label, self.lod)
        self.theme = QComboBox(self)
        tip = self.tr("Textures and materials shown (appearance themes of the file)")
        self.theme.setToolTip(tip)
        self.theme.currentIndexChanged.connect(self._on_theme)
        self.theme_label = QLabel(self.tr("Appearance"), self)
        form.addRow(self.theme_label, self.theme)
        # point clouds: colour by RGB, intensity, class or height; point size
        self.color_mode = QComboBox(self)
        self.color_mode.currentIndexChanged.connect(self._on_color_mode)
        form.addRow(self.tr("Colour points by"), self.color_mode)
        self.point_size = QSpinBox(self)
        self.point_size.setRange(1, 20)
        self.point_size.setSuffix(self.tr(" px"))
        self.point_size.valueChanged.connect(self._on_point_size)
        form.addRow(self.tr("Point size"), self.point_size)
        self._form = form
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.zoom_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tree, 1)
        layout.addLayout(form)
        layout.addWidget(self.style_panel)
        layout.addLayout(buttons)

        self._items: dict[str, QTreeWidgetItem] = {}
        for layer in project.layers:
            self._add(layer)
        project.layers.events.inserted.connect(lambda _i, layer: self._add(layer))
        project.layers.events.removed.connect(lambda _i, layer: self._remove(layer))
        self._on_current_changed(self.tree.currentItem(), None)

    def kind_label(self, kind: str) -> str:
        labels = {
            "citymodel": self.tr("City model"),
            "terrain": self.tr("Terrain"),
            "raster": self.tr("Value raster"),
            "vector": self.tr("Vector"),
            "sensors": self.tr("Sensors"),
            "pointcloud": self.tr("Point cloud"),
        }
        return labels.get(kind, kind)

    # --- model -> view ------------------------------------------------------------
    def _add(self, layer: Layer) -> None:
        item = QTreeWidgetItem([layer.name, self.kind_label(layer.kind)])
        item.setData(0, Qt.ItemDataRole.UserRole, layer.uid)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, Qt.CheckState.Checked if layer.visible else Qt.CheckState.Unchecked)
        if layer.kind == "missing":  # data of a saved project that could not be found
            item.setText(1, self.tr("Missing data"))
            item.setIcon(0, self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
            item.setForeground(0, QBrush(QColor(160, 60, 40)))
            item.setToolTip(0, getattr(layer, "reason", ""))
        # newest layer on top, like every GIS
        self.tree.insertTopLevelItem(0, item)
        self._items[layer.uid] = item
        layer.visibility_changed.connect(lambda v, uid=layer.uid: self._sync_visible(uid, v))
        layer.name_changed.connect(lambda name, uid=layer.uid: self._sync_name(uid, name))
        # the first layer, and a result that explains its colours, become current (so
        # the view shows its legend)
        if (self.tree.currentItem() is None or isinstance(layer, RasterLayer)
                or getattr(layer, "legend", None)):
            self.tree.setCurrentItem(item)

    def _remove(self, layer: Layer) -> None:
        item = self._items.pop(layer.uid, None)
        if item is not None:
            self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(item))

    def _sync_visible(self, uid: str, visible: bool) -> None:
        item = self._items.get(uid)
        if item is not None:
            state = Qt.CheckState.Checked if visible else Qt.CheckState.Unchecked
            if item.checkState(0) != state:
                item.setCheckState(0, state)

    def _sync_name(self, uid: str, name: str) -> None:
        item = self._items.get(uid)
        if item is not None:
            item.setText(0, name)

    # --- view -> model ------------------------------------------------------------
    def layer_of(self, item: QTreeWidgetItem | None) -> Layer | None:
        if item is None:
            return None
        return self.project.layer_by_uid(item.data(0, Qt.ItemDataRole.UserRole))

    def item_of(self, layer: Layer) -> QTreeWidgetItem | None:
        return self._items.get(layer.uid)

    def select(self, layer: Layer) -> None:
        """Make ``layer`` the current one (its style and options shown)."""
        item = self.item_of(layer)
        if item is not None:
            self.tree.setCurrentItem(item)

    def current_layer(self) -> Layer | None:
        return self.layer_of(self.tree.currentItem())

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        layer = self.layer_of(item)
        if layer is not None and column == 0:
            layer.visible = item.checkState(0) == Qt.CheckState.Checked

    def _on_current_changed(self, current: QTreeWidgetItem | None, _prev) -> None:
        layer = self.layer_of(current)
        enabled = layer is not None
        self.opacity.setEnabled(enabled)
        self.zoom_button.setEnabled(enabled)
        self.opacity.blockSignals(True)
        self.opacity.setValue(round((layer.opacity if layer else 1.0) * 100))
        self.opacity.blockSignals(False)
        self.lod.blockSignals(True)
        self.lod.clear()
        is_city = isinstance(layer, CityModelLayer)
        if is_city:
            self.lod.addItem(self.tr("Highest available"), None)
            for lod in layer.model.lods:
                self.lod.addItem(self.tr("LoD {0}").format(lod), lod)
            self.lod.setCurrentIndex(max(0, self.lod.findData(layer.lod)))
        self.lod.setEnabled(is_city)
        self.lod.blockSignals(False)
        self.theme.blockSignals(True)
        self.theme.clear()
        themes = layer.model.themes if is_city else []
        for name in themes:
            self.theme.addItem(name, name)
        if is_city and layer.model.theme is not None:
            self.theme.setCurrentIndex(max(0, self.theme.findData(layer.model.theme)))
        self._form.setRowVisible(self.theme, len(themes) > 1)  # a choice, not one theme
        self.theme.blockSignals(False)
        self._show_point_options(layer)
        self.style_panel.set_layer(layer)
        self.current_layer_changed.emit(layer)

    def _show_point_options(self, layer: Layer | None) -> None:
        is_cloud = isinstance(layer, PointCloudLayer)
        for widget in (self.color_mode, self.point_size):
            widget.blockSignals(True)
        self.color_mode.clear()
        if isinstance(layer, PointCloudLayer):
            from cimviewer.ui.pointcloud_names import color_mode_labels

            labels = color_mode_labels()
            for mode in layer.cloud.color_modes():
                self.color_mode.addItem(labels.get(mode, mode), mode)
            self.color_mode.setCurrentIndex(max(0, self.color_mode.findData(layer.color_mode)))
            self.point_size.setValue(round(layer.point_size))
        self._form.setRowVisible(self.color_mode, is_cloud)
        self._form.setRowVisible(self.point_size, is_cloud)
        for widget in (self.color_mode, self.point_size):
            widget.blockSignals(False)

    def _on_color_mode(self, index: int) -> None:
        layer = self.current_layer()
        if isinstance(layer, PointCloudLayer) and index >= 0:
            layer.color_mode = self.color_mode.itemData(index)

    def _on_point_size(self, value: int) -> None:
        layer = self.current_layer()
        if isinstance(layer, PointCloudLayer):
            layer.point_size = float(value)

    def _on_opacity(self, value: int) -> None:
        layer = self.current_layer()
        if layer is not None:
            layer.opacity = value / 100.0

    def _on_lod(self, index: int) -> None:
        layer = self.current_layer()
        if isinstance(layer, CityModelLayer) and index >= 0:
            layer.lod = self.lod.itemData(index)

    def _on_theme(self, index: int) -> None:
        layer = self.current_layer()
        theme = self.theme.itemData(index) if index >= 0 else None
        if isinstance(layer, CityModelLayer) and theme and theme != layer.model.theme:
            self.theme_requested.emit(layer, theme)

    # --- the context menu: zoom, storeys and spaces, actions others add -----------------
    def add_context_action(self, action: QAction,
                           applies: Callable[[Layer], bool] | None = None
                           ) -> Callable[[], None]:
        """Offer ``action`` in a layer's context menu (for the layers ``applies`` to);
        returns the function that takes it out again."""
        entry = (action, applies or (lambda _layer: True))
        self._context_actions.append(entry)

        def undo() -> None:
            if entry in self._context_actions:
                self._context_actions.remove(entry)
        return undo

    def context_menu(self, layer: Layer) -> QMenu:
        """The context menu of ``layer`` (built apart from showing it, for tests): zoom to
        it, a building model's storeys and spaces, and the actions that apply."""
        menu = QMenu(self)
        zoom = menu.addAction(self.tr("Zoom to layer"))
        zoom.triggered.connect(lambda _checked=False: self.zoom_requested.emit(layer))
        if isinstance(layer, CityModelLayer):
            self._add_building_parts(menu, layer)
        actions = [action for action, applies in self._context_actions if applies(layer)]
        if actions:
            menu.addSeparator()
            menu.addActions(actions)
        return menu

    def _show_context_menu(self, pos: QPoint) -> None:
        item = self.tree.itemAt(pos)
        layer = self.layer_of(item)
        if layer is None:
            return
        self.tree.setCurrentItem(item)  # the actions work on the current layer
        menu = self.context_menu(layer)
        menu.exec(self.tree.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _add_building_parts(self, menu: QMenu, layer: CityModelLayer) -> None:
        objects = layer.model.objects
        storeys = storeys_of(layer)
        if storeys:
            menu.addSeparator()
            shown = menu.addMenu(self.tr("Storeys"))
            shown.setObjectName("storeys_menu")
            for index in storeys:
                action = shown.addAction(storey_label(layer, index))
                action.setCheckable(True)
                action.setChecked(index not in layer.hidden_objects)
                action.toggled.connect(lambda on, i=index: layer.show_object(i, on))
            shown.addSeparator()
            everything = shown.addAction(self.tr("Show all storeys"))
            everything.triggered.connect(lambda: layer.set_hidden(
                objects=layer.hidden_objects - set(storeys)))
            pick = menu.addMenu(self.tr("Select storey"))
            pick.setObjectName("select_storey_menu")
            for index in storeys:
                action = pick.addAction(storey_label(layer, index))
                action.triggered.connect(lambda _on=False, i=index: self.select_requested.emit(
                    [(layer.uid, i)]))
        if "IfcSpace" in objects.types:
            spaces = menu.addAction(self.tr("Show spaces"))
            spaces.setObjectName("show_spaces")
            spaces.setCheckable(True)
            spaces.setChecked("IfcSpace" not in layer.hidden_types)
            spaces.toggled.connect(lambda on: layer.show_type("IfcSpace", on))

    def _zoom(self, item: QTreeWidgetItem | None) -> None:
        layer = self.layer_of(item)
        if layer is not None:
            self.zoom_requested.emit(layer)


def storeys_of(layer: CityModelLayer) -> list[int]:
    """Object indices of a building model's storeys, lowest first."""
    objects = layer.model.objects
    found = [i for i, t in enumerate(objects.types) if t == "IfcBuildingStorey"]

    def elevation(i: int) -> float:
        value = objects.attributes[i].get("Elevation")
        return float(value) if isinstance(value, (int, float)) else 0.0
    return sorted(found, key=lambda i: (elevation(i), i))


def storey_label(layer: CityModelLayer, index: int) -> str:
    """"First (3.0 m)": the storey's name and elevation (its id when it has no name)."""
    attrs = layer.model.objects.attributes[index]
    name = str(attrs.get("Name") or layer.model.objects.ids[index])
    elevation = attrs.get("Elevation")
    return f"{name} ({elevation:.1f} m)" if isinstance(elevation, (int, float)) else name
