"""What counts as personal data in published text: ID-card numbers, mobile numbers.

Used twice: `dossier check` flags such numbers in free text before any build, and the build's
privacy guard scans everything it wrote.
"""

from __future__ import annotations

import re

# 18-character resident ID (GB 11643): 17 digits and a check character (digit or X).
ID_CARD = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
# Mainland mobile numbers: 11 digits starting 13–19, optionally written with +86 / spaces / dashes;
# not inside a longer run of letters and digits (a SHA-256 in hex is not a phone).
MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?![0-9A-Za-z])")

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"


def id_card_valid(number: str) -> bool:
    """True when an 18-character ID number's check character matches (GB 11643-1999)."""
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(c) * w for c, w in zip(number[:17], _WEIGHTS, strict=False))
    return _CHECK[total % 11] == number[17].upper()


def find_personal_numbers(text: str, allowed: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(kind, match) pairs for checksum-valid ID numbers and mobile numbers found in `text`.

    `allowed` holds digit strings that may be published (the office's own phone).
    """
    hits: list[tuple[str, str]] = []
    for m in ID_CARD.finditer(text):
        if id_card_valid(m.group(0)):
            hits.append(("id_number", m.group(0)))
    for m in MOBILE.finditer(text):
        digits = "".join(m.groups())
        if digits not in allowed:
            hits.append(("phone", m.group(0)))
    return hits


def digits_of(text: str) -> str:
    """The digits of a phone number as written, for comparing `office.phone` with hits."""
    d = re.sub(r"\D", "", text)
    return d[2:] if d.startswith("86") and len(d) == 13 else d
