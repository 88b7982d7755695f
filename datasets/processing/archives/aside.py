"""Work done aside, in a second process, while this one reads on: the machine's other core.

Used for Frictionless's check of a Camtrap DP package's first rows, which takes about as
long as streaming a whole gigabyte of observations. The child only reads its own copy of
the file (it never touches the database, and ends with ``os._exit``), so it is started
only for a file on this machine's disk, as ``tabular.scan`` does for a big table; a file
elsewhere has the work done in this process, in turn.
"""

import os
import pickle
import signal
from collections.abc import Callable
from typing import Any

from datasets.processing import ProcessingError, Source
from datasets.stored_files import StoredSource


class Aside:
    """The outcome of ``work``: computed by a child process, or here when it cannot be."""

    def __init__(self, path: Source, work: Callable[[], Any]) -> None:
        self._child: int | None = None
        self._reader: int | None = None
        self._outcome: tuple | None = None
        self._work = work
        if isinstance(path, StoredSource) and not path.local:
            self._outcome = _run(work)
            return
        self._reader, writer = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover - the child process
            status = 1
            try:
                os.close(self._reader)
                with os.fdopen(writer, "wb") as pipe:
                    pipe.write(pickle.dumps(_run(work)))
                status = 0
            finally:
                os._exit(status)
        os.close(writer)
        self._child = child

    def result(self) -> Any:
        """Return what ``work`` returned, or raise the ProcessingError it raised."""
        if self._outcome is None:
            with os.fdopen(self._reader, "rb") as pipe:  # type: ignore[arg-type]
                self._reader = None
                payload = pipe.read()
            os.waitpid(self._child, 0)  # type: ignore[arg-type]
            self._child = None
            # Our own child's output, not the uploader's bytes. A child that died of anything
            # but a ProcessingError wrote nothing: the work is done again here, to raise it.
            self._outcome = pickle.loads(payload) if payload else _run(self._work)  # noqa: S301
        kind, *rest = self._outcome
        if kind == "error":
            code, params = rest
            raise ProcessingError(code, **params)
        return rest[0]

    def cancel(self) -> None:
        """End the child if it still runs (this process failed first)."""
        if self._reader is not None:
            os.close(self._reader)
            self._reader = None
        if self._child is not None:
            os.kill(self._child, signal.SIGKILL)
            os.waitpid(self._child, 0)
            self._child = None


def _run(work: Callable[[], Any]) -> tuple:
    try:
        return ("done", work())
    except ProcessingError as error:
        return ("error", error.code, error.params)
