"""Attacks a security review of the trust modules found after issue 11's fixes, each reproduced as
a hostile contributor would commit it (SECURITY.md's promises 2–5)."""

from __future__ import annotations

import hashlib
import io
import re
import struct
from pathlib import Path

import pytest
from conftest import edit, find, run_check
from PIL import Image
from test_privacy_outputs import ID, NAME, private

from safedossier.format.validate import check
from safedossier.outputs.site.build import build
from safedossier.trust.guard import Guard
from safedossier.trust.siteconfig import css_problem


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink()}


def site_text(site: Path) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*.html"))


def test_front_matter_in_a_page_sets_nothing(starter: Path, tmp_path: Path) -> None:
    """MkDocs reads `---` YAML or bare `key: value` lines at the top of a page as its metadata, and
    Material prints it unescaped: a page could choose the redirect template and run script."""
    (starter / "dossier/pages/zz.md").write_text(
        '---\ntemplate: redirect.html\nlocation: x",alert(document.domain),"\n---\n# 通知\n', encoding="utf-8")
    (starter / "dossier/pages/yy.md").write_text(
        'description: 0;url=https://evil.example/" http-equiv="refresh\ntitle: T" x="\n\n# 说明\n', encoding="utf-8")
    out = tmp_path / "site"
    res = build(starter, out)
    assert res.ok, res.messages
    zz = (out / "pages/zz/index.html").read_text(encoding="utf-8")
    yy = (out / "pages/yy/index.html").read_text(encoding="utf-8")
    assert "alert(document.domain)" not in zz.split("<article")[0] and "location.replace" not in zz
    assert 'http-equiv="refresh"' not in yy and 'x="' not in yy.split("<body")[0]


def test_no_build_writes_through_to_a_source(starter: Path, tmp_path: Path) -> None:
    """Two evidence files that publish under one name (a.html → a.html.txt), and an override at a
    path the build writes itself, once wrote through hard links into the dossier's own files."""
    ev = starter / "evidence/01-organisation"
    (ev / "a.html.txt").write_text("ORIGINAL", encoding="utf-8")
    (ev / "a.html").write_text("<b>x</b>", encoding="utf-8")
    with (starter / "data/evidence.csv").open("a", encoding="utf-8") as fh:
        fh.write("E03,一,1,2025-01-10,01-organisation/a.html.txt,文件,\nE04,二,1,2025-01-10,01-organisation/a.html,文件,\n")
    (starter / "overrides/assets/custom").mkdir(parents=True)
    (starter / "overrides/assets/custom/0-brand.css").write_text("/*ORIGINAL*/", encoding="utf-8")
    (starter / "brand.css").write_text("body{color:red}", encoding="utf-8")
    with (starter / "mkdocs.yml").open("a", encoding="utf-8") as fh:
        fh.write("extra_css:\n  - brand.css\n")
    before = tree(starter)
    out = tmp_path / "site"
    assert build(starter, out).ok
    assert tree(starter) == before
    published = sorted(p.name for p in (out / "evidence/01-organisation").glob("a.html*"))
    assert published == ["a.html.2.txt", "a.html.txt"]  # both published, neither over the other


