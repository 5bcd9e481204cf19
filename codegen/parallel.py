"""A second process for the independent slow steps of `smdbgen generate`.

Cold generation is CPU-bound and single-threaded, and half of it is steps that need nothing
from each other: reading the WSDLs (xmlschema), loading datamodel-code-generator, compiling
the rules. Inside `helper()`, `submit` hands a step to one forked helper process, so that on
two cores it runs beside the rest. Outside it (tests, library use), with SMDBGEN_JOBS=1, on
one core, or off Linux (unless SMDBGEN_JOBS=2), `submit` runs the step at once, here: the
results are the same either way.

Steps travel pickled: a step is a module-level function, its arguments and result are plain
data. An exception raised in the helper (a SourceError for bad input) is raised again by
`Future.result()`, as if the step had run here. The helper takes steps in the order they
were submitted.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

R = TypeVar("R")

_executor: ProcessPoolExecutor | None = None
_idle_imports: list[str] = []


def _wanted() -> bool:
    if "fork" not in multiprocessing.get_all_start_methods():
        return False  # Windows
    jobs = os.environ.get("SMDBGEN_JOBS", "").strip()
    if jobs:
        return jobs != "1"
    # fork is safe on Linux; on macOS system libraries may not survive it (opt in with
    # SMDBGEN_JOBS=2).
    return sys.platform == "linux" and (os.cpu_count() or 1) > 1


@contextmanager
def helper() -> Iterator[None]:
    """Run `submit`ted steps in a helper process until the block ends."""
    global _executor
    if _executor is not None or not _wanted():
        yield
        return
    # fork: the helper starts at once, with this process's modules, and needs no __main__.
    _executor = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    try:
        yield
    finally:
        executor, _executor = _executor, None
        _idle_imports.clear()
        executor.shutdown(wait=True, cancel_futures=True)


def active() -> bool:
    """Whether `submit` hands steps to a helper process."""
    return _executor is not None


def submit(step: Callable[..., R], *args: object) -> Future[R]:
    """`step(*args)` in the helper process if there is one, else here and now."""
    if _executor is not None:
        return _executor.submit(step, *args)
    future: Future[R] = Future()
    try:
        future.set_result(step(*args))
    except Exception as exc:
        future.set_exception(exc)
    return future


def preload(*modules: str) -> None:
    """Have the helper import `modules` next, ahead of the steps that need them."""
    if _executor is not None:
        for module in modules:
            _executor.submit(importlib.import_module, module).add_done_callback(_ignore)


def _ignore(future: Future) -> None:
    # A failed preload only means that a step imports the module itself. A cancelled one
    # (the helper stopped on an error) must not raise here: concurrent.futures would print
    # the CancelledError's traceback on stderr, after the one-line error.
    if not future.cancelled():
        future.exception()


def import_while_waiting(*modules: str) -> None:
    """Modules for this process to import if it comes to wait for the helper (`result`):
    likely needed later, and only worth loading in time that would otherwise be idle."""
    _idle_imports.extend(modules)


def result(future: Future[R]) -> R:
    """`future.result()`; while it is not done, the `import_while_waiting` modules first."""
    while _idle_imports and not future.done():
        importlib.import_module(_idle_imports.pop(0))
    return future.result()
