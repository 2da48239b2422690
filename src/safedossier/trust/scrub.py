"""Images leave the dossier without their metadata: no EXIF, XMP, GPS, comments or embedded thumbnails.

A phone photo carries the photographer's name, the device, the time and the place (GPS) it was
taken, sometimes an unredacted preview; none of that is published. What is kept is what a reader
sees: the pixels (losslessly where the format allows), the colour profile, and the orientation —
which is applied to the pixels when it is not upright, since the tag that said so is gone.

- JPEG: segments are filtered without re-encoding: APP1 (EXIF, XMP), APP2 other than the ICC profile,
  APP3–APP13 (Photoshop IRB, …), APP15, COM and anything after the end of the image (MPO previews,
  appended files) are dropped; JFIF loses its thumbnail. Re-encoded only to apply an orientation.
- PNG: only chunks that draw the image are kept (text, eXIf, tIME and private chunks are dropped).
- Other images Pillow reads (GIF, WebP, TIFF, BMP): re-encoded in their own format without metadata.
Anything else is returned unchanged: the privacy guard reads its text and refuses to publish it.
"""

from __future__ import annotations

import io
import struct
from pathlib import Path

from safedossier import cache

_PNG = b"\x89PNG\r\n\x1a\n"
_PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB",
             b"cICP", b"bKGD", b"pHYs", b"acTL", b"fcTL", b"fdAT"}
_KEEP_INFO = ("duration", "loop", "transparency", "background", "disposal", "icc_profile", "dpi")


class ScrubError(ValueError):
    """The file claims to be an image but could not be cleaned."""


def publish_copy(src: Path, dest: Path) -> None:
    """Write `src` to a new file `dest` as it may be published: images without metadata, other files
    as they are. Always a copy, never a hard link, and never over an existing file: a later write to
    the build's path would otherwise go through the link into the dossier's own file."""
    data = src.read_bytes()
    try:
        clean = scrubbed(data)
    except ScrubError:
        clean = data  # not a readable image: published as is, after the guard has read every byte
    with dest.open("xb") as fh:
        fh.write(clean)


def scrubbed(data: bytes) -> bytes:
    """`data` without metadata when it is an image (the same object when it is not an image)."""
    if data.startswith(b"\xff\xd8\xff"):
        return _reencode(data, "JPEG") if _orientation(data) not in (0, 1) else _jpeg(data)
    if data.startswith(_PNG):
        return _reencode(data, "PNG") if _orientation(data) not in (0, 1) else _png(data)
    if data.startswith((b"GIF8", b"II*\x00", b"MM\x00*", b"BM")) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return _reencode(data, "")
    return data


def _orientation(data: bytes) -> int:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as im:
            return int(im.getexif().get(0x0112, 1) or 1)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return 0


def _jpeg(data: bytes) -> bytes:
    out, i, n = [b"\xff\xd8"], 2, len(data)
    while i + 1 < n:
        if data[i] != 0xFF:
            raise ScrubError("JPEG: marker expected")
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0xD9:
            break
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out.append(data[i:i + 2])
            i += 2
            continue
        if i + 4 > n:
            raise ScrubError("JPEG: truncated")
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        seg = data[i:i + 2 + length]
        if len(seg) != 2 + length or length < 2:
            raise ScrubError("JPEG: truncated segment")
        i += 2 + length
        if marker == 0xE0 and seg[4:9] == b"JFIF\x00" and length >= 16:
            out.append(b"\xff\xe0\x00\x10" + seg[4:16] + b"\x00\x00")  # the header, without its thumbnail
        elif (0xE0 <= marker <= 0xEF or marker == 0xFE) and not (
                (marker == 0xE2 and seg[4:16] == b"ICC_PROFILE\x00") or (marker == 0xEE and seg[4:9] == b"Adobe")):
            pass  # metadata: APPn other than the colour profile and Adobe's colour transform, comments
        else:
            out.append(seg)
        if marker == 0xDA:  # entropy-coded data up to the next marker that is not stuffing or a restart
            j = i
            while True:
                j = data.find(b"\xff", j)
                if j < 0 or j + 1 >= n:
                    raise ScrubError("JPEG: no end of image")
                nxt = data[j + 1]
                if nxt == 0x00 or 0xD0 <= nxt <= 0xD7:
                    j += 2
                    continue
                break
            out.append(data[i:j])
            i = j
    else:
        raise ScrubError("JPEG: no end of image")
    out.append(b"\xff\xd9")  # and nothing after it
    return b"".join(out)


def _png(data: bytes) -> bytes:
    out, i, n = [_PNG], len(_PNG), len(data)
    while i + 8 <= n:
        length = struct.unpack(">I", data[i:i + 4])[0]
        kind = data[i + 4:i + 8]
        end = i + 12 + length
        if end > n:
            raise ScrubError("PNG: truncated chunk")
        if kind in _PNG_KEEP:
            out.append(data[i:end])
        i = end
        if kind == b"IEND":
            return b"".join(out)
    raise ScrubError("PNG: no IEND")


def _reencode(data: bytes, fmt: str) -> bytes:
    """Pixels only, upright, in the same format (cached by content: photos are large)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    k = cache.key("scrub", "1", data)
    hit = cache.get("scrub", k)
    if hit is not None:
        return hit
    try:
        Image.MAX_IMAGE_PIXELS = 40_000_000  # refuse decompression bombs
        with Image.open(io.BytesIO(data)) as im:
            fmt = fmt or str(im.format)
            frames = getattr(im, "n_frames", 1) if fmt in ("GIF", "WEBP", "PNG") else 1
            # a copy: a TIFF saved from its own file object would carry its XMP/IPTC tags along
            upright = ImageOps.exif_transpose(im) if frames == 1 else im
            upright = upright.copy() if upright is im and frames == 1 else upright
            keep = {key: im.info[key] for key in _KEEP_INFO if key in im.info}
            upright.info = {}
            buf = io.BytesIO()
            opts: dict[str, object] = {k: v for k, v in keep.items() if k != "dpi" or fmt != "GIF"}
            if fmt == "JPEG":
                opts.update(quality=95)
                upright = upright.convert("RGB") if upright.mode not in ("RGB", "L", "CMYK") else upright
            elif fmt == "WEBP":
                opts.update(quality=90)
            if frames > 1:
                opts.update(save_all=True)
            upright.save(buf, fmt, **opts)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, KeyError, Image.DecompressionBombError) as exc:
        raise ScrubError(str(exc)) from exc
    out = buf.getvalue()
    out = _jpeg(out) if out.startswith(b"\xff\xd8\xff") else _png(out) if out.startswith(_PNG) else out
    cache.put("scrub", k, out)
    return out
