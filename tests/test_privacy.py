"""The privacy guard: personal data in any written output fails the build and names its source."""

from __future__ import annotations

import hashlib
from pathlib import Path

from conftest import edit
from hypothesis import given, settings
from hypothesis import strategies as st

from safedossier.format.validate import check
from safedossier.outputs.site.build import build
from safedossier.trust.guard import Guard
from safedossier.trust.privacy import find_personal_numbers, id_card_valid

PRIVATE_HEADER = "编号,发生日期,性别,年龄,原因,地点,严重程度,结局,姓名,身份证号,电话,住址\n"
PRIVATE_ROWS = [
    "A1,2025-01-03,女,81,跌倒/坠落,家中,轻度,处理后离院,欧阳秀英,11010519491231002X,13812345678,东风路8号3单元",
    "A2,2025-02-11,男,34,机动车车祸,公路/街道,中度,住院,周平,110105199003070039,15900001111,",
]


def with_private(starter: Path) -> Path:
    (starter / "data/injuries.csv").write_text(PRIVATE_HEADER + "\n".join(PRIVATE_ROWS) + "\n", encoding="utf-8")
    return starter


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in root.rglob("*") if p.is_file()}


def test_id_card_checksum() -> None:
    assert id_card_valid("11010519491231002X")
    assert not id_card_valid("110105194912310021")
    assert find_personal_numbers("电话 139 1234 5678") == [("phone", "139 1234 5678")]
    assert find_personal_numbers("办公室 0571-86001234，文号 2023001") == []


def test_clean_dossier_with_private_columns_builds(starter: Path, tmp_path: Path) -> None:
    res = build(with_private(starter), tmp_path / "site")
    assert res.ok, res.messages


def test_leaked_name_fails_and_names_the_source(starter: Path, tmp_path: Path) -> None:
    with_private(starter)
    out = tmp_path / "site"
    assert build(starter, out).ok
    before = tree(out)
    # an office pastes an injured resident's name into a public field
    edit(starter / "data/hazards.csv", "楼道堆放杂物", "欧阳秀英家门口楼道堆放杂物")
    res = build(starter, out)
    assert not res.ok
    assert any("data/injuries.csv 第 2 行 [name]" in m and "elements/03-risk/index.html" in m
               for m in res.messages), res.messages
    assert "欧阳秀英" not in "\n".join(res.messages)  # the log does not republish it
    assert tree(out) == before  # nothing already published was removed or changed


def test_two_character_word_is_not_a_name(starter: Path, tmp_path: Path) -> None:
    with_private(starter)
    edit(starter / "dossier/11-corrective.yml", "完成后验证。", "完成后验证，每周平均复查一次。")
    assert build(starter, tmp_path / "site").ok  # 周平 inside 每周平均 is a word, written in public


def test_a_name_that_is_also_a_word_can_be_declared_in_a_phrase(starter: Path, tmp_path: Path) -> None:
    """An injured 高峰 and a public 早晚高峰: the guard cannot tell them apart, so the build fails until the
    office declares the phrase; 高峰 standing on its own is still found, and the name itself cannot be
    declared."""
    (starter / "data/injuries.csv").write_text(
        PRIVATE_HEADER + PRIVATE_ROWS[0] + "\n" + PRIVATE_ROWS[1].replace("周平", "高峰") + "\n", encoding="utf-8")
    corrective = starter / "dossier/11-corrective.yml"
    edit(corrective, "完成后验证。", "完成后验证，早晚高峰时段加强巡查。")
    out = tmp_path / "site"
    res = build(starter, out)
    assert not res.ok and any("elements/11-corrective/index.html" in m for m in res.messages), res.messages
    community = starter / "dossier/community.yml"
    declared = community.read_text(encoding="utf-8") + "privacy:\n  not_names: [早晚高峰]\n"
    community.write_text(declared, encoding="utf-8")
    notes = [x for x in check(starter).diagnostics if x.code == "not_name_in_effect"]
    assert [(x.file, x.found) for x in notes] == [("dossier/community.yml", "早晚高峰")]
    res = build(starter, out)
    assert res.ok, res.messages
    assert "早晚高峰时段" in (out / "elements/11-corrective/index.html").read_text(encoding="utf-8")
    edit(corrective, "早晚高峰时段加强巡查。", "早晚高峰时段加强巡查。高峰在家门口摔伤。")
    assert not build(starter, out).ok  # the person standing alone is still a leak
    community.write_text(declared.replace("[早晚高峰]", "[早晚高峰, 高峰]"), encoding="utf-8")
    errors = [x for x in check(starter).diagnostics if x.code == "not_name_is_name"]
    assert errors and errors[0].severity == "error" and errors[0].found == "高*"  # masked even here


