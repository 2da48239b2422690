"""The submission PDF, read back with pypdf: structure, text, fonts, privacy, determinism, glyph check.

The example dossier is built once per module (about 3 s); the expectations are taken from the source
files themselves (YAML and CSV read here, not through the loader), so a loader bug cannot hide.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import edit
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from safedossier.format.model import Dossier
from safedossier.format.schema import ELEMENTS
from safedossier.format.validate import check
from safedossier.outputs.pdf.document import PdfError, PdfOptions, build_pdf, font_set, typst_source

REPO = Path(__file__).resolve().parents[1]
COMMIT = "0123456789abcdef0123456789abcdef01234567"
CHANGES = ("# 本版变更\n\n## 新增\n\n- 隐患 H-2025-013 已登记\n    - 整改期限：2025-09-09\n        - 第三层\n"
           "- 字面符号 `#` $x$ <script>alert(1)</script>\n\n> 引用\n\n| 项目 | 变化 |\n|---|---|\n| 隐患 | +1 |\n")
OPTS = PdfOptions(version="2025", commit=COMMIT, snapshot_date=dt.date(2025, 12, 31), changes_md=CHANGES,
                  manifest={"version": "2025", "files": {"dossier/community.yml": "abc"}})


@pytest.fixture(scope="module")
def example() -> Dossier:
    d = check(REPO).dossier
    assert d is not None
    return d


@pytest.fixture(scope="module")
def built(example: Dossier, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "dossier.pdf"
    build_pdf(example, out, OPTS)
    return out


@pytest.fixture(scope="module")
def reader(built: Path) -> PdfReader:
    return PdfReader(built)


@pytest.fixture(scope="module")
def texts(reader: PdfReader) -> list[str]:
    return [p.extract_text() for p in reader.pages]


def _flat(text: str) -> str:
    """Text without whitespace: pypdf puts spaces where Typst spaces CJK from Latin letters."""
    return re.sub(r"\s+", "", text)


def _outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """(level, title, 1-based page) of every bookmark."""
    out: list[tuple[int, str, int]] = []

    def walk(items: list[Any], level: int) -> None:
        for it in items:
            if isinstance(it, list):
                walk(it, level + 1)
            else:
                out.append((level, str(it.title), reader.get_destination_page_number(it) + 1))
    walk(reader.outline, 1)
    return out


def test_pages_and_metadata(reader: PdfReader, built: Path) -> None:
    assert len(reader.pages) > 20
    meta = reader.metadata
    assert meta is not None and "清溪街道" in str(meta.title) and "2025" in str(meta.title)
    assert str(meta.get("/CreationDate", "")).startswith("D:20251231")
    assert reader.pages[0].mediabox.width < reader.pages[0].mediabox.height  # A4 portrait
    assert round(float(reader.pages[0].mediabox.width)) == 595
    assert "manifest.json" in reader.attachments


def test_bookmarks_hold_every_element_as_top_level(reader: PdfReader) -> None:
    marks = _outline(reader)
    top = [title for level, title, _ in marks if level == 1]
    for el in ELEMENTS:
        assert any(el.label in t and str(el.number) in t for t in top), el.label
    for section in ("社区概况", "要素完备情况", "伤害与事故统计", "佐证材料索引", "工作文件", "附录"):
        assert any(section in t for t in top), section
    # elements in order 1…12
    pos = [next(i for i, t in enumerate(top) if el.label in t) for el in ELEMENTS]
    assert pos == sorted(pos)
    # the project sections and narrative pages are bookmarks below their element / section
    projects = yaml.safe_load((REPO / "dossier/05-projects.yml").read_text(encoding="utf-8"))["projects"]
    titles = {t for _, t, _ in marks}
    assert all(any(p["name"] in t for t in titles) for p in projects)


def test_cover_and_contents_with_page_numbers(reader: PdfReader, texts: list[str]) -> None:
    cover = _flat(texts[0])
    for s in ("清溪街道", "安全社区建设档案", "全国安全社区", "2023–2025", "2025-12-31", COMMIT):
        assert s in cover, s
    assert "所在地区浙江省、临江市、清溪区" in cover and "版本依据" in cover  # issue 13 §5: region, "not 提交"
    contents = texts[1]
    assert "目录" in contents
    # every element's contents entry gives the page its bookmark points at
    pages = {t: p for level, t, p in _outline(reader) if level == 1}
    toc = _flat("".join(texts[1:4]))
    for el in ELEMENTS[:6]:
        title = next(t for t in pages if el.label in t)
        m = re.search(re.escape(_flat(title)) + r"\.*(\d+)", toc)
        assert m, title
        assert int(m.group(1)) == pages[title]
        assert _flat(title) in _flat(texts[pages[title] - 1])
    # running header and footer
    assert "第 5 页 / 共" in texts[4] and f"共 {len(reader.pages)} 页" in texts[4]
    assert "清溪街道安全社区建设档案" in texts[4] and "版本 2025" in texts[4]


def test_chinese_text_equals_the_source(texts: list[str]) -> None:
    full = "\n".join(texts)
    community = yaml.safe_load((REPO / "dossier/community.yml").read_text(encoding="utf-8"))
    assert community["name"] in full
    projects = yaml.safe_load((REPO / "dossier/05-projects.yml").read_text(encoding="utf-8"))["projects"]
    for p in projects:
        assert p["name"] in full, p["name"]
    # narrative pages and the change summary are there too
    assert "自评总分 135.54 / 150.00" in full  # the self-assessment section (dossier/self-assessment.yml)
    assert "<script>alert(1)</script>" in full and "$x$" in full  # escaped, printed literally


def test_every_printed_character_has_a_glyph(texts: list[str]) -> None:
    # Typst's own additions (list markers, leaders) are not in the source the glyph check reads;
    # a glyph the fonts lack comes back from the PDF as U+0000.
    covered = font_set().covered
    assert not {c for c in "".join(texts) if ord(c) not in covered and not c.isspace()}
    assert "第三层" in "".join(texts)


def _fonts(res: Any, seen: set[int]) -> list[DictionaryObject]:
    """Font dictionaries of a resource dictionary, also inside form XObjects."""
    out: list[DictionaryObject] = []
    if isinstance(res, IndirectObject):
        res = res.get_object()
    if not isinstance(res, DictionaryObject) or id(res) in seen:
        return out
    seen.add(id(res))
    for f in (res.get("/Font") or {}).values():
        out.append(f.get_object())
    for x in (res.get("/XObject") or {}).values():
        x = x.get_object()
        if "/Resources" in x:
            out += _fonts(x["/Resources"], seen)
    return out


def test_fonts_are_embedded_sc_fonts(reader: PdfReader) -> None:
    names = set()
    seen: set[int] = set()
    for page in reader.pages:
        for font in _fonts(page.get("/Resources"), seen):
            for desc_font in font.get("/DescendantFonts", [font]):
                desc_font = desc_font.get_object()
                descriptor = desc_font["/FontDescriptor"].get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), desc_font
                names.add(str(desc_font["/BaseFont"]).split("+", 1)[-1])
    assert names
    assert all("CJKsc" in n for n in names), names  # Simplified Chinese faces, not JP/KR/TC
    assert any("NotoSerifCJKsc" in n for n in names) and any("NotoSansCJKsc" in n for n in names)


def test_long_table_repeats_its_header(texts: list[str]) -> None:
    # rows of the hazard register: an id followed by the date it was found
    row = re.compile(r"H-\d{4}-\d{3}\s*\d{4}-\d{2}-\d{2}")
    pages = [i for i, t in enumerate(texts) if row.search(t)]
    assert len(pages) >= 2
    assert pages == list(range(pages[0], pages[0] + len(pages)))  # one table, consecutive pages
    for i in pages:
        flat = _flat(texts[i])
        assert "隐患描述" in flat and "整改期限" in flat and "销号日期" in flat, i + 1


def test_evidence_index_lists_sha256(texts: list[str]) -> None:
    flat = _flat("".join(texts))
    with (REPO / "data/evidence.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        digest = hashlib.sha256((REPO / "evidence" / r["file"]).read_bytes()).hexdigest()
        assert digest[:32] in flat and digest[32:] in flat, r["id"]
        assert r["title"].replace(" ", "") in flat


CHECKLIST_HEAD = "佐证材料核对应有的佐证已有现有佐证缺口"


def _evidence_titles() -> dict[str, str]:
    with (REPO / "data/evidence.csv").open(encoding="utf-8-sig") as fh:
        return {r["id"]: r["title"] for r in csv.DictReader(fh)}


def test_every_element_section_shows_its_evidence_checklist(texts: list[str]) -> None:
    """Issue 13 §3 in the PDF: expected vs present evidence and the gaps, per element, as on the site."""
    flat = _flat("".join(texts))
    sections = flat.split(CHECKLIST_HEAD)[1:]
    assert len(sections) == len(ELEMENTS)  # one checklist in each element's section, in order
    at = [m.start() for m in re.finditer(CHECKLIST_HEAD, flat)]
    for n, el in enumerate(ELEMENTS, 1):
        heading = flat.rindex(f"要素{n}：{el.label}", 0, at[n - 1])
        assert heading > (at[n - 2] if n > 1 else flat.index("要素1：")), n  # after the previous element's
    titles = _evidence_titles()
    # element 4: which plans have their text (read from the YAML here) and which do not
    plans = yaml.safe_load((REPO / "dossier/04-goals.yml").read_text(encoding="utf-8"))["plans"]
    gaps = [p["id"] for p in plans if not p.get("evidence")]
    present = sorted({e for p in plans for e in p.get("evidence") or []})
    goals = sections[3][:sections[3].index("相关佐证材料")]
    expected = (f"×每项规划或计划的文本{len(plans) - len(gaps)}/{len(plans)}"
                + "、".join(f"{i}{titles[i]}" for i in present) + "、".join(gaps))
    assert _flat(expected) in goals, goals
    # element 7: a drill with evidence in each of the three years, nothing lacking
    with (REPO / "data/drills.csv").open(encoding="utf-8-sig") as fh:
        years = {r["date"][:4] for r in csv.DictReader(fh) if r["evidence"]}
    assert f"✓每年都有附佐证的应急演练{len(years)}/3" in sections[6] and len(years) == 3


def test_evidence_index_says_who_cites_each_item(texts: list[str]) -> None:
    """Issue 13 §3 in the PDF: every evidence item names the records citing it (titles, not file names)."""
    flat = _flat("".join(texts))
    annex = flat[flat.rindex("佐证材料索引1.安全社区建设机构与职责"):]
    titles = _evidence_titles()
    assert annex.count("被引用：") == len(titles)
    with (REPO / "data/drills.csv").open(encoding="utf-8-sig") as fh:
        drills = [r for r in csv.DictReader(fh) if "E020" in r["evidence"].split(";")]
    e020 = annex[annex.index("E020" + titles["E020"]):]
    e020 = e020[:e020.index("E021")]
    cited = "、".join(f"{r['id']}{r['scenario']}" for r in drills) + "、要素7：应急预案和响应"
    assert "被引用：" + _flat(cited) in e020, e020
    assert "flood-drill" not in e020.split("被引用：")[1].split("照片")[0]  # a title, never the file name


def test_private_injury_values_never_appear(texts: list[str]) -> None:
    flat = _flat("".join(texts))
    with (REPO / "data/injuries.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    private = {k: {r[k] for r in rows if r.get(k)} for k in ("name", "id_number", "phone", "address")}
    assert private["name"] and private["id_number"] and private["phone"]
    for k in ("id_number", "phone", "address"):
        assert not [v for v in private[k] if v in flat], k
    # A two-character private name may be part of a committee member's longer, published name.
    with (REPO / "data/members.csv").open(encoding="utf-8-sig") as fh:
        members = [r["姓名"] for r in csv.DictReader(fh)]
    rest = flat
    for m in sorted(members, key=len, reverse=True):
        rest = rest.replace(m, "")
    assert not [v for v in private["name"] if v in rest]


def test_two_builds_are_byte_identical(example: Dossier, built: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.pdf"
    build_pdf(example, again, OPTS)
    assert again.read_bytes() == built.read_bytes()


def test_typst_source_writes_main_and_vector_charts(example: Dossier, tmp_path: Path) -> None:
    main = typst_source(example, PdfOptions(), tmp_path)
    assert main == tmp_path / "main.typ"
    text = main.read_text(encoding="utf-8")
    assert '#set text(lang: "zh", region: "cn"' in text and "table.header(" in text
    charts = sorted(p.name for p in (tmp_path / "charts").glob("*.svg"))
    assert "injuries-by-year.svg" in charts and len(charts) >= 7
    assert all(f"charts/{c}" in text for c in charts if c != "accidents-by-year.svg" or "accidents" in text)


def _starter_pdf(starter: Path, tmp_path: Path, opts: PdfOptions | None = None) -> tuple[Path, str]:
    d = check(starter).dossier
    assert d is not None
    out = tmp_path / "starter.pdf"
    build_pdf(d, out, opts or PdfOptions())
    return out, "\n".join(p.extract_text() for p in PdfReader(out).pages)


def test_hostile_text_is_printed_literally(starter: Path, tmp_path: Path) -> None:
    hostile = r'老年人#防跌倒 $x^2$ <script>alert(1)</script> [a](b) *b* _c_ \ @ref // = ] 项目'
    edit(starter / "dossier/05-projects.yml", "name: 老年人防跌倒项目", f"name: '{hostile}'")
    edit(starter / "dossier/05-projects.yml", "projects:", "summary: '# 不是标题 #set page(width: 1cm)'\nprojects:")
    _, text = _starter_pdf(starter, tmp_path)
    flat = _flat(text)
    assert _flat(hostile) in flat
    assert "#set page(width: 1cm)" in text.replace("＃", "#")


@pytest.mark.parametrize(("file", "old", "char"), [
    ("dossier/05-projects.yml", "name: 老年人防跌倒项目", "\ue000"),
    ("dossier/community.yml", "name: 示例街道", "\U0001f9ff"),
])
def test_character_without_glyph_fails_naming_file_and_text(
        starter: Path, tmp_path: Path, file: str, old: str, char: str) -> None:
    path = starter / file
    text = path.read_text(encoding="utf-8")
    if old not in text:
        pytest.skip(f"starter has no {old!r}")
    edit(path, old, old + char + "后缀")
    d = check(starter).dossier
    assert d is not None
    outdir = tmp_path / "out"
    outdir.mkdir()
    out = outdir / "out.pdf"
    out.write_bytes(b"previous")
    with pytest.raises(PdfError) as exc:
        build_pdf(d, out, PdfOptions())
    files = [f for f, _ in exc.value.messages]
    assert file in files
    msg = next(m for f, m in exc.value.messages if f == file)
    assert f"U+{ord(char):04X}" in msg and old.split(": ")[1] + char + "后缀" in msg
    assert out.read_bytes() == b"previous"  # the old file is untouched, nothing left behind
    assert sorted(p.name for p in outdir.iterdir()) == ["out.pdf"]


def test_character_without_glyph_in_a_table_names_the_table(starter: Path, tmp_path: Path) -> None:
    hazards = starter / "data/hazards.csv"
    rows = hazards.read_text(encoding="utf-8").splitlines()
    assert len(rows) > 1
    head = rows[0].split(",")
    cells = rows[1].split(",")
    i = head.index("隐患描述")
    cells[i] = cells[i] + "\ue000"
    rows[1] = ",".join(cells)
    hazards.write_text("\n".join(rows) + "\n", encoding="utf-8")
    d = check(starter).dossier
    assert d is not None
    with pytest.raises(PdfError) as exc:
        build_pdf(d, tmp_path / "out.pdf", PdfOptions())
    assert [f for f, _ in exc.value.messages] == ["data/hazards.csv"]
    assert not (tmp_path / "out.pdf").exists()


def test_page_images_inside_the_dossier_only(starter: Path, tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (40, 20), (0, 121, 107)).save(starter / "evidence/photo.png")
    outside = tmp_path / "outside.png"
    Image.new("RGB", (40, 20), (200, 0, 0)).save(outside)
    (starter / "dossier/pages/work-report.md").write_text(
        "# 工作报告\n\n![现场照片](../../evidence/photo.png)\n\n"
        f"![外部图片]({outside})\n\n![上级目录](../../../outside.png)\n", encoding="utf-8")
    out, text = _starter_pdf(starter, tmp_path)
    images = [name for page in PdfReader(out).pages for name in page.images]
    assert len(images) == 1  # only the picture inside the dossier is embedded
    assert "[外部图片]" in text and "[上级目录]" in text


def test_fonts_are_cut_to_the_document_and_keep_their_names(tmp_path: Path) -> None:
    import uharfbuzz as hb

    from safedossier.outputs.pdf.fonts import subset_fonts

    text = "安全社区建设档案 第 3 页 / 共 9 页 —— “跌倒”预防（2025）"
    folder = subset_fonts(font_set().faces, text, tmp_path / "fonts")
    files = {int(p.name.split("-")[0]): p for p in folder.iterdir()}
    assert sorted(files) == list(range(len(font_set().faces)))
    families = set()
    for n, f in enumerate(font_set().faces):
        face = files[n]
        cut = hb.Face(hb.Blob.from_file_path(str(face)), 0)
        families.add(cut.get_name(hb.OTNameIdPredefined.FONT_FAMILY))
        assert {ord(ch) for ch in text} <= set(cut.unicodes)
        assert "齉" not in {chr(c) for c in cut.unicodes}  # a character the text does not use
        assert face.stat().st_size * 10 < f.path.stat().st_size  # what Typst keeps in memory
    assert families == {f.family for f in font_set().faces}


def _no_leftovers(tmp: Path) -> list[str]:
    return sorted(p.name for p in tmp.iterdir() if p.name.startswith(("dossier-pdf-", "safedossier-pdf-")))


def test_cli_pdf_prepares_in_a_child_and_compiles_here(starter: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capfd: pytest.CaptureFixture[str]) -> None:
    """`dossier pdf` runs its data phase in a child process: the PDF, the errors and the clean-up
    must be the same as if it were one process."""
    import tempfile

    from safedossier.cli import main

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))  # the child's temporary folders
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))  # and this process's
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert main(["pdf", str(starter), "-o", str(a)]) == 0
    assert main(["pdf", str(starter), "-o", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert "示例街道" in _flat(PdfReader(a).pages[0].extract_text())
    assert _no_leftovers(tmp) == []
    capfd.readouterr()

    edit(starter / "dossier/community.yml", "name: 示例街道", "name: 示例街道\U0001f9ff")
    assert main(["pdf", str(starter), "-o", str(a)]) == 1
    err = capfd.readouterr().err  # printed by the child process
    assert "dossier/community.yml" in err and "U+1F9FF" in err and "PDF 未生成" in err
    assert a.read_bytes() == b.read_bytes()  # the previous PDF is untouched
    assert _no_leftovers(tmp) == []


def test_ctrl_c_during_pdf_leaves_nothing(tmp_path: Path) -> None:
    """Ctrl-C reaches both processes of `dossier pdf` (one process group): exit 130, one message, no
    PDF and no temporary folder left behind."""
    import os
    import signal
    import subprocess
    import sys
    import time

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    out = tmp_path / "out.pdf"
    # a terminal's Ctrl-C: SIGINT not ignored, whatever this process inherited (an ignored SIGINT is
    # inherited across exec, and Python then installs no KeyboardInterrupt handler)
    proc = subprocess.Popen([sys.executable, "-m", "safedossier.cli", "pdf", str(REPO), "-o", str(out)],
                            start_new_session=True, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "TMPDIR": str(tmp)},
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # wait until the child (the data phase) is running
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        if children.exists() and children.read_text().split():
            break
        time.sleep(0.01)
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.count("已中断 / interrupted") == 1 and "Traceback" not in err
    assert not out.exists()
    assert list(tmp.iterdir()) == []
