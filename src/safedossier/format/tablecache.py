"""Parsed, validated tables kept on disk by content, so a table is read and checked once per version
of its bytes (check, build, diff, archive, portal and serve all start with `check`).

An entry is keyed by the SHA-256 of the file's bytes, the table's name, the cycle the dossier
declares (dates outside it are warned about), the tool's version, the source of every module that
decides how a table is read and checked (schema, code lists, readers, checks) and the library
versions. It holds everything reading and checking that table did: the typed frame, every
diagnostic call in order, the file's headers, the ids it defines and the references it makes —
replayed on a hit, so a hit gives exactly what a fresh check would.

Entries are plain data (JSON and raw arrays), never pickles: a cache file cannot run code. Each
starts with the SHA-256 of the rest; a truncated, corrupted or unreadable entry is ignored and the
table is read afresh.
"""

from __future__ import annotations

import hashlib
import json
import struct
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from safedossier import cache as disk
from safedossier.format.context import Context, Ref, as_year
from safedossier.format.diagnostics import Report

KIND = "tables"
_MAGIC = b"SDT1"
# the modules whose code decides a checked table (their bytes are part of every key)
# A cached table is encoded, hashed and written whole: about three copies of its text at once. A
# 500,000-row injury table (70 MB) took an archive of ten such versions past 2 GB and doubled its
# time, so tables above this size (about 150,000 rows) are simply read each time.
MAX_FILE_BYTES = 20 * 1024 * 1024
_MODULES = ("schema.py", "fields.py", "table_schema.py", "check_tables.py", "tableread.py", "context.py", "spreadsheet.py",
            "tablecache.py")


@cache
def _code_digest() -> str:
    h = hashlib.sha256(f"{sys.version}|pandas {pd.__version__}|numpy {np.__version__}".encode())
    here = Path(__file__).parent
    for name in _MODULES:
        h.update(b"\0" + (here / name).read_bytes())
    return h.hexdigest()


def declared_cycle(community: Any) -> tuple[int, int] | None:
    """The cycle community.yml states (what `validate` uses when it is well formed), else None."""
    cyc = community.get("cycle") if isinstance(community, dict) else None
    if not isinstance(cyc, dict):
        return None
    start, end = as_year(cyc.get("start")), as_year(cyc.get("end"))
    return (start, end) if start and end and start <= end else None


def table_key(data: bytes, name: str, cycle: tuple[int, int]) -> str:
    return disk.key(KIND, name, hashlib.sha256(data).hexdigest(), f"{cycle[0]}-{cycle[1]}", _code_digest())


class Recorder(Report):
    """A report that keeps every call in order (to replay into the real one later)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[list[Any]] = []

    def add(self, severity: str, code: str, file: str, line: int | None = None,
            field: str = "", found: object = "", **params: Any) -> None:
        self.calls.append([severity, code, file, line, field, None if found is None else str(found), params])
        super().add(severity, code, file, line, field, found, **params)


def replay(calls: list[list[Any]], report: Report) -> None:
    for severity, code, file, line, fld, found, params in calls:
        report.add(severity, code, file, line, fld, found, **params)


@dataclass
class Entry:
    """What reading and checking one table did (see the module docstring)."""

    frame: pd.DataFrame
    read_calls: list[list[Any]] = field(default_factory=list)
    check_calls: list[list[Any]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    ids: dict[str, list[list[Any]]] = field(default_factory=dict)
    refs: list[dict[str, Any]] = field(default_factory=list)


def merge_check(entry: Entry, ctx: Context) -> None:
    """Put a table's check into the dossier's context, as `check_table` would have."""
    replay(entry.check_calls, ctx.report)
    for ns, items in entry.ids.items():
        space = ctx.ids.setdefault(ns, {})
        for value, file, line in items:
            space.setdefault(value, (file, line))
    ctx.refs += [Ref(**{**r, "extra": tuple(r["extra"])}) for r in entry.refs]


def context_parts(sub: Context) -> tuple[dict[str, list[list[Any]]], list[dict[str, Any]]]:
    ids = {ns: [[v, f, ln] for v, (f, ln) in space.items()] for ns, space in sub.ids.items()}
    refs = [{"ns": r.ns, "file": r.file, "field": r.field, "values": list(r.values), "lines": list(r.lines),
             "extra": list(r.extra), "soft": r.soft} for r in sub.refs]
    return ids, refs


# --- entries on disk -----------------------------------------------------------------------------

def _json_default(o: Any) -> Any:
    if isinstance(o, np.integer):
        return int(o)
    if isinstance(o, np.floating):
        return float(o)
    if isinstance(o, tuple):
        return list(o)
    return str(o)


def encode(entry: Entry) -> bytes | None:
    """The entry's bytes, or None when the frame holds something this format does not keep."""
    df = entry.frame
    if not isinstance(df.index, pd.RangeIndex) or df.index.start != 0 or df.index.step != 1:
        return None
    blobs: list[bytes] = []
    cols: list[dict[str, Any]] = []

    def blob(data: bytes) -> int:
        blobs.append(data)
        return len(blobs) - 1

    for name in df.columns:
        s = df[name]
        spec: dict[str, Any] = {"name": name, "dtype": str(s.dtype)}
        if isinstance(s.dtype, pd.StringDtype) or s.dtype == object:
            values = s.to_numpy(dtype=object)
            missing = pd.isna(values) if s.dtype != object else np.array([v is None or v is pd.NA or
                                                                          (isinstance(v, float) and v != v)
                                                                          for v in values], dtype=bool)
            present = values[~missing]
            if isinstance(s.dtype, pd.StringDtype) or all(isinstance(v, str) for v in present):  # dtype: all str
                text = "\x00".join(present.tolist())
                if "\x00" in "".join(present.tolist()):
                    return None
                spec.update(kind="str", data=blob(text.encode("utf-8")), mask=blob(np.packbits(missing).tobytes()),
                            missing=None if s.dtype != object else "none")
            elif all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in present):
                spec.update(kind="lists", data=blob(json.dumps([v if not m else None for v, m in
                                                                zip(values.tolist(), missing, strict=True)],
                                                               ensure_ascii=False).encode("utf-8")))
            else:
                return None
        elif pd.api.types.is_datetime64_dtype(s.dtype):
            spec.update(kind="datetime", data=blob(s.to_numpy().view("int64").tobytes()))
        elif isinstance(s.dtype, pd.Int64Dtype):
            spec.update(kind="Int64", data=blob(s.fillna(0).to_numpy(dtype="int64").tobytes()),
                        mask=blob(np.packbits(s.isna().to_numpy()).tobytes()))
        elif s.dtype in (np.float64, np.bool_, np.int64):
            spec.update(kind="numpy", data=blob(s.to_numpy().tobytes()))
        else:
            return None
        cols.append(spec)
    rows = df.attrs.get("rows")
    head = {"n": len(df), "columns": cols, "file": df.attrs.get("file"),
            "rows": blob(np.asarray(rows, dtype=np.int64).tobytes()) if rows is not None else None,
            "sizes": [len(b) for b in blobs], "read_calls": entry.read_calls, "check_calls": entry.check_calls,
            "headers": entry.headers, "ids": entry.ids, "refs": entry.refs}
    try:
        header = json.dumps(head, ensure_ascii=False, default=_json_default).encode("utf-8")
    except (TypeError, ValueError):
        return None
    payload = struct.pack("<Q", len(header)) + header + b"".join(blobs)
    return _MAGIC + hashlib.sha256(payload).digest() + payload


