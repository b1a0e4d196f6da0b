"""Errors that readers raise: one clear line naming the file, the place and the problem."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class ReadError(Exception):
    """A dataset could not be read.

    ``where`` names the place inside the file (a JSON path, an XML element and line,
    a CityObject id) so the user can find the problem.
    """

    def __init__(self, message: str, path: str | Path | None = None, where: str | None = None):
        self.message = message
        self.path = None if path is None else Path(path)
        self.where = where
        super().__init__(self.one_line())

    def __reduce__(self) -> tuple[type, tuple[str, Path | None, str | None]]:
        # whole across processes (a tile read in the worker process)
        return type(self), (self.message, self.path, self.where)

    def one_line(self) -> str:
        parts = []
        if self.path is not None:
            parts.append(str(self.path))
        if self.where:
            parts.append(self.where)
        prefix = ": ".join(parts)
        return f"{prefix}: {self.message}" if prefix else self.message


class UnsupportedFormatError(ReadError):
    """No reader recognises the file."""


@contextmanager
def reader_errors(path: str | Path) -> Iterator[None]:
    """Whatever a reader raises reaches the user as one ReadError line, never a traceback.

    ReadError passes through; readers put their own, more specific handlers inside.
    """
    try:
        yield
    except ReadError:
        raise
    except MemoryError:
        raise ReadError("not enough memory to read this file", path) from None
    except Exception as exc:  # a reader bug must reach the user as one clear line
        raise ReadError(f"could not be read: {type(exc).__name__}: {exc}", path) from None
