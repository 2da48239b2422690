"""Folder names for the archive's versions: one per git tag, never shared, never a reserved name.

`v2023` is published as `2023/`; other tags keep their name, with characters outside letters,
digits, `.`, `_` and `-` replaced by `-`. That replacement can make two tags alike (`v2025+1`,
`v2025-1`), and so can a case-insensitive or Unicode-normalising filesystem (`Vx`, `vx`), or a tag
named like one of the archive's own files (`draft`, `versions.json`). Those tags get the readable
name plus `~` and a hash of the full tag name; `~` never occurs in a plain name, so the two kinds
cannot meet, and the hash makes the marked names distinct from each other.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

MAX_LEN = 60  # characters of the readable part: far below any filesystem's 255-byte limit
# Everything else at the archive's top level, and names Windows cannot create.
RESERVED = frozenset({"draft", "latest", "assets", "search", "versions.json", "index.html", "404.html",
                      "sitemap.xml", "sitemap.xml.gz", "robots.txt", "con", "prn", "aux", "nul",
                      *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))})
_UNSAFE = re.compile(r"[^\w.\-]+")


def _plain(tag: str) -> str:
    name = tag[1:] if re.fullmatch(r"v\d.*", tag, flags=re.S) else tag
    return _UNSAFE.sub("-", name)


def _fold(name: str) -> str:
    """What a case-insensitive, normalising filesystem (Windows, macOS) treats as the same name."""
    return unicodedata.normalize("NFC", name).casefold()


def _usable(name: str) -> bool:
    return (bool(name) and len(name) <= MAX_LEN and not name.startswith(".") and not name.endswith(".")
            and _fold(name) not in RESERVED and _fold(name.split(".")[0]) not in RESERVED)


def _marked(tag: str, plain: str, digits: int) -> str:
    readable = plain.lstrip(".")[:MAX_LEN].rstrip(".") or "tag"
    return f"{readable}~{hashlib.sha256(tag.encode('utf-8', 'surrogatepass')).hexdigest()[:digits]}"


def version_names(tags: Iterable[str]) -> dict[str, str]:
    """tag → folder name, injective over `tags` even after case folding.

    A tag whose name needed no replacement keeps it unless another such tag folds to the same name;
    a tag whose name needed replacement keeps it only if no tag at all folds to it. So adding
    `v2025+1` next to `v2025-1` leaves `2025-1/` (and its links) where it was."""
    tags = sorted(set(tags))
    plain = {t: _plain(t) for t in tags}
    clean = {t for t in tags if plain[t] == (t[1:] if re.fullmatch(r"v\d.*", t, flags=re.S) else t)}
    n_clean = Counter(_fold(plain[t]) for t in clean)
    n_all = Counter(_fold(p) for p in plain.values())
    out: dict[str, str] = {}
    for t in tags:
        p = plain[t]
        keep = _usable(p) and (n_clean[_fold(p)] == 1 if t in clean else n_all[_fold(p)] == 1)
        out[t] = p if keep else _marked(t, p, 10)
    folded = Counter(_fold(n) for n in out.values())
    for t in tags:  # two 40-bit hash prefixes alike: settle it with the whole hash
        if folded[_fold(out[t])] > 1:
            out[t] = _marked(t, plain[t], 64)
    return out


def version_name(tag: str) -> str:
    """The folder of a tag on its own (`v2023` → `2023`); see `version_names` for a set of tags."""
    return version_names([tag])[tag]
