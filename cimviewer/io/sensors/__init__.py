"""Sensor data: readings files, live MQTT sources, payload parsing, project records."""
