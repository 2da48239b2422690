"""What counts as personal data in published text: ID-card numbers, phone numbers, in any spelling.

Used twice: `dossier check` flags such numbers in free text before any build, and the build's
privacy guard scans everything it wrote.

Numbers are compared after normalising how they were typed: NFKC (full-width digits and spaces
become ASCII) and the separators people put inside digit groups (spaces, NBSP, ideographic spaces,
dots, dashes) are dropped. A *digit run* is a maximal sequence of digits with at most one such
separator between neighbours; a pattern (mobile, ID card) must be a whole run, so a table's numbers
joined by spaces do not add up to a phone by accident, while a value copied from the injury table
is found anywhere inside a run.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

# 18-character resident ID (GB 11643): 17 digits and a check character (digit or X).
ID_CARD = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
# Mainland mobile numbers as typed in ASCII 3-4-4 (kept for callers that need the literal form).
MOBILE = re.compile(r"(?<![0-9A-Za-z])(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?![0-9A-Za-z])")

_SEP = r"[ \t\u00a0.\-\u2010-\u2015\u2212\u30fb\u00b7]"
# groups of two or more digits with one separator (or a space-dash-space) between them; an ID may
# end in X (alone or after one digit). Single digits never join a run: path data and number lists ("1.12.4-2.24-.16") stay apart.
_RUN = re.compile(rf"(?<![0-9A-Za-z.])[0-9]{{2,}}(?:(?:{_SEP}|\s?-\s?)[0-9]{{2,}})*"
                  rf"(?:(?:{_SEP}|\s?-\s?)?[0-9]?[Xx])?(?![0-9A-Za-z])")  # "… 100 2X": X after one digit
_DECIMAL = re.compile(r"[0-9]+\.[0-9]+")
_NOT_DIGIT = re.compile(r"[^0-9X]")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_MOBILE_DIGITS = re.compile(r"(?:0086|86)?(1[3-9][0-9]{9})")


_FORMAT_CHARS = re.compile(r"[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")


def normalise(text: str) -> str:
    """NFKC and no invisible format characters (soft hyphen, zero-width space/joiner, word joiner,
    BOM, direction marks — Unicode category Cf): how a number or name looks, not how it was typed."""
    if text.isascii():
        return text
    return _FORMAT_CHARS.sub("", unicodedata.normalize("NFKC", text))


def id_card_valid(number: str) -> bool:
    """True when 18 characters have an ID number's structure (GB 11643-1999): a region code starting
    1–8, a real birth date YYYYMMDD, and a matching check character. The date matters as much as the
    checksum: one in eleven runs of table numbers joined by spaces has a valid check character."""
    if len(number) != 18 or not number[:17].isdigit() or number[0] not in "12345678":
        return False
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if not 1900 <= born.year <= 2100:
        return False
    total = sum(int(c) * w for c, w in zip(number[:17], _WEIGHTS, strict=False))
    return _CHECK[total % 11] == number[17].upper()


def old_id_valid(number: str) -> bool:
    """A 15-digit ID (before 1999): region code, then a real birth date yymmdd, then 3 digits."""
    if len(number) != 15 or not number.isdigit() or number[0] in "09":
        return False
    try:
        dt.date(1900 + int(number[6:8]), int(number[8:10]), int(number[10:12]))
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class Run:
    """A digit run as written (`text`), its digits (`digits`), and where its groups end."""

    text: str
    digits: str
    bounds: frozenset[int]  # offsets into `digits` where a group starts or ends
    decimal: bool = False  # written like 12.345678: a measurement, never taken for a pattern


def digit_runs(text: str) -> Iterator[Run]:
    """Every digit run of an already normalised text that has at least 6 digits."""
    for m in _RUN.finditer(text):
        s = m.group(0)
        if len(s) < 6:
            continue
        groups = re.split(rf"(?:{_SEP}|\s?-\s?)", s)
        digits = "".join(groups).upper()
        if len(digits) < 6:
            continue
        bounds, pos = {0}, 0
        for g in groups:
            pos += len(g)
            bounds.add(pos)
        yield Run(s, digits, frozenset(bounds), bool(_DECIMAL.fullmatch(s)))


def pattern_kind(run: Run) -> str | None:
    """'id_number' / 'phone' when a whole run's digits are an ID-card or a mobile number."""
    if run.decimal:
        return None
    digits = run.digits
    edges = sorted(run.bounds)
    groups = [b - a for a, b in zip(edges, edges[1:], strict=False)] or [len(digits)]
    if len(digits) == 18 and id_card_valid(digits):  # its structure is rare enough in any grouping
        return "id_number"
    # Table cells joined by spaces make runs nobody wrote: the weaker patterns count only as people
    # write them (a 15-digit ID whole or 6-6-3; a mobile whole, 3-4-4, 3-8 or 7-4, maybe after 86)
    if len(digits) == 15 and groups in ([15], [6, 6, 3]) and old_id_valid(digits):
        return "id_number"
    if groups[0] in (2, 4) and digits.startswith(("86", "0086")[groups[0] == 4]) and len(groups) > 1:
        digits, groups = digits[groups[0]:], groups[1:]
    if len(digits) == 11 and groups in ([11], [3, 4, 4], [3, 8], [7, 4]) and _MOBILE_DIGITS.fullmatch(digits):
        return "phone"
    return None