def test_a_page_linked_into_data_or_git_is_not_read(starter: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    (starter / "dossier/pages/stats.md").symlink_to("../../data/injuries.csv")
    (starter / ".git").mkdir()
    (starter / ".git/config").write_text("[remote]\n url = https://office:ghp_SECRETTOKEN123@git.example\n")
    (starter / "dossier/pages/cfg.md").symlink_to("../../.git/config")
    rc, rep = run_check(starter, capsys)
    assert {d["file"] for d in find(rep, "link_outside")} == {"dossier/pages/stats.md", "dossier/pages/cfg.md"}
    assert rc == 1  # a link leading out of its folder is an error: nothing is built from it


@pytest.mark.parametrize(("css", "why"), [
    ('@import "/*";\n@import url(https://evil.example/a.css);\nx{content:"*/"}\n', "@import"),
    ('a{content:"\\""} body{background:url(https://evil.example/c.png)} c{content:"x"}\n', "escape"),
    ('body{background-image:url("\x01 https://evil.example/v1.png")}\n', "control"),
    ('.a{background-image:image-set("//evil.example/x.png" 1x)}\n', "//evil"),
    ('.a{background:url(//evil.example/x.png)}\n', "//evil"),
])
def test_style_sheets_cannot_reach_outside(tmp_path: Path, css: str, why: str) -> None:
    f = tmp_path / "c.css"
    f.write_text(css, encoding="utf-8")
    problem = css_problem(f)
    assert problem is not None and why in problem


def test_a_plain_style_sheet_is_accepted(tmp_path: Path) -> None:
    f = tmp_path / "ok.css"
    f.write_text('body{background:url(img/bg.png);color:#333} h1{font-family:"Noto Sans CJK SC"}\n'
                 '.logo{background:url("logo.png")} .d{background:url(data:image/png;base64,iVBORw0KGgo=)}\n',
                 encoding="utf-8")
    assert css_problem(f) is None


def test_images_from_other_sites_are_links_not_images(starter: Path, tmp_path: Path) -> None:
    (starter / "dossier/pages/img.md").write_text(
        "# 图\n\n![l](https://evil.example/p.png)\n\n![r][1]\n\n[1]: //evil.example/ref.png\n", encoding="utf-8")
    out = tmp_path / "site"
    assert build(starter, out).ok
    page = (out / "pages/img/index.html").read_text(encoding="utf-8")
    assert not re.search(r"<img[^>]+src=\"(?:https?:)?//", page)
    assert 'href="https://evil.example/p.png"' in page  # still there, as a link a reader may follow


def _exif_with_gps() -> bytes:
    im = Image.new("RGB", (8, 8))
    exif = im.getexif()
    exif[0x9C9D] = NAME.encode("utf-16-le") + b"\0\0"  # XPAuthor, as Windows writes it
    exif.get_ifd(0x8825)[2] = (30.0, 15.0, 0.0)  # GPSLatitude
    buf = io.BytesIO()
    im.save(buf, "JPEG", exif=exif.tobytes())
    data = buf.getvalue()
    i = data.index(b"Exif\x00\x00")
    (size,) = struct.unpack(">H", data[i - 2:i])
    return data[i:i - 2 + size]


def test_exif_inside_a_heic_photo_is_found(starter: Path, tmp_path: Path) -> None:
    """HEIC (iPhone photos) and AVIF are not images Pillow opens here: their EXIF block is read anyway."""
    private(starter)
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 16 + _exif_with_gps() + b"\x00" * 32
    (starter / "evidence/01-organisation/site-visit.heic").write_bytes(heic)
    with (starter / "data/evidence.csv").open("a", encoding="utf-8") as fh:
        fh.write("E03,现场照片,1,2025-01-10,01-organisation/site-visit.heic,照片,\n")
    res = build(starter, tmp_path / "site")
    assert not res.ok
    text = "\n".join(res.messages)
    assert "site-visit.heic" in text and "GPS" in text and "姓名" in text


@pytest.mark.parametrize("spelled", [
    "周\u00ad平家门口", f"{NAME[:1]}\u200d{NAME[1:]}", "139\u20601234\u20605678", "138\u00ad1234\u00ad5678",
    f"{ID[:6]}\u00ad{ID[6:]}",
])
def test_invisible_characters_do_not_hide_a_value(starter: Path, spelled: str) -> None:
    d = check(private(starter)).dossier
    assert d is not None
    assert Guard(d).scan_text(f"联系：{spelled}。", "x.html"), spelled


def test_a_phone_split_by_code_spans_is_found(starter: Path, tmp_path: Path) -> None:
    private(starter)
    edit(starter / "dossier/pages/work-report.md", "## 主要做法", "## 主要做法\n\n联系 `138`1234`5678` 即可。\n")
    res = build(starter, tmp_path / "site")
    assert not res.ok and any("电话号码" in m for m in res.messages), res.messages


def test_a_lock_file_link_is_never_followed(starter: Path, tmp_path: Path) -> None:
    from safedossier.cli import main

    outside = tmp_path / "outside-file"
    (tmp_path / ".site.lock").symlink_to(outside)
    assert main(["build", str(starter), "-o", str(tmp_path / "site")]) == 1
    assert not outside.exists()


def test_serve_answers_only_to_its_own_name(starter: Path) -> None:
    import http.client

    from conftest import serving

    with serving(starter) as port:
        for host, status in ((f"127.0.0.1:{port}", 200), (f"localhost:{port}", 200), ("evil.example", 400)):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/", headers={"Host": host})
            assert conn.getresponse().status == status, host
            conn.close()


def test_a_tag_whose_gitattributes_hide_files_is_not_archived_as_if_complete(tmp_path: Path) -> None:
    from conftest import git, make_repo

    from safedossier.archive.versions import build_archive

    repo = make_repo(tmp_path / "repo")
    (repo / ".gitattributes").write_text("data/hazards.csv export-ignore\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "attributes", date="2025-12-21T10:00:00+08:00")
    git(repo, "tag", "-a", "v2026", "-m", "2026", date="2025-12-21T10:00:00+08:00")
    res = build_archive(repo, tmp_path / "site", draft=False)
    assert not res.ok
    assert any("hazards.csv" in m and "export-ignore" in m for vr in res.versions for m in vr.messages)
