"""The Algorithm base class and the context it runs in.

An algorithm is headless: it reads its checked parameters, polls ``ctx.cancelled()``,
reports ``ctx.progress(fraction)`` and returns a dict of outputs. Work that splits into
independent pieces declares the split (see :class:`Algorithm.tasks`) so it can run on
dask workers as well as in-process.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from cimviewer.algorithms.outputs import Output
from cimviewer.algorithms.parameters import Parameter
from cimviewer.core.project import Project


class AlgorithmError(Exception):
    """The algorithm failed for a reason the user can act on (one line)."""


class Cancelled(Exception):  # noqa: N818 - reads better as "raise Cancelled"
    """The run was cancelled."""


def _no_progress(_fraction: float) -> None:
    pass


def _never() -> bool:
    return False


@dataclass
class Context:
    """What a running algorithm may use besides its parameters."""

    progress: Callable[[float], None] = _no_progress
    cancelled: Callable[[], bool] = _never
    project: Project | None = None
    plugin: str = ""
    log: logging.Logger = field(default_factory=lambda: logging.getLogger("cimviewer.plugins"))

    def check_cancelled(self) -> None:
        """Raise :class:`Cancelled` when the user asked to stop."""
        if self.cancelled():
            raise Cancelled()


class Algorithm:
    """Subclass and set ``title``; override ``parameters``, ``outputs`` and ``run``.

    Splittable algorithms override ``tasks`` instead of ``run``:

    * ``tasks(params, ctx) -> list`` of picklable task specs (plain data);
    * ``run_task``: a **module-level function** ``spec -> result`` (set as a class
      attribute with ``staticmethod``); it runs on a worker and must not touch the
      project, the GUI or ``ctx``;
    * ``combine(results, params, ctx) -> dict`` of outputs, results in task order.
    """

    title: ClassVar[str] = ""
    description: ClassVar[str] = ""
    #: set by the plugin host: "plugin.algorithm"
    qualified_name: str = ""
    run_task: ClassVar[Callable[[Any], Any] | None] = None

    def parameters(self) -> Sequence[Parameter]:
        return ()

    def outputs(self) -> Sequence[Output]:
        return ()

    def tasks(self, params: dict[str, Any], ctx: Context) -> list[Any] | None:
        """Independent task specs, or None when the algorithm does not split."""
        return None

    def combine(self, results: list[Any], params: dict[str, Any], ctx: Context) -> dict[str, Any]:
        raise NotImplementedError(f"{type(self).__name__} declares tasks but no combine()")

    def run(self, params: dict[str, Any], ctx: Context) -> dict[str, Any]:
        raise NotImplementedError(f"{type(self).__name__} must implement run() or tasks()")

    @property
    def splits(self) -> bool:
        return type(self).tasks is not Algorithm.tasks

    def describe(self) -> dict[str, Any]:
        return {"name": self.qualified_name, "title": self.title,
                "description": self.description, "splits": self.splits,
                "parameters": [p.describe() for p in self.parameters()],
                "outputs": [o.describe() for o in self.outputs()]}
