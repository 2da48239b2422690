"""Every text a file carries, for the privacy guard: decoded bytes, containers, PDF text, metadata.

A file is recognised by its content, not its name (a spreadsheet renamed `.png` is still a zip).
Its bytes are always read as text too (UTF-8, and UTF-16 when a BOM or a NUL pattern says so), and
each text is decoded the ways browsers and JSON readers decode it: `\\uXXXX` escapes, HTML
entities, percent-encoded URLs. Sizes, member counts and nesting are bounded so a zip bomb costs
nothing.
"""

from __future__ import annotations

import hashlib
import html
import io
import re
import struct
import zipfile
from collections.abc import Callable, Iterator
from urllib.parse import unquote

MAX_MEMBER = 64 * 1024 * 1024  # bytes of one zip member read
MAX_MEMBERS = 5000
MAX_DEPTH = 3  # zip inside zip inside zip
_JSON_ESCAPE = re.compile(r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})")
_TAGS = re.compile(r"(?:<[^<>]{0,2000}>)+")
SVG_GEOMETRY = re.compile(r'\s(?:d|points|transform|viewBox|x|y|x1|x2|y1|y2|width|height|style|clip-path)="[^"]*"')
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")


def _json_unescape(text: str) -> str:
    def one(m: re.Match[str]) -> str:
        if m.group(3):
            return chr(int(m.group(3), 16))
        hi, lo = int(m.group(1), 16), int(m.group(2), 16)
        return chr(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))

    return _JSON_ESCAPE.sub(one, text)


def decoded(text: str) -> str:
    """`text` with JSON escapes, HTML entities and percent-encoding undone (twice, for double-encoding)."""
    for _ in range(2):
        before = text
        if "\\u" in text:
            text = _json_unescape(text)
        if "&" in text:
            text = html.unescape(text)
        if _PERCENT.search(text):
            text = unquote(text, errors="replace")
        if text == before:
            break
    return text


