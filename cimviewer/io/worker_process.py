"""One worker process for parsing that holds the interpreter lock.

Reading a streamed tile back (about 1500 features of JSON, ~0.1 s) is pure-Python
work. On a reading thread it shares the interpreter lock with the GUI thread, and a
frame drawn meanwhile took twice as long (a 5M-building fly-through: frames of 110-280
ms instead of 50). In a process of its own it runs on another core and the frame keeps
its own: :func:`run_in_worker` sends the job there and waits without holding the lock.

The worker is started with ``spawn`` on every platform (no fork of a process that holds
Qt, VTK and threads); :func:`start_worker` starts it ahead of the first job. Where no
process can be started (no semaphores, a script without a main guard), or the worker
dies twice in a row, jobs run in the calling process as before: slower frames, same
results.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

__all__ = ["run_in_worker", "start_worker", "worker_pid"]

log = logging.getLogger(__name__)

T = TypeVar("T")

_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None
#: worker processes that broke in a row (a job that comes back resets it); at
#: MAX_BROKEN jobs run in this process
_broken = 0
MAX_BROKEN = 2
#: seconds a job may take before it and its worker are stopped (a tile of 1,500
#: buildings takes about 0.1 s; a whole file of a folder of tiles some seconds)
JOB_TIMEOUT = 600.0
#: the worker's scheduling niceness on POSIX (0 normal, 19 lowest)
WORKER_NICENESS = 15


# One long-lived worker, not recycled with max_tasks_per_child: Python 3.11-3.13 can
# deadlock replacing such a worker (CPython gh-115634), and tiles read once come back
# from the tile cache without it.
def _executor() -> ProcessPoolExecutor | None:
    global _pool, _broken
    with _lock:
        if _pool is None and _broken < MAX_BROKEN:
            try:
                _pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_start_worker_process)
            except (OSError, ValueError, NotImplementedError, ImportError) as exc:
                log.warning("no worker process (%s): tiles are read in this one", exc)
                _broken = MAX_BROKEN
        return _pool


def _start_worker_process() -> None:
    """In the worker, before its first job."""
    _exit_with_the_app()
    _yield_to_the_view()


def _exit_with_the_app() -> None:
    """Leave when the app's process ends, however it ends: a worker holds both ends of
    its job queue, so an app that is killed (a kiosk's supervisor, the task manager)
    would otherwise leave it waiting for jobs for ever."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(0)

    threading.Thread(target=watch, name="watch-app", daemon=True).start()


def _yield_to_the_view() -> None:
    """The worker runs at a low priority: the frame being drawn (a software renderer
    uses every core) gets the processor first, the worker what is left between frames."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(WORKER_NICENESS)
    else:  # Windows (psutil comes with dask.distributed)
        with contextlib.suppress(ImportError, OSError, AttributeError):
            import psutil

            psutil.Process().nice(psutil.BELOW_NORMAL_PRIORITY_CLASS)


def _discard(pool: ProcessPoolExecutor, *, broken: bool = True) -> None:
    """Drop this pool (the next job starts another) and stop its worker, even busy."""
    global _pool, _broken
    with _lock:
        if _pool is pool:
            _pool = None
            _broken += int(broken)
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
    # before 3.14 its processes by hand, taken before shutdown forgets them
    processes = [] if terminate else list((getattr(pool, "_processes", None) or {}).values())
    with contextlib.suppress(Exception):
        if terminate is not None:
            terminate()
        pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()


def _succeeded() -> None:
    global _broken
    if _broken:
        with _lock:
            _broken = 0


def run_in_worker(fn: Callable[..., T], *args: object, timeout: float | None = None) -> T:
    """``fn(*args)`` in the worker process (``fn`` and its arguments picklable: a
    module-level function of arrays and paths), else here. Its exceptions are raised
    here; a worker that died is replaced once for the same job. A job still running
    after ``timeout`` seconds (default :data:`JOB_TIMEOUT`) is stopped with its worker
    and raises :class:`TimeoutError`."""
    timeout = JOB_TIMEOUT if timeout is None else timeout
    for _ in range(MAX_BROKEN):
        pool = _executor()
        if pool is None:
            break
        try:
            future: Future[T] = pool.submit(fn, *args)
            result = future.result(timeout)
        except BrokenProcessPool as exc:
            log.warning("the worker process stopped (%s): starting another", exc)
            _discard(pool)
            continue
        except TimeoutError:
            _discard(pool, broken=False)
            raise TimeoutError(f"stopped after {timeout:.0f} s in the worker process") \
                from None
        except RuntimeError as exc:  # submitted while the pool shuts down (exit)
            if "shutdown" not in str(exc):
                raise
            break
        _succeeded()
        return result
    return fn(*args)


def start_worker() -> None:
    """Start the worker now (spawning takes a moment) so the first job does not wait."""
    pool = _executor()
    if pool is not None:
        try:
            pool.submit(os.getpid)
        except (BrokenProcessPool, RuntimeError):
            _discard(pool)


def worker_pid() -> int | None:
    """The worker's process id (None: jobs run in this process)."""
    pool = _executor()
    if pool is None:
        return None
    try:
        return pool.submit(os.getpid).result()
    except (BrokenProcessPool, RuntimeError):
        _discard(pool)
        return None
