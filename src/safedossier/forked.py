"""One call run in a forked child while this process does something else: the second core.

`dossier diff` checks two dossiers that know nothing of each other; each check is a second or more
of pandas and the privacy guard (50,000 injuries) and both are needed before anything is compared.
A child forked before either starts checks one while this process checks the other; its result
comes back pickled through a pipe (a checked 50,000-row dossier is ~7 MB, ~0.1 s to pickle and
read back, against the second it saves).

The result is the one an in-process call gives: the child runs the same function on the same
arguments, and an exception it raises is raised here. When there is no fork (Windows), or the
child died without an answer (killed, out of memory), the call runs here instead. The child exits
with `os._exit` once its threads are done, so it runs no atexit handler and flushes none of this
process's buffers; the parent always reaps it, and kills it when the parent gives up first (Ctrl-C,
an error of its own).
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")


class Forked(Generic[T]):
    """`with Forked(fn, *args) as job: ...; value = job.result()` — fn(*args) computed in a child."""

    def __init__(self, fn: Callable[..., T], *args: object) -> None:
        self._fn, self._args = fn, args
        self._pid: int | None = None
        self._fd: int | None = None
        if not hasattr(os, "fork"):
            return
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no memory or no process left: compute it here
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child: answer, then leave without touching the parent's state
            os.close(read)
            code = 0
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when it ends
                try:
                    answer: tuple[str, object] = ("ok", fn(*args))
                except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
                    answer = ("raised", exc)
                data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write, "wb") as out:
                    out.write(data)
            except BaseException:  # noqa: BLE001 - unpicklable or a closed pipe: the parent computes it
                code = 1
            for thread in threading.enumerate():  # a cache entry still being written (`cache.put_soon`)
                if thread is not threading.current_thread():
                    thread.join()
            os._exit(code)
        os.close(write)
        self._pid, self._fd = pid, read

    def result(self) -> T:
        """The child's result (waiting for it), or the call computed here when the child gave none."""
        data = b""
        if self._fd is not None:
            with os.fdopen(self._fd, "rb") as pipe:
                self._fd = None
                data = pipe.read()
            self._reap()
        if not data:
            return self._fn(*self._args)
        try:
            kind, value = pickle.loads(data)
        except Exception:  # noqa: BLE001 - a truncated answer: compute it here
            return self._fn(*self._args)
        if kind == "raised":
            raise value  # type: ignore[misc]
        return value  # type: ignore[no-any-return]

    def _reap(self) -> None:
        if self._pid is not None:
            os.waitpid(self._pid, 0)
            self._pid = None

    def __enter__(self) -> Forked[T]:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._pid is not None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self._reap()