def byte_texts(data: bytes) -> Iterator[str]:
    """The bytes as UTF-8, and as UTF-16 when they look like it (BOM, or NULs every other byte)."""
    yield data.decode("utf-8", "replace")
    head = data[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        yield data.decode("utf-16", "replace")
        return
    if head.count(0) * 4 >= len(head) > 0:  # many NULs: try both byte orders
        for enc in ("utf-16-le", "utf-16-be"):
            yield data[: len(data) // 2 * 2].decode(enc, "replace")


def texts(data: bytes, depth: int = 0) -> Iterator[tuple[str, str, bool]]:
    """(where inside the file, text, numbers) triples; `where` is "" for the file itself, else a
    member, a page (`p. 3`), `metadata` or `GPS` (the image carries a location). `numbers` is False
    for markup with its tags removed: that text is searched for words only, since a table's cells
    joined up would make numbers nobody wrote."""
    svg = b"<svg" in data[:4096]
    for t in byte_texts(data):
        if svg:  # path data is numbers, not text a reader sees: search it for words only
            yield "", decoded(t), False
            t = SVG_GEOMETRY.sub("", t)
        yield "", decoded(t), True
        if "<" in t and ">" in t:  # markup: words split across elements join up (docx runs)
            yield "", decoded(_TAGS.sub("", t)), False
    if data.startswith(b"PK\x03\x04") and depth < MAX_DEPTH:
        yield from _zip_texts(data, depth)
    elif data.startswith(b"%PDF-") or b"%PDF-" in data[:1024]:
        yield from _parsed(_pdf_texts, data)
    elif _is_image(data):
        yield from _parsed(_image_texts, data)
    else:
        yield from _embedded_exif(data)  # HEIC, AVIF, video, anything else carrying an EXIF block


# What a parser found in a PDF or an image depends on its bytes alone, and an archive scans the same
# 2,000 evidence files in every version (pypdf alone took ~5 s a version): kept per process by the
# SHA-256 of the bytes, up to a bound on the text held.
_PARSED: dict[tuple[str, bytes], list[tuple[str, str, bool]]] = {}
_PARSED_CHARS = [0]
MAX_PARSED_CHARS = 32 * 1024 * 1024


def _parsed(parse: Callable[[bytes], Iterator[tuple[str, str, bool]]], data: bytes) -> list[tuple[str, str, bool]]:
    key = (parse.__name__, hashlib.sha256(data).digest())
    hit = _PARSED.get(key)
    if hit is None:
        hit = list(parse(data))
        size = sum(len(t) for _, t, _ in hit)
        if _PARSED_CHARS[0] + size <= MAX_PARSED_CHARS:
            _PARSED[key] = hit
            _PARSED_CHARS[0] += size
    return hit


def _zip_texts(data: bytes, depth: int) -> Iterator[tuple[str, str, bool]]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with zf:
        for info in zf.infolist()[:MAX_MEMBERS]:
            yield info.filename, decoded(info.filename), True
            if info.is_dir():
                continue
            try:
                with zf.open(info) as fh:
                    member = fh.read(MAX_MEMBER)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
                continue  # encrypted or broken: its raw bytes were read as text already
            for where, text, numbers in texts(member, depth + 1):
                yield f"{info.filename}{'!' + where if where else ''}", text, numbers


def _pdf_texts(data: bytes) -> Iterator[tuple[str, str, bool]]:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        meta = reader.metadata or {}
        yield "metadata", "\n".join(f"{k} {v}" for k, v in meta.items()), True
        xmp = reader.trailer["/Root"].get("/Metadata")
        if xmp is not None:
            yield "metadata", decoded(xmp.get_object().get_data().decode("utf-8", "replace")), True
        for n, page in enumerate(reader.pages, start=1):
            yield f"p. {n}", page.extract_text() or "", True
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return  # unreadable as a PDF: its raw bytes were scanned as text


def _is_image(data: bytes) -> bool:
    return data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF8", b"II*\x00", b"MM\x00*")) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def _image_texts(data: bytes) -> Iterator[tuple[str, str, bool]]:
    """Metadata Pillow reads: text chunks, comments, XMP, EXIF (all IFDs; GPS flagged by the guard)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            parts = [f"{k} {_text(v)}" for k, v in im.info.items() if k not in ("exif", "icc_profile")]
            exif = im.getexif()
            for tag, value in exif.items():
                parts.append(f"{tag} {_text(value)}")
            for ifd in (0x8769, 0x8825, 0xA005):  # Exif, GPS, interop
                for tag, value in exif.get_ifd(ifd).items():
                    parts.append(f"{tag} {_text(value)}")
            gps = bool(exif.get_ifd(0x8825))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return
    yield "metadata", decoded("\n".join(parts)), True
    if gps:
        yield GPS, "", False


_EXIF_BLOCK = re.compile(rb"Exif\x00\x00(?=II\*\x00|MM\x00\*)")


def _embedded_exif(data: bytes) -> Iterator[tuple[str, str, bool]]:
    """EXIF blocks inside files Pillow does not open (HEIC/AVIF photos, MP4, …): the same TIFF
    structure after an `Exif\\0\\0` marker, read with Pillow's EXIF parser; GPS flagged."""
    from PIL import Image

    for m in list(_EXIF_BLOCK.finditer(data))[:8]:
        exif = Image.Exif()
        try:
            exif.load(data[m.end(): m.end() + (1 << 20)])
            parts = [f"{tag} {_text(v)}" for tag, v in exif.items()]
            for ifd in (0x8769, 0x8825):
                parts += [f"{tag} {_text(v)}" for tag, v in exif.get_ifd(ifd).items()]
            gps = bool(exif.get_ifd(0x8825))
        except (OSError, ValueError, SyntaxError, KeyError, TypeError, struct.error):
            continue
        yield "metadata", decoded("\n".join(parts)), True
        if gps:
            yield GPS, "", False


GPS = "GPS"  # the `where` of an image that carries a location


def _text(value: object) -> str:
    if isinstance(value, bytes):  # XPAuthor/XPComment are UTF-16, UserComment has a charset prefix
        return value.decode("utf-8", "replace") + "\n" + value[: len(value) // 2 * 2].decode("utf-16-le", "replace")
    if isinstance(value, tuple):
        return " ".join(_text(v) for v in value)
    return str(value)
