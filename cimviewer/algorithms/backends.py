"""Where split algorithms run: in this process, or on dask (``dask.distributed``).

Both backends take a module-level function and a list of picklable task specs and
return the results in task order, reporting progress and honouring cancellation.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from cimviewer.algorithms.base import AlgorithmError, Cancelled, Context

TaskFn = Callable[[Any], Any]


class Backend(Protocol):
    name: str

    def map(self, fn: TaskFn, specs: list[Any], ctx: Context) -> list[Any]: ...


class LocalBackend:
    """One task after another in the calling thread."""

    name = "local"

    def map(self, fn: TaskFn, specs: list[Any], ctx: Context) -> list[Any]:
        results = []
        for i, spec in enumerate(specs):
            ctx.check_cancelled()
            results.append(fn(spec))
            ctx.progress((i + 1) / max(len(specs), 1))
        return results


_CLIENTS: dict[tuple, Any] = {}
_CLIENTS_LOCK = threading.Lock()


def _is_folder_plugin(fn: TaskFn) -> bool:
    package = sys.modules.get(fn.__module__.split(".")[0])
    return package is not None and getattr(package, "__cimviewer_folder_plugin__", False)


def _register_by_value(fn: TaskFn) -> None:
    """Folder plugins are not installed on workers: pickle their modules by value.

    Also with numba's own copy of cloudpickle, which pickles its compiled functions.
    """
    import cloudpickle

    picklers = [cloudpickle]
    if "numba" in sys.modules:
        with contextlib.suppress(ImportError):
            from numba import cloudpickle as numba_cloudpickle

            if hasattr(numba_cloudpickle, "register_pickle_by_value"):
                picklers.append(numba_cloudpickle)
    top = fn.__module__.split(".")[0]
    for pickler in picklers:
        registered = set(pickler.list_registry_pickle_by_value())
        for name, module in list(sys.modules.items()):
            if (name == top or name.startswith(top + ".")) and name not in registered:
                pickler.register_pickle_by_value(module)


def plugin_files(fn: TaskFn) -> dict[str, str]:
    """Module name -> source file of the plugin that defines ``fn``."""
    top = fn.__module__.split(".")[0]
    return {name: str(module.__file__) for name, module in list(sys.modules.items())
            if (name == top or name.startswith(top + "."))
            and getattr(module, "__file__", None)}


class RemoteTaskError(Exception):
    """A task that raised on a dask worker: a one-line ``summary`` naming the plugin's
    file and line, and the worker's traceback in ``details``."""

    def __init__(self, summary: str, details: str):
        super().__init__(summary, details)
        self.summary = summary
        self.details = details

    def __str__(self) -> str:
        return f"{self.summary}\n{self.details}"


def remote_error(exc: BaseException, files: dict[str, str]) -> RemoteTaskError:
    """``exc`` as raised in a task shipped by value, with the plugin's file names back:
    cloudpickle ships code objects as ``<dynamic-code>``, but each frame still knows its
    module's name, and ``files`` maps those names to the files they came from."""
    frames = []
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        code = frame.f_code
        if code is run_pickled.__code__:
            continue
        filename = code.co_filename
        if filename == "<dynamic-code>":
            filename = files.get(frame.f_globals.get("__name__", ""), filename)
        frames.append(traceback.FrameSummary(filename, lineno, code.co_name))
    headline = f"{type(exc).__name__}: {exc}"
    where = (f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno} in "
             f"{frames[-1].name})" if frames else "")
    details = ("Traceback (most recent call last, on the dask worker):\n"
               + "".join(traceback.format_list(frames)) + headline)
    return RemoteTaskError(headline + where, details)


def run_pickled(spec_blob: bytes, fn_blob: bytes, files: dict[str, str] | None = None) -> Any:
    """Worker side of a folder plugin's task: code and spec travel as cloudpickle bytes;
    a failure comes back with the plugin's file names (``files``)."""
    import cloudpickle

    fn = cloudpickle.loads(fn_blob)
    try:
        return fn(cloudpickle.loads(spec_blob))
    except Exception as exc:
        raise remote_error(exc, files or {}) from None


