"""Files that operating systems, office suites and editors leave beside documents.

One list for everyone who must look past them: the loader (they are never dossier files) and the
preview's watcher (an open spreadsheet's lock file must not trigger a rebuild, let alone endless ones).
"""

from __future__ import annotations

OS_LITTER = frozenset({"thumbs.db", "desktop.ini", "ehthumbs.db", ".ds_store"})
# Excel/Word owner files (`~$x.xlsx`), LibreOffice locks (`.~lock.x.xlsx#`), Emacs locks (`.#x`)
_PREFIXES = ("~$", ".~lock.", ".#")
# Vim swap files, backup copies (`x~`), and `4913`, the file Vim writes to test a folder
_SUFFIXES = (".swp", ".swo", ".swx", "~")


def is_litter(name: str) -> bool:
    """True for a file name (no folder) that no office means as part of its dossier."""
    low = name.lower()
    return (low in OS_LITTER or name.startswith(_PREFIXES) or low.endswith(_SUFFIXES) or name == "4913"
            or (name.startswith("~") and low.endswith(".tmp")))  # Word's `~WRL0001.tmp` while saving
