"""Issue 11, class 4 (b)–(e): every byte of every output is searched; numbers in any spelling;
two-character names decided per occurrence; images published without their metadata."""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import edit, find, run_check
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from test_privacy import PRIVATE_HEADER, PRIVATE_ROWS

from safedossier.format.model import Dossier
from safedossier.format.validate import check
from safedossier.outputs.pdf.document import PdfOptions, typst_source
from safedossier.outputs.site.build import build
from safedossier.trust.guard import Guard

# a third resident: a mistyped ID (bad check character), a landline, an address
EXTRA_ROW = "A3,2025-03-05,女,70,跌倒/坠落,家中,轻度,处理后离院,李秀兰,110105195001010013,0571-88776655,西湖区文三路99号"
NAME, NAME2 = "欧阳秀英", "周平"
ID = "11010519491231002X"


def private(starter: Path) -> Path:
    rows = [*PRIVATE_ROWS, EXTRA_ROW]
    (starter / "data/injuries.csv").write_text(PRIVATE_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return starter


@pytest.fixture
def d(starter: Path) -> Dossier:
    dossier = check(private(starter)).dossier
    assert dossier is not None
    return dossier


def scan(d: Dossier, files: dict[str, bytes], tmp_path: Path) -> set[tuple[str, str]]:
    out = tmp_path / "out"
    for rel, data in files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    return {(lk.output, lk.kind) for lk in Guard(d).scan_dir(out)}


def pdf_with_text(text: str) -> bytes:
    """A real one-page PDF whose text is in a compressed content stream (not in the raw bytes)."""
    content = zlib.compress(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode())
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for n, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


def jpeg_with_exif(name: str = NAME, size: tuple[int, int] = (64, 32), orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[0x013B] = name  # Artist
    exif[0x9C9D] = name.encode("utf-16-le")  # XPAuthor (UTF-16, as Windows writes it)
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 10.0, 0.0)}  # GPS
    buf = io.BytesIO()
    Image.new("RGB", size, "red").save(buf, "JPEG", exif=exif, comment=b"13812345678")
    return buf.getvalue()


# --- (b) every file, every byte --------------------------------------------------------------

def test_leaks_inside_containers_metadata_names_and_escapes_are_found(d: Dossier, tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["姓名", NAME])
    xlsx = io.BytesIO()
    wb.save(xlsx)
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as zf:  # a name split across two runs
        zf.writestr("word/document.xml", f"<w:p><w:r><w:t>{NAME[:2]}</w:t></w:r><w:r><w:t>{NAME[2:]}</w:t></w:r></w:p>")
    manifest = json.dumps({"files": [{"path": f"evidence/{NAME}.pdf"}]}, ensure_ascii=True).encode()
    got = scan(d, {
        "a/table.xlsx": xlsx.getvalue(),
        "a/report.pdf": pdf_with_text(ID),
        "a/letter.docx": docx.getvalue(),
        "a/photo.jpg": jpeg_with_exif(),
        f"a/{NAME2}家.txt": b"ok",
        "manifest.json": manifest,
        "a/page.html": b'<a href="/s/%E6%AC%A7%E9%98%B3%E7%A7%80%E8%8B%B1">x</a>',
        "search/search_index.json": json.dumps({"text": "伤者" + NAME}, ensure_ascii=True).encode(),
        "a/utf16.txt": ("电话" + "13812345678").encode("utf-16"),
        "a/clean.html": "<p>每周平均复查一次，办公室电话 010-12345678</p>".encode(),
    }, tmp_path)
    assert got == {
        ("a/table.xlsx", "name"), ("a/report.pdf", "id_number"), ("a/letter.docx", "name"),
        ("a/photo.jpg", "name"), ("a/photo.jpg", "phone"), ("a/photo.jpg", "location"),
        (f"a/{NAME2}家.txt", "name"), ("manifest.json", "name"), ("a/page.html", "name"),
        ("search/search_index.json", "name"), ("a/utf16.txt", "phone"),
    }


def test_manifest_is_scanned_before_the_site_is_published(starter: Path, tmp_path: Path) -> None:
    # a page file named after an injured resident: manifest.json lists every source file by name
    private(starter)
    (starter / f"dossier/pages/{NAME}.md").write_text("# 走访记录\n\n已走访。\n", encoding="utf-8")
    res = build(starter, tmp_path / "site")
    assert not res.ok
    assert any("manifest.json" in m and "data/injuries.csv 第 2 行 [name]" in m for m in res.messages), res.messages
    assert not (tmp_path / "site").exists()


# --- (c) two-character names, per occurrence --------------------------------------------------

