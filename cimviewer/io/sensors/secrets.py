"""Broker passwords in the system keyring (never in the project file): the shared
keyring helper (``cimviewer.io.secrets``) under the MQTT service name."""

from __future__ import annotations

from cimviewer.io.secrets import (
    NO_KEYRING,
    UNSAFE_BACKENDS,
    SecretStoreUnavailableError,
    load_secret,
    store_secret,
)

SERVICE = "cimviewer-mqtt"

__all__ = ["NO_KEYRING", "SERVICE", "UNSAFE_BACKENDS", "SecretStoreUnavailableError",
           "account", "load_password", "store_password"]


def account(broker: str, username: str) -> str:
    return f"{username}@{broker}"


def load_password(broker: str, username: str) -> str | None:
    """The saved password for ``username`` at ``broker``, or None if none is saved."""
    return load_secret(SERVICE, account(broker, username))


def store_password(broker: str, username: str, password: str) -> None:
    store_secret(SERVICE, account(broker, username), password)
