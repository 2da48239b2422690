"""One computation per dossier: a result kept for the very `Dossier` object it was computed from.

The site (`Views`), the PDF and the change report of an archive all ask for the same statistics of
the same version; computing them once per dossier object (not once per caller) is what keeps an
archive of large tables from paying for them two or three times. An entry lives only as long as its
dossier (a weak reference drops it when the dossier is freed, so an archive holds no version's
results after it is done with that version) and only while the tables it was computed from are
still the same objects and the cycle is the same (a dossier whose table was swapped is recomputed).
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from safedossier.format.model import Dossier

T = TypeVar("T")

# id(dossier) → (weak reference to it, {function name: (inputs, result)})
_MEMO: dict[int, tuple[weakref.ref[Dossier], dict[str, tuple[tuple[Any, ...], Any]]]] = {}


def _forget(key: int) -> Callable[[object], None]:
    def drop(_ref: object) -> None:
        _MEMO.pop(key, None)
    return drop


def _entries(d: Dossier) -> dict[str, tuple[tuple[Any, ...], Any]]:
    key = id(d)
    hit = _MEMO.get(key)
    if hit is None or hit[0]() is not d:
        hit = _MEMO[key] = (weakref.ref(d, _forget(key)), {})
    return hit[1]


def per_dossier(*tables: str) -> Callable[[Callable[[Dossier], T]], Callable[[Dossier], T]]:
    """Memoise `fn(d)` per dossier object; `tables` are the tables `fn` reads (with the cycle, its inputs)."""
    def wrap(fn: Callable[[Dossier], T]) -> Callable[[Dossier], T]:
        name = f"{fn.__module__}.{fn.__qualname__}"

        def inputs_of(d: Dossier) -> tuple[Any, ...]:
            return (tuple(d.cycle), *(d.tables.get(t) for t in tables))

        @functools.wraps(fn)
        def memoised(d: Dossier) -> T:
            inputs = inputs_of(d)
            entries = _entries(d)
            hit = entries.get(name)
            if hit is not None and hit[0][0] == inputs[0] and all(
                    a is b for a, b in zip(hit[0][1:], inputs[1:], strict=True)):
                return hit[1]  # type: ignore[no-any-return]
            result = fn(d)
            entries[name] = (inputs, result)
            return result

        _PRIMERS[memoised] = lambda d, result: _entries(d).__setitem__(name, (inputs_of(d), result))
        return memoised
    return wrap


_PRIMERS: dict[Callable[..., Any], Callable[[Dossier, Any], None]] = {}


def prime(fn: Callable[[Dossier], T], d: Dossier, result: T) -> None:
    """Keep `result` as `fn(d)`, computed from this very dossier elsewhere: `dossier diff` has a child
    process check and count one version, and the dossier comes back pickled, as a new object."""
    _PRIMERS[fn](d, result)