def find_personal_numbers(text: str, allowed: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(kind, match as written) for ID-card numbers (18 digits with a valid check character, or 15
    digits with a valid birth date) and mobile numbers, in any spacing, dotting or width.

    `allowed` holds digit strings that may be published (the office's own phone).
    """
    hits: list[tuple[str, str]] = []
    for run in digit_runs(normalise(text)):
        kind = pattern_kind(run)
        if kind is not None and digits_of(run.digits) not in allowed:
            hits.append((kind, run.text))
    return hits


def digits_of(text: str) -> str:
    """The canonical digits of a number as written: no separators, full-width folded, no +86."""
    if text.isascii() and text.isdigit() and not text.startswith("86") and not text.startswith("0086"):
        return text  # the common case (a table's own numbers), 200,000 times per check: no regex
    d = _NOT_DIGIT.sub("", normalise(text).upper())
    m = _MOBILE_DIGITS.fullmatch(d)
    return m.group(1) if m else d


_PLAIN_COLUMN = re.compile(r"[0-9]+(?:\0[0-9]+)*")
_CN_PREFIX = re.compile(r"(?:^|\0)(?:86|0086)")


class NumberIndex:
    """The private numbers of the injury table, found in text whatever their spelling.

    Values of 11 or more digits are found anywhere inside a digit run (nobody types 11 digits by
    accident); shorter ones (a landline without area code) only as whole groups of a run.
    """

    def __init__(self, values: Iterable[tuple[str, str, str]]) -> None:
        """`values`: (kind, value as in the table, source) triples."""
        self.by_digits: dict[str, tuple[str, str]] = {}
        for kind, value, source in values:
            # the common case, a plain run of digits, is its own key: no call (100,000 a check)
            d = value if (value.isascii() and value.isdigit()
                                and not value.startswith(("86", "0086"))) else digits_of(value)
            if len(d) >= 6 and d not in self.by_digits:
                self.by_digits[d] = (kind, source)
        self.lengths = sorted({len(d) for d in self.by_digits})

    @classmethod
    def of_columns(cls, columns: Iterable[tuple[str, list[str], list[Any]]]) -> NumberIndex:
        """`NumberIndex` of whole columns (kind, values, sources), an earlier value winning as there:
        a column of plain digit runs (the common case) takes a few passes over the joined column
        instead of a call per value (an archive checks 1,000,000 of them in its newest version)."""
        idx = cls(())
        for kind, values, sources in columns:
            joined = "\0".join(values)
            if (joined.count("\0") == len(values) - 1 and _PLAIN_COLUMN.fullmatch(joined)
                    and not _CN_PREFIX.search(joined)):
                digits = values  # each value is its own key
            else:
                digits = [v if (v.isascii() and v.isdigit() and not v.startswith(("86", "0086")))
                          else digits_of(v) for v in values]
            found = dict(zip(reversed(digits), reversed([(kind, s) for s in sources]), strict=True))
            idx.by_digits = {**{d: v for d, v in found.items() if len(d) >= 6}, **idx.by_digits}
        idx.lengths = sorted({len(d) for d in idx.by_digits})
        return idx

    def find(self, run: Run) -> Iterator[tuple[str, str, str]]:
        """(kind, digits, source) of every table value inside `run`."""
        digits, n = run.digits, len(run.digits)
        for size in self.lengths:
            if size > n:
                break
            for i in range(n - size + 1):
                if size < 11 and (i not in run.bounds or i + size not in run.bounds):
                    continue
                hit = self.by_digits.get(digits[i:i + size])
                if hit is not None:
                    yield hit[0], digits[i:i + size], hit[1]
