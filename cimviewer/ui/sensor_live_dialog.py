"""The live-connection dialog: broker, topics, credentials, TLS and payload mapping."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from cimviewer.core.sensor_buffer import DEFAULT_CAPACITY
from cimviewer.io.sensors.mqtt import BrokerAddressError, MqttConfig, parse_broker
from cimviewer.io.sensors.payload import PRESETS, PayloadMapping


class LiveDialog(QDialog):
    """Edits an :class:`MqttConfig`; the password is returned apart (for the keyring)."""

    def __init__(self, config: MqttConfig | None = None, parent: QWidget | None = None,
                 history: int | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Connect to live sensors"))
        config = config or MqttConfig()
        form = QFormLayout(self)
        self.broker = QLineEdit(config.broker, self)
        self.topics = QLineEdit(", ".join(config.topics), self)
        self.username = QLineEdit(config.username, self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("from the system keyring if saved"))
        self.remember = QCheckBox(self.tr("Remember the password in the system keyring"), self)
        self.remember.setChecked(True)
        self.tls = QCheckBox(self.tr("Use TLS"), self)
        self.tls.setChecked(config.tls)
        self.ca_file = QLineEdit(config.ca_file, self)
        self.ca_file.setPlaceholderText(self.tr("system certificates"))
        self.preset = QComboBox(self)
        self.preset.addItem(self.tr("JSON {id, value, time, unit}"), "default")
        self.preset.addItem(self.tr("OGC SensorThings observation"), "sensorthings")
        if config.mapping == PRESETS["sensorthings"]:
            self.preset.setCurrentIndex(1)
        self.segment = QSpinBox(self)
        self.segment.setRange(-20, 20)
        self.segment.setValue(config.mapping.id_topic_segment or -2)
        form.addRow(self.tr("Broker"), self.broker)
        form.addRow(self.tr("Topics"), self.topics)
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        form.addRow("", self.remember)
        form.addRow("", self.tls)
        form.addRow(self.tr("CA certificates"), self.ca_file)
        form.addRow(self.tr("Payload"), self.preset)
        form.addRow(self.tr("Id topic segment"), self.segment)
        self.history = QSpinBox(self)
        self.history.setRange(1, 1_000_000)
        self.history.setValue(history or DEFAULT_CAPACITY)
        self.history.setToolTip(self.tr("Older readings are dropped: memory stays bounded"))
        form.addRow(self.tr("Readings kept per sensor"), self.history)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def config(self) -> MqttConfig:
        preset = self.preset.currentData()
        mapping = PRESETS[preset]
        if preset == "sensorthings":
            mapping = PayloadMapping.from_dict({**mapping.to_dict(),
                                                "id_topic_segment": self.segment.value()})
        topics = [t.strip() for t in self.topics.text().split(",") if t.strip()]
        return MqttConfig(broker=self.broker.text().strip(), topics=topics,
                          username=self.username.text().strip(), tls=self.tls.isChecked(),
                          ca_file=self.ca_file.text().strip(), mapping=mapping)

    def accept(self) -> None:
        try:
            parse_broker(self.broker.text())
        except BrokerAddressError as exc:
            self._mark(self.broker, str(exc))
            return
        ca_file = self.ca_file.text().strip()
        if ca_file and not Path(ca_file).is_file():
            self._mark(self.ca_file, self.tr("No such file: {0}").format(ca_file))
            return
        super().accept()

    def _mark(self, edit: QLineEdit, problem: str) -> None:
        edit.setToolTip(problem)
        edit.setStyleSheet("border: 1px solid red")
        edit.setFocus()