def test_two_character_name_pasted_into_public_text_fails_the_build(starter: Path, tmp_path: Path) -> None:
    private(starter)
    edit(starter / "data/hazards.csv", "楼道堆放杂物", f"{NAME2}家门口楼道堆放杂物")
    edit(starter / "dossier/11-corrective.yml", "完成后验证。", "完成后验证，每周平均复查一次。")
    res = build(starter, tmp_path / "site")
    assert not res.ok
    assert any("data/injuries.csv 第 3 行 [name]" in m and "elements/03-risk/index.html" in m
               for m in res.messages), res.messages
    assert not any("11-corrective" in m for m in res.messages), res.messages  # 每周平均 is words


def test_check_reports_private_values_in_public_fields(starter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    private(starter)
    edit(starter / "data/hazards.csv", "楼道堆放杂物", f"{NAME2}家门口楼道堆放杂物")
    edit(starter / "data/hazards.csv", "东风社区3号楼", "西湖区 文三路９９号")
    _, report = run_check(starter, capsys)
    hits = {(x["file"], x["line"], x["field"]) for x in find(report, "private_value")}
    assert hits == {("data/hazards.csv", 2, "description"), ("data/hazards.csv", 2, "location")}
    assert all(NAME2 not in x["found"] for x in find(report, "private_value"))  # masked


# --- (d) numbers and addresses in any spelling ------------------------------------------------

@pytest.mark.parametrize("text,kind", [
    ("电话 １３８１２３４５６７８", "phone"),  # full-width
    ("电话 138 1234 5678", "phone"),
    ("电话 138.1234.5678", "phone"),
    ("电话 +86 138-1234-5678", "phone"),
    ("电话 139\u00a01234\u30005678", "phone"),  # NBSP, ideographic space
    ("身份证 110105 19491231 002X", "id_number"),
    ("旧证 110105490101001", "id_number"),  # 15 digits, valid birth date
    ("证号 110105195001010013", "id_number"),  # from the table, bad check character
    ("座机 0571 8877 6655", "phone"),  # a landline from the table
    ("住在 西湖区 文三路９９号", "address"),  # the table's address, spaced and full-width
])
def test_numbers_and_addresses_in_any_spelling(d: Dossier, text: str, kind: str) -> None:
    assert {lk.kind for lk in Guard(d).scan_text(text, "x.html")} == {kind}


def test_office_phone_and_ordinary_numbers_pass(d: Dossier) -> None:
    office = str(d.community["office"]["phone"])
    text = f"办公室电话 {office}；2025-01-03；面积 18.6；0.281911621120517；编号 2023001"
    assert Guard(d).scan_text(text, "x.html") == []


_SEPS = st.sampled_from([" ", "-", ".", "\u00a0", "\u3000", " - ", ""])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_every_spelling_of_a_private_number_is_found(d: Dossier, data: st.DataObject) -> None:
    guard = Guard(d)
    value = data.draw(st.sampled_from(["13812345678", "15900001111", ID, "110105195001010013", "057188776655"]))
    cuts = sorted(data.draw(st.sets(st.integers(2, len(value) - 2), max_size=4)))
    groups = [value[a:b] for a, b in zip([0, *cuts], [*cuts, len(value)], strict=True)]
    if any(len(g) < 2 for g in groups):
        groups = [value]
    seps = [data.draw(_SEPS) for _ in groups[1:]]
    spelled = groups[0] + "".join(s + g for s, g in zip(seps, groups[1:], strict=True))
    if data.draw(st.booleans()):  # full-width
        spelled = spelled.translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)} | {ord("X"): "Ｘ"})
    if value.startswith("1") and len(value) == 11 and data.draw(st.booleans()):
        spelled = "+86 " + spelled
    leaks = guard.scan_text(f"联系：{spelled}。", "x.html")
    assert any(lk.source.startswith("data/injuries.csv") for lk in leaks), spelled


# --- (e) what evidence may be published --------------------------------------------------------

def add_evidence(starter: Path, rel: str, data: bytes, eid: str = "E03") -> None:
    (starter / "evidence" / rel).parent.mkdir(parents=True, exist_ok=True)
    (starter / "evidence" / rel).write_bytes(data)
    with (starter / "data/evidence.csv").open("a", encoding="utf-8") as fh:
        fh.write(f"{eid},现场照片,3,2025-03-01,{rel},照片,\n")


def assert_no_metadata(data: bytes) -> None:
    with Image.open(io.BytesIO(data)) as im:
        assert not im.getexif() and "comment" not in im.info and "exif" not in im.info
    assert NAME.encode() not in data and NAME.encode("utf-16-le") not in data and b"13812345678" not in data