class DaskBackend:
    """Tasks on a dask cluster: a LocalCluster by default, or ``scheduler`` ("tcp://host:8786").

    Clients are cached per configuration for the life of the process, so repeated runs
    (and a test session) start one cluster. Workers of a real cluster need cimviewer and
    any installed plugin packages; folder plugins are shipped by value.
    """

    name = "dask"
    poll_seconds = 0.1

    def __init__(self, scheduler: str | None = None, *, processes: bool = True,
                 n_workers: int | None = None):
        self.scheduler = scheduler
        self.processes = processes
        self.n_workers = n_workers

    def client(self) -> Any:
        key = (self.scheduler, self.processes, self.n_workers)
        with _CLIENTS_LOCK:
            client = _CLIENTS.get(key)
            if client is None or client.status in ("closed", "closing"):
                client = self._connect()
                _CLIENTS[key] = client
            return client

    def _connect(self) -> Any:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise AlgorithmError("the dask backend needs dask[distributed] "
                                 "(pip install 'dask[distributed]')") from None
        if self.scheduler:
            return _bounded_connect(lambda: Client(self.scheduler, timeout="10s"),
                                    self.scheduler)
        cluster = LocalCluster(processes=self.processes, n_workers=self.n_workers,
                               threads_per_worker=1 if self.processes else None,
                               # a failed task is reported once, by map(), with the
                               # plugin's file and line: not also by every worker
                               dashboard_address=":0", silence_logs=logging.CRITICAL)
        return Client(cluster)

    def map(self, fn: TaskFn, specs: list[Any], ctx: Context) -> list[Any]:
        from distributed import wait

        if not specs:
            return []
        client = self.client()
        if _is_folder_plugin(fn):
            import cloudpickle

            _register_by_value(fn)
            futures = client.map(run_pickled, [cloudpickle.dumps(s) for s in specs],
                                 fn_blob=cloudpickle.dumps(fn), files=plugin_files(fn),
                                 pure=False)
        else:
            futures = client.map(fn, specs, pure=False)
        try:
            while True:
                done = sum(f.done() for f in futures)
                ctx.progress(done / len(futures))
                if done == len(futures):
                    break
                if ctx.cancelled():
                    raise Cancelled()
                with contextlib.suppress(TimeoutError):
                    wait(futures, timeout=self.poll_seconds, return_when="FIRST_COMPLETED")
            for i, future in enumerate(futures):
                if future.status == "error":
                    exc = future.exception()
                    raise AlgorithmError(f"task {i + 1} of {len(futures)} failed: "
                                         f"{_summary(exc)}") from exc
            return client.gather(futures)
        finally:
            client.cancel([f for f in futures if not f.done()])


def _summary(exc: BaseException) -> str:
    """One line for a failed task: the error and where in the plugin it was raised."""
    if isinstance(exc, RemoteTaskError):
        return exc.summary
    from cimviewer.algorithms.runner import where_raised

    return f"{type(exc).__name__}: {exc}{where_raised(exc)}"


#: a scheduler that accepts the connection but never answers the handshake is given
#: this long in all (dask's own 10 s timeout does not cover a silent peer)
CONNECT_SECONDS = 15.0


def _bounded_connect(connect: Callable[[], Any], address: str) -> Any:
    """``connect()`` in a daemon thread, waited for at most CONNECT_SECONDS."""
    result: dict[str, Any] = {}

    def attempt() -> None:
        try:
            result["client"] = connect()
        except BaseException as exc:  # handed to the caller's thread
            result["error"] = exc

    thread = threading.Thread(target=attempt, name="dask-connect", daemon=True)
    thread.start()
    thread.join(CONNECT_SECONDS)
    if thread.is_alive():
        raise AlgorithmError(f"cannot reach the dask scheduler {address}: no answer within "
                             f"{CONNECT_SECONDS:g} s")
    if "error" in result:
        exc = result["error"]
        raise AlgorithmError(f"cannot reach the dask scheduler {address}: "
                             f"{type(exc).__name__}: {exc}") from None
    return result["client"]


def close_clients() -> None:
    """Close every cached client and its local cluster (at exit, or from tests)."""
    with _CLIENTS_LOCK:
        clients = list(_CLIENTS.values())
        _CLIENTS.clear()
    for client in clients:
        cluster = getattr(client, "cluster", None)
        try:
            client.close()
            if cluster is not None:
                cluster.close()
        except Exception:  # closing at exit must never raise
            logging.getLogger("cimviewer").debug("closing dask client failed", exc_info=True)


atexit.register(close_clients)


def make_backend(name: str = "local", scheduler: str | None = None) -> Backend:
    """The backend a user chose: "local" (in this thread) or "dask" (a local cluster, or
    the cluster at ``scheduler``; an address alone also means dask). The CLI and the
    algorithm form both choose through here."""
    if name == "local" and not scheduler:
        return LocalBackend()
    if name in ("dask", "local"):
        return DaskBackend(scheduler)
    raise ValueError(f"unknown backend {name!r}: local or dask")