def test_numbers_in_any_output_are_found(starter: Path, tmp_path: Path) -> None:
    d = check(with_private(starter)).dossier
    assert d is not None
    out = tmp_path / "out"
    (out / "search").mkdir(parents=True)
    (out / "search/search_index.json").write_text('{"text": "联系 159-0000-1111 或 11010519491231002X"}')
    (out / "chart.svg").write_text('<svg><path d="M 139 1234 5678 L 1 2"/><text>东风路8号3单元</text></svg>')
    (out / "ok.html").write_text("<p>办公室电话 010-12345678</p>")
    leaks = Guard(d).scan_dir(out)
    got = {(lk.output, lk.kind, lk.source) for lk in leaks}
    assert got == {
        ("search/search_index.json", "phone", "data/injuries.csv 第 3 行 [phone]"),
        ("search/search_index.json", "id_number", "data/injuries.csv 第 2 行 [id_number]"),
        ("chart.svg", "address", "data/injuries.csv 第 2 行 [address]"),
    }


_TEXT = st.text(alphabet=st.sampled_from(list("张三丰李 \t\u3000\u00a0\u200b\u00ad\u0301\u0308ＡＢ１２ｶﾞ①Ⅸ\ufb01e")), max_size=6)


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXT, max_size=8))
def test_names_normalised_together_are_normalised_one_by_one(values: list[str]) -> None:
    """The guard normalises a column of names in one pass (`words_of`): exactly what one call per
    name gives, whatever combining marks, full-width forms, blanks or format characters they hold."""
    from safedossier.trust.guard import _words, words_of

    assert words_of(values) == [_words(v) for v in values]


_NUMBER = st.one_of(st.from_regex(r"\A1[3-9][0-9]{9}\Z"), st.from_regex(r"\A[0-9]{4,18}\Z"),
                    st.from_regex(r"\A(\+?86|0086)[ -]?1[3-9][0-9]{9}\Z"), st.from_regex(r"\A[0-9]{3}[ -][0-9]{4}[ -][0-9]{4}\Z"),
                    st.text(alphabet=st.sampled_from(list("0123456789１２Xx- ,\0")), min_size=6, max_size=20))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["id_number", "phone"]), _NUMBER, st.integers(2, 99)), max_size=10))
def test_a_column_of_numbers_indexes_as_its_numbers_one_by_one(rows: list[tuple[str, str, int]]) -> None:
    """`NumberIndex.of_columns` (whole columns, the fast path for plain digit runs) is the index
    `NumberIndex` builds value by value, earlier rows and columns winning alike."""
    from safedossier.trust.privacy import NumberIndex

    rows = sorted(rows, key=lambda r: r[0])  # id numbers first, as the guard adds them
    one = NumberIndex((k, v, s) for k, v, s in rows)
    cols = [(k, [v for kk, v, _ in rows if kk == k], [s for kk, _, s in rows if kk == k]) for k in ("id_number", "phone")]
    whole = NumberIndex.of_columns(c for c in cols if c[1])
    assert whole.by_digits == one.by_digits and whole.lengths == one.lengths
