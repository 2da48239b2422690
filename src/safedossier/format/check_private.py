"""Personal data where it would be published: numbers typed into free text, and an injured person's
name, address or number written into a public field."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from safedossier.format.context import Context, dotted
from safedossier.format.load import Sources, strings_of
from safedossier.format.model import Dossier
from safedossier.format.schema import (
    TABLES,
)
from safedossier.trust import privacy

# --- free text must not carry personal numbers ------------------------------------------------

def check_private_text(src: Sources, community: dict[str, Any], elements: dict[str, Any],
                        tables: dict[str, pd.DataFrame], ctx: Context) -> None:
    office_phone = privacy.digits_of(str((community.get("office") or {}).get("phone", "")))
    allowed = frozenset({office_phone}) if office_phone else frozenset()

    def flag(text: str, file: str, line: int | None, fld: str) -> None:
        for kind, hit in privacy.find_personal_numbers(text, allowed):
            what = ("身份证号码", "an ID-card number") if kind == "id_number" else ("手机号码", "a mobile number")
            ctx.report.error("private_text", file, line, fld, found=hit, what=what[0], what_en=what[1])

    for name, doc in src.yaml.items():
        for path, text in strings_of(doc.data):
            if name == "community.yml" and path == ("office", "phone"):
                continue
            flag(text, doc.file, doc.line(path), dotted(path))
    for page in src.pages:
        for n, line in enumerate(page.text.splitlines(), start=1):
            flag(line, page.file, n, "")
    for t in TABLES:
        df = tables.get(t.name)
        if df is None:
            continue
        for f in t.fields:
            if f.private or f.kind != "text" or f.key not in df.columns or f.key == "id":
                continue
            col = df[f.key].astype(str)
            if not _LONG_NUMBER.search("\n".join(col)):  # one C-speed pass over the whole column
                continue
            maybe = col.str.contains(_LONG_NUMBER, regex=True).to_numpy()
            for i in np.flatnonzero(maybe):
                flag(col.iloc[i], df.attrs["file"], int(df.attrs["rows"][i]), f.key)


def check_private_values(src: Sources, d: Dossier, ctx: Context) -> None:
    """An injured person's name, ID, phone or address typed into any public field: the build's
    privacy guard would refuse it, so say where it is now (numbers that look like one are errors
    of `check_private_text` already)."""
    from safedossier.trust.guard import Guard, mask

    guard = Guard(d)
    if not guard.has_values:
        return
    _check_not_names(src, guard, ctx)

    def flag(text: str, file: str, line: int | None, fld: str) -> None:
        for lk in guard.scan_text(text, file):
            if lk.source and not (lk.kind != "name" and privacy.find_personal_numbers(lk.value)):
                what = {"name": ("姓名", "a name"), "id_number": ("身份证号码", "an ID-card number"),
                        "phone": ("电话号码", "a phone number"), "address": ("住址", "an address")}[lk.kind]
                ctx.report.warn("private_value", file, line, fld, found=mask(lk.value), what=what[0],
                                what_en=what[1], source=lk.source)

    for doc in src.yaml.values():
        for path, text in strings_of(doc.data):
            flag(text, doc.file, doc.line(path), dotted(path))
    for page in src.pages:
        for n, line in enumerate(page.text.splitlines(), start=1):
            flag(line, page.file, n, "")
    for name, df in d.tables.items():
        for key in d.public_columns(name):
            col = df[key]
            if pd.api.types.is_datetime64_any_dtype(col) or pd.api.types.is_numeric_dtype(col):
                continue
            texts = col.fillna("").astype(str).to_numpy()
            if not guard.scan_text("\x00".join(pd.unique(texts)), ""):  # one pass; rows only on a hit
                continue
            for i, text in enumerate(texts):
                if text:
                    flag(text, df.attrs["file"], int(df.attrs["rows"][i]), key)


_LONG_NUMBER = re.compile(r"\d{11}|\d{3}[ -]\d{4}[ -]\d{4}|\d{17}[\dXx]")


def _check_not_names(src: Sources, guard: Any, ctx: Context) -> None:
    """community.yml `privacy.not_names`: each phrase must hold an injured person's name and be more than
    it (else it would hide the name itself); the phrases in effect are listed, so a reviewer of the
    commit sees what the office declared."""
    from safedossier.trust.guard import declared_phrases, mask

    doc = src.yaml.get("community.yml")
    if doc is None:
        return
    for i, phrase, words in declared_phrases(doc.data):
        path = ("privacy", "not_names", i)
        held = sorted(n for n in guard.names if n in words)
        if words in guard.names or words in guard.addresses or len(words) < 3:
            ctx.report.error("not_name_is_name", doc.file, doc.line(path), dotted(path), found=mask(words))
        elif held:
            ctx.report.info("not_name_in_effect", doc.file, doc.line(path), dotted(path), found=phrase,
                            name=mask(held[0]))
