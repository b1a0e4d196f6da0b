"""Joining an outside table (CSV, GeoPackage, PostgreSQL) to a city layer's objects.

The dialog reads the table, offers its columns and the layer's attributes as keys,
shows how many objects the join would match before it is applied, and lists the
layer's joins (remove one, or apply again one whose table was missing). The password
of a database is never saved with the project: it is used for this session and, when
asked, kept in the system keyring.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cimviewer.core.joins import (
    DEFAULT_PORT,
    OBJECT_ID,
    JoinError,
    JoinReport,
    JoinSpec,
    Table,
    apply_join,
    match_rows,
    remove_join,
    replace_join,
)
from cimviewer.core.layers import CityModelLayer
from cimviewer.core.styling import attribute_fields
from cimviewer.io.errors import ReadError

log = logging.getLogger("cimviewer")


class JoinDialog(QDialog):
    """Join tables to ``layer``; changes apply at once (Apply, Remove)."""

    def __init__(self, layer: CityModelLayer, parent: QWidget | None = None):
        super().__init__(parent)
        self.layer = layer
        self.table: Table | None = None
        self.setWindowTitle(self.tr("Join table to {0}").format(layer.name))
        self.setObjectName("join_dialog")

        self.kind = QComboBox(self)
        for key, label in (("csv", self.tr("CSV file")), ("gpkg", self.tr("GeoPackage table")),
                           ("postgres", self.tr("PostgreSQL table"))):
            self.kind.addItem(label, key)
        self.path = QLineEdit(self)
        self.path.setPlaceholderText(self.tr("File to join"))
        browse = QPushButton(self.tr("Browse…"), self)
        browse.clicked.connect(self._browse)
        file_row = QWidget(self)
        row = QHBoxLayout(file_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.path, 1)
        row.addWidget(browse)

        self.host = QLineEdit("localhost", self)
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.dbname = QLineEdit(self)
        self.user = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(
            self.tr("from the system keyring or PGPASSWORD if saved"))
        self.remember = QCheckBox(self.tr("Remember the password in the system keyring"), self)
        database = QWidget(self)
        db_form = QFormLayout(database)
        db_form.setContentsMargins(0, 0, 0, 0)
        db_form.addRow(self.tr("Host"), self.host)
        db_form.addRow(self.tr("Port"), self.port)
        db_form.addRow(self.tr("Database"), self.dbname)
        db_form.addRow(self.tr("User name"), self.user)
        db_form.addRow(self.tr("Password"), self.password)
        db_form.addRow("", self.remember)
        self.file_row = file_row
        self.database = database

        self.table_name = QComboBox(self)
        self.table_name.setEditable(True)
        self.list_button = QPushButton(self.tr("List tables"), self)
        self.list_button.clicked.connect(self.list_tables)
        table_row = QWidget(self)
        row = QHBoxLayout(table_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.table_name, 1)
        row.addWidget(self.list_button)
        self.read_button = QPushButton(self.tr("Read table"), self)
        self.read_button.clicked.connect(self.read)

        self.table_key = QComboBox(self)
        self.object_key = QComboBox(self)
        self.object_key.addItem(self.tr("Object id"), OBJECT_ID)
        for name in attribute_fields(layer.model.objects.attributes):
            self.object_key.addItem(name, name)
        self.prefix = QLineEdit(self)
        self.prefix.setPlaceholderText(self.tr("none"))
        self.fields = QListWidget(self)
        self.fields.setMaximumHeight(110)
        self.preview = QLabel(self.tr("Read a table to see how many objects it matches."), self)
        self.preview.setObjectName("join_preview")
        self.preview.setWordWrap(True)
        self.table_key.currentIndexChanged.connect(self._fill_fields)
        self.object_key.currentIndexChanged.connect(self.update_preview)

        form = QFormLayout()
        form.addRow(self.tr("Source"), self.kind)
        form.addRow(self.tr("File"), self.file_row)
        form.addRow(self.database)
        self.table_label = QLabel(self.tr("Table"), self)
        form.addRow(self.table_label, table_row)
        form.addRow("", self.read_button)
        form.addRow(self.tr("Table key column"), self.table_key)
        form.addRow(self.tr("Object key"), self.object_key)
        form.addRow(self.tr("Field name prefix"), self.prefix)
        form.addRow(self.tr("Fields"), self.fields)
        form.addRow(self.preview)
        self._form = form

        self.joins = QListWidget(self)
        self.joins.setObjectName("join_list")
        self.remove_button = QPushButton(self.tr("Remove join"), self)
        self.remove_button.clicked.connect(self.remove_selected)
        self.again_button = QPushButton(self.tr("Apply again"), self)
        self.again_button.setToolTip(
            self.tr("Read the table of the selected join again (with the password above)"))
        self.again_button.clicked.connect(self.apply_selected_again)
        existing = QGroupBox(self.tr("Joins of this layer"), self)
        box = QVBoxLayout(existing)
        box.addWidget(self.joins)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.again_button)
        row.addWidget(self.remove_button)
        box.addLayout(row)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.apply_button = buttons.addButton(self.tr("Apply join"),
                                              QDialogButtonBox.ButtonRole.ActionRole)
        self.apply_button.clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)
        self.status = QLabel("", self)
        self.status.setObjectName("join_status")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(existing)
        layout.addWidget(self.status)
        layout.addWidget(buttons)

        self.kind.currentIndexChanged.connect(self._on_kind)
        self._on_kind()
        self.refresh_joins()

    # --- the source -------------------------------------------------------------------
    def _on_kind(self, *_args) -> None:
        kind = self.kind.currentData()
        self._form.setRowVisible(self.file_row, kind != "postgres")
        self._form.setRowVisible(self.database, kind == "postgres")
        has_tables = kind != "csv"
        self._form.setRowVisible(self.table_label, has_tables)
        self.table = None
        self._fill_columns()

    def _browse(self) -> None:
        kind = self.kind.currentData()
        pattern = (self.tr("GeoPackage (*.gpkg)") if kind == "gpkg"
                   else self.tr("Tables (*.csv *.txt *.tsv)"))
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Table to join"), "",
                                              f"{pattern};;{self.tr('All files (*)')}")
        if path:
            self.path.setText(path)
            if kind == "gpkg":
                self.list_tables()

    def spec(self, table_key: str = "-", object_key: str | None = None, *,
             any_table: bool = False) -> JoinSpec:
        """The join the form describes (raises ValueError when a part is missing);
        ``any_table``: only the file or database matters (to list its tables)."""
        kind = self.kind.currentData()
        fields = tuple(self.fields.item(i).text() for i in range(self.fields.count())
                       if self.fields.item(i).checkState() == Qt.CheckState.Checked)
        all_fields = len(fields) == self.fields.count()
        common = {"table_key": table_key or "-",
                  "object_key": object_key or self.object_key.currentData() or OBJECT_ID,
                  "fields": () if all_fields else fields, "prefix": self.prefix.text()}
        table = self.table_name.currentText().strip() or ("-" if any_table else None)
        if kind == "postgres":
            return JoinSpec("postgres", host=self.host.text().strip(), port=self.port.value(),
                            dbname=self.dbname.text().strip(),
                            user=self.user.text().strip() or None, table=table, **common)
        return JoinSpec(kind, path=self.path.text().strip(),
                        table=table if kind == "gpkg" else None, **common)

    def _password(self) -> str | None:
        return self.password.text() or None

    def list_tables(self) -> None:
        from cimviewer.io.tables import table_names

        try:
            names = self._busy(lambda: table_names(self.spec(any_table=True), self._password()))
        except (ReadError, ValueError) as exc:
            self.show_problem(exc)
            return
        current = self.table_name.currentText()
        self.table_name.clear()
        self.table_name.addItems(names)
        if current in names:
            self.table_name.setCurrentText(current)
        self.status.setText(self.tr("{0} tables").format(len(names)))

    def read(self) -> bool:
        """Read the table the form names; fill the key and field choices."""
        from cimviewer.io.tables import read_table

        try:
            spec = self.spec()
            table = self._busy(lambda: read_table(spec, self._password()))
        except (ReadError, ValueError) as exc:
            self.table = None
            self._fill_columns()
            self.show_problem(exc)
            return False
        self.table = table
        self._remember_password(spec)
        self._fill_columns()
        text = self.tr("{0} rows, {1} columns").format(table.n_rows, len(table.columns))
        if table.encoding:
            text += self.tr(" (read as {0})").format(table.encoding)
        self.status.setText(text)
        return True

    def _remember_password(self, spec: JoinSpec) -> None:
        password = self._password()
        if spec.kind != "postgres" or not password:
            return
        from cimviewer.io.secrets import SecretStoreUnavailableError
        from cimviewer.io.tables import postgres

        postgres.remember_for_session(spec, password)  # a join applied again uses it
        if self.remember.isChecked():
            try:
                postgres.store_in_keyring(spec, password)
            except SecretStoreUnavailableError as exc:
                log.warning("%s", exc)
                self.status.setText(str(exc))

    def _fill_columns(self) -> None:
        self.table_key.blockSignals(True)
        self.table_key.clear()
        self.fields.clear()
        columns = self.table.columns if self.table is not None else []
        self.table_key.addItems(columns)
        guess = _guess_key(columns)
        if guess is not None:
            self.table_key.setCurrentText(guess)
        self.table_key.blockSignals(False)
        self.apply_button.setEnabled(self.table is not None)
        self._fill_fields()

    def _fill_fields(self, *_args) -> None:
        """The columns to join: all but the key (the ones unchecked before stay so)."""
        unchecked = {self.fields.item(i).text() for i in range(self.fields.count())
                     if self.fields.item(i).checkState() != Qt.CheckState.Checked}
        self.fields.clear()
        key = self.table_key.currentText()
        for name in self.table.columns if self.table is not None else []:
            if name == key:
                continue
            item = QListWidgetItem(name, self.fields)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if name in unchecked
                               else Qt.CheckState.Checked)
        self.update_preview()

    # --- preview and applying ---------------------------------------------------------
    def preview_report(self) -> JoinReport | None:
        if self.table is None or not self.table_key.currentText():
            return None
        spec = self.spec(self.table_key.currentText())
        spec = spec.with_(fields=tuple(f for f in spec.fields if f != spec.table_key))
        try:
            return match_rows(self.layer.model.objects, spec, self.table)[1]
        except JoinError:
            return None

    def update_preview(self, *_args) -> None:
        report = self.preview_report()
        if report is None:
            self.preview.setText(self.tr("Read a table to see how many objects it matches."))
            return
        self.preview.setText(self.tr(
            "{0} objects matched; {1} table rows without an object; {2} duplicate keys (the first row is used); {3} objects without a row").format(  # noqa: E501
                report.matched_objects, report.unmatched_rows, report.duplicate_keys,
                report.objects_without_match))

    def apply(self) -> bool:
        if self.table is None and not self.read():
            return False
        assert self.table is not None
        key = self.table_key.currentText()
        spec = self.spec(key)
        spec = spec.with_(fields=tuple(f for f in spec.fields if f != key))
        try:
            joined = apply_join(self.layer, spec, self.table)
        except JoinError as exc:
            self.show_problem(exc)
            return False
        report = joined.report
        text = self.tr("Joined {0} fields to {1} objects").format(
            len(joined.fields), report.matched_objects if report else 0)
        self.status.setText(text)
        log.info("%s: %s (%s)", self.layer.name, text, spec.describe())
        self.refresh_joins()
        return True

    def refresh_joins(self) -> None:
        self.joins.clear()
        for joined in self.layer.joins:
            if joined.applied:
                text = self.tr("{0}: {1} fields, {2} objects").format(
                    joined.spec.describe(), len(joined.fields),
                    joined.report.matched_objects if joined.report else 0)
            else:
                text = self.tr("{0}: not applied ({1})").format(joined.spec.describe(),
                                                                joined.error or "")
            self.joins.addItem(text)
        has = bool(self.layer.joins)
        self.remove_button.setEnabled(has)
        self.again_button.setEnabled(has)
        if has:
            self.joins.setCurrentRow(self.joins.count() - 1)

    def remove_selected(self) -> None:
        row = self.joins.currentRow()
        if 0 <= row < len(self.layer.joins):
            removed = remove_join(self.layer, row)
            self.status.setText(self.tr("Removed the join of {0}").format(
                removed.spec.describe()))
            self.refresh_joins()

    def apply_selected_again(self) -> None:
        """Read the selected join's table again and apply it in its place."""
        from cimviewer.io.tables import read_table

        row = self.joins.currentRow()
        if not 0 <= row < len(self.layer.joins):
            return
        spec = self.layer.joins[row].spec
        try:
            table = self._busy(lambda: read_table(spec, self._password()))
            replace_join(self.layer, row, spec, table)
        except (ReadError, JoinError) as exc:
            self.show_problem(exc)
            return
        self._remember_password(spec)
        self.status.setText(self.tr("Applied again: {0}").format(spec.describe()))
        self.refresh_joins()

    # --- helpers ----------------------------------------------------------------------
    def show_problem(self, exc: Exception) -> None:
        text = exc.one_line() if isinstance(exc, ReadError) else str(exc)
        self.status.setText(text)
        log.warning("%s", text)

    def _busy(self, work):
        """Run a bounded read (files, or a database with its timeouts) under a wait cursor."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return work()
        finally:
            QGuiApplication.restoreOverrideCursor()


def _guess_key(columns: list[str]) -> str | None:
    """The column whose values look like the objects' ids (a first guess)."""
    names = {c.lower(): c for c in columns}
    for wanted in ("id", "object_id", "gml_id", "building_id", "bid", "identificatie"):
        if wanted in names:
            return names[wanted]
    return columns[0] if columns else None
