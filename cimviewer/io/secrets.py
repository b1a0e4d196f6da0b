"""Passwords in the system keyring (never in the project file), for every connection
the app makes: MQTT brokers (``io.sensors.secrets``) and databases (``io.tables``).

Each kind of connection has its own keyring service name; an account names the user
and the server. When no keyring backend exists (a headless server, a kiosk without a
secret service), :class:`SecretStoreUnavailableError` carries a message the UI shows;
the password is then used for the session only.
"""

from __future__ import annotations

NO_KEYRING = ("no system keyring is available ({0}): the password is used for this session "
              "only and not saved; to remember it, use the system's password store (GNOME "
              "Keyring, KWallet, macOS Keychain or Windows Credential Manager)")
#: backends that keep passwords readable in a file (keyrings.alt's plaintext keyring
#: stores them base64-encoded): never used
UNSAFE_BACKENDS = ("PlaintextKeyring",)


class SecretStoreUnavailableError(RuntimeError):
    """No usable keyring backend; ``str(exc)`` is a one-line explanation."""


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
    if _unsafe(backend):
        reason = f"{type(backend).__name__} keeps passwords readable in a file"
        raise SecretStoreUnavailableError(NO_KEYRING.format(reason))
    return keyring


def load_secret(service: str, account: str) -> str | None:
    """The saved password of ``account`` under ``service``, or None if none is saved."""
    keyring = _keyring()
    try:
        return keyring.get_password(service, account)
    except Exception as exc:  # keyring backends raise their own errors (D-Bus, locked...)
        raise SecretStoreUnavailableError(NO_KEYRING.format(exc)) from None


def store_secret(service: str, account: str, password: str) -> None:
    keyring = _keyring()
    try:
        keyring.set_password(service, account, password)
    except Exception as exc:
        raise SecretStoreUnavailableError(NO_KEYRING.format(exc)) from None


def _unsafe(backend) -> bool:
    """A plaintext backend, alone or inside a chainer."""
    inner = getattr(backend, "backends", None)
    if inner:
        return all(_unsafe(b) for b in inner)
    return type(backend).__name__ in UNSAFE_BACKENDS