def decode(data: bytes) -> Entry | None:
    """The entry in `data`, or None when it is not whole and exactly as written."""
    try:
        if data[:4] != _MAGIC or hashlib.sha256(data[36:]).digest() != data[4:36]:
            return None
        payload = memoryview(data)[36:]
        (hlen,) = struct.unpack("<Q", payload[:8])
        head = json.loads(bytes(payload[8:8 + hlen]).decode("utf-8"))
        starts = np.cumsum([8 + hlen, *head["sizes"]]).tolist()
        blobs = [bytes(payload[a:b]) for a, b in zip(starts, starts[1:], strict=False)]
        n = head["n"]
        columns: dict[str, Any] = {}
        for spec in head["columns"]:
            columns[spec["name"]] = _column(spec, blobs, n)
        frame = pd.DataFrame(columns, index=pd.RangeIndex(n))
        if head["rows"] is not None:
            frame.attrs["rows"] = np.frombuffer(blobs[head["rows"]], dtype=np.int64).copy()
        if head["file"] is not None:
            frame.attrs["file"] = head["file"]
        return Entry(frame, head["read_calls"], head["check_calls"], head["headers"], head["ids"], head["refs"])
    except (ValueError, KeyError, IndexError, TypeError, struct.error, UnicodeDecodeError):
        return None


def _column(spec: dict[str, Any], blobs: list[bytes], n: int) -> pd.Series:
    kind, raw = spec["kind"], blobs[spec["data"]]
    if kind == "str":
        missing = np.unpackbits(np.frombuffer(blobs[spec["mask"]], dtype=np.uint8), count=n).astype(bool)
        text = raw.decode("utf-8")
        present = text.split("\x00") if text or (~missing).sum() else []
        values = np.empty(n, dtype=object)
        values[~missing] = present
        values[missing] = None
        out = pd.Series(values, dtype=spec["dtype"])
    elif kind == "lists":
        out = pd.Series(json.loads(raw.decode("utf-8")), dtype=object)
    elif kind == "datetime":
        out = pd.Series(np.frombuffer(raw, dtype="int64").copy().view(spec["dtype"]))
    elif kind == "Int64":
        missing = np.unpackbits(np.frombuffer(blobs[spec["mask"]], dtype=np.uint8), count=n).astype(bool)
        out = pd.Series(pd.arrays.IntegerArray(np.frombuffer(raw, dtype=np.int64).copy(), missing))
    elif kind == "numpy":
        out = pd.Series(np.frombuffer(raw, dtype=spec["dtype"]).copy())
    else:
        raise ValueError(kind)
    if len(out) != n:
        raise ValueError("length")
    return out


def load(key: str) -> Entry | None:
    data = disk.get(KIND, key)
    return decode(data) if data is not None else None


def store(key: str, entry: Entry) -> None:
    if disk.enabled():
        data = encode(entry)
        if data is not None:
            disk.put_soon(KIND, key, data)