def test_photo_metadata_is_stripped_from_site_and_pdf(starter: Path, tmp_path: Path) -> None:
    private(starter)
    add_evidence(starter, "03-risk/photo.jpg", jpeg_with_exif())
    add_evidence(starter, "03-risk/turned.jpg", jpeg_with_exif(orientation=6), "E04")
    res = build(starter, tmp_path / "site")
    assert res.ok, res.messages
    site = tmp_path / "site"
    assert_no_metadata((site / "evidence/03-risk/photo.jpg").read_bytes())
    turned = (site / "evidence/03-risk/turned.jpg").read_bytes()
    assert_no_metadata(turned)
    assert Image.open(io.BytesIO(turned)).size == (32, 64)  # the orientation is applied to the pixels
    for thumb in (site / "assets/thumbs").glob("*.jpg"):
        assert_no_metadata(thumb.read_bytes())
    # the PDF embeds the images a page shows: those lose their metadata too
    page = starter / "dossier/pages/work-report.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n\n![现场](../../evidence/03-risk/photo.jpg)\n",
                    encoding="utf-8")
    d = check(starter).dossier
    assert d is not None
    typst_source(d, PdfOptions(), tmp_path / "pdf")
    images = list((tmp_path / "pdf/images").iterdir())
    assert images
    for img in images:
        assert_no_metadata(img.read_bytes())


def test_png_text_chunks_are_dropped(starter: Path, tmp_path: Path) -> None:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_itxt("Author", NAME)
    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buf, "PNG", pnginfo=info)
    add_evidence(private(starter), "03-risk/scan.png", buf.getvalue())
    assert build(starter, tmp_path / "site").ok
    out = (tmp_path / "site/evidence/03-risk/scan.png").read_bytes()
    assert b"iTXt" not in out and Image.open(io.BytesIO(out)).size == (8, 8)


def test_evidence_pdf_with_an_id_number_fails_naming_file_page_and_row(starter: Path, tmp_path: Path) -> None:
    add_evidence(private(starter), "03-risk/record.pdf", pdf_with_text(ID))
    res = build(starter, tmp_path / "site")
    assert not res.ok
    msg = next(m for m in res.messages if "evidence/03-risk/record.pdf" in m)
    assert "第 1 页" in msg and "data/evidence.csv 第 4 行" in msg and "data/injuries.csv 第 2 行" in msg, msg
    assert ID not in msg


def test_id_ending_in_one_digit_and_x_is_found(d: Dossier) -> None:
    """Found by the property test above: the check character typed as its own group with one digit."""
    leaks = Guard(d).scan_text(f"联系：{ID[:2]} {ID[2:16]} {ID[16:]}。", "x.html")
    assert any(lk.kind == "id_number" and lk.source.startswith("data/injuries.csv") for lk in leaks)


def test_theme_files_are_skipped_only_when_byte_identical(d: Dossier, tmp_path: Path) -> None:
    """Material's own scripts are skipped (their bytes come from the package, not the dossier); one
    changed byte — a leak appended to a copy — and the file is read like any other."""
    from importlib import resources

    assets = Path(str(resources.files("material").joinpath("templates/assets/javascripts")))
    bundle = next(p for p in sorted(assets.glob("bundle.*.min.js")))
    out = tmp_path / "site" / "assets" / "javascripts"
    out.mkdir(parents=True)
    (out / bundle.name).write_bytes(bundle.read_bytes())
    (out / f"{NAME}.js").write_bytes(bundle.read_bytes())  # package bytes, but a name that leaks
    (out / "copy.min.js").write_bytes(bundle.read_bytes() + f"/*{ID}*/".encode())
    got = {(lk.output, lk.kind) for lk in Guard(d).scan_dir(tmp_path / "site")}
    assert got == {(f"assets/javascripts/{NAME}.js", "name"), ("assets/javascripts/copy.min.js", "id_number")}


def test_table_numbers_joined_by_spaces_are_no_id_or_phone() -> None:
    """Found building generated communities: Material's search index joins a table's cells with
    spaces, and '24 22 24 2024 86077 220' is 18 digits with a valid check character — but no birth
    date, so no ID. Mobiles and 15-digit IDs count only in the groupings people write."""
    from safedossier.trust.privacy import find_personal_numbers

    assert find_personal_numbers("按期销号率 24 22 24 2024 86077 220 次") == []
    assert find_personal_numbers("人数 138 12 34 56 78") == []  # 11 digits, but nobody groups a phone so
    assert find_personal_numbers("电话 138 1234 5678、13812345678、0086 138 1234 5678") == [
        ("phone", "138 1234 5678"), ("phone", "13812345678"), ("phone", "0086 138 1234 5678")]
