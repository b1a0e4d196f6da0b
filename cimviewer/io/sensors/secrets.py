"""Broker passwords in the system keyring (never in the project file).

When no keyring backend exists (a headless server, a kiosk without a secret service),
:class:`SecretStoreUnavailableError` carries a message the UI shows; the password is then used
for the session only.
"""

from __future__ import annotations

SERVICE = "cimviewer-mqtt"
NO_KEYRING = ("no system keyring is available ({0}): the password is used for this session "
              "only and not saved; install a keyring backend (GNOME Keyring, KWallet, "
              "Windows Credential Manager or keyrings.alt) to remember it")


class SecretStoreUnavailableError(RuntimeError):
    """No usable keyring backend; ``str(exc)`` is a one-line explanation."""


def account(broker: str, username: str) -> str:
    return f"{username}@{broker}"


def _keyring():
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        reason = "the keyring package is not installed"
        raise SecretStoreUnavailableError(NO_KEYRING.format(reason)) from None
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        raise SecretStoreUnavailableError(NO_KEYRING.format(type(backend).__name__))
    return keyring


def load_password(broker: str, username: str) -> str | None:
    """The saved password for ``username`` at ``broker``, or None if none is saved."""
    keyring = _keyring()
    try:
        return keyring.get_password(SERVICE, account(broker, username))
    except Exception as exc:  # keyring backends raise their own errors (D-Bus, locked...)
        raise SecretStoreUnavailableError(NO_KEYRING.format(exc)) from None


def store_password(broker: str, username: str, password: str) -> None:
    keyring = _keyring()
    try:
        keyring.set_password(SERVICE, account(broker, username), password)
    except Exception as exc:
        raise SecretStoreUnavailableError(NO_KEYRING.format(exc)) from None
