"""A language derived from another (zh-TW from zh, docs_tools/translation/derived.py): its phrase table
still applies, every entry has a test sentence that converts as stated, the converted pages
keep the source's code and hold no Simplified character, and its freshness is its source's.

The fixture tests show that each of these fails on bad input, naming the file and the fix.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from docs_tools.translation import derived, freshness as translations
from docs_tools.languages import followed, languages
from markdown_pages import DOCS, REFERENCE, WRITTEN

DERIVED = derived.derived_languages()
TABLES = {lang: derived.load(derived.table_path(lang)) for lang in DERIVED}
PHRASES = [(lang, phrase) for lang, table in TABLES.items() for phrase in table.phrases]


def test_there_is_a_derived_language_and_it_follows_a_written_one():
    assert DERIVED == ["zh-TW"]
    assert followed("zh-TW") == "zh" and "zh" in WRITTEN and "zh-TW" not in WRITTEN
    assert languages()["zh-TW"].pages_dir.is_relative_to(DOCS.parent / "build"), "derived pages are never committed"


@pytest.mark.parametrize("lang", DERIVED)
def test_derived_pages_tables_labels_and_notebooks_have_no_problems(lang):
    problems = derived.problems([lang])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang, phrase", PHRASES, ids=lambda x: getattr(x, "source", x))
def test_every_phrase_converts_its_test_sentence(lang, phrase):
    """The table's own test cases: before -> after, and the entry is what makes the difference."""
    table = TABLES[lang]
    before, after = phrase.test
    hits: Counter = Counter()
    assert derived.convert(before, table, hits) == after
    assert hits[phrase.source], f"{phrase.source} is not applied in its own test sentence"
    alone = derived.Table(table.path, table.opencc, tuple(p for p in table.phrases if p.source != phrase.source))
    assert derived.convert(before, alone) != after, "OpenCC gets this sentence right without the entry"


def test_the_table_fixes_what_opencc_alone_gets_wrong():
    """Three sentences of our pages, as s2twp alone gives them and as the zh-TW pages have them."""
    table = derived.load(derived.table_path("zh-TW"))
    bare = derived.Table(table.path, table.opencc, ())
    cases = {
        "`e` 的第一个元素就是 `a` 的第一行与 `b` 的第一列对应元素相乘再求和":
            ("`e` 的第一個元素就是 `a` 的第一行與 `b` 的第一列對應元素相乘再求和",
             "`e` 的第一個元素就是 `a` 的第一列與 `b` 的第一欄對應元素相乘再求和"),
        "而且可以访问每一个中间层": ("而且可以訪問每一箇中間層", "而且可以存取每一個中間層"),
        "损失函数衡量分数与目标值之间的差距": ("損失函式衡量分數與目標值之間的差距", "損失函數衡量分數與目標值之間的差距"),
    }
    for source, (opencc_alone, ours) in cases.items():
        assert derived.convert(source, bare) == opencc_alone
        assert derived.convert(source, table) == ours


def test_code_is_never_converted():
    table = derived.load(derived.table_path("zh-TW"))
    text = "打印 `print(\"打印\")`：\n\n```bash\necho 打印\n```\n"
    assert derived.convert(text, table) == "印出 `print(\"打印\")`：\n\n```bash\necho 打印\n```\n"


# Fixtures: bad input fails, naming the file and the fix -----------------------------------

def _table(tmp_path: Path, phrases: str) -> Path:
    path = tmp_path / "derived" / "zh-TW.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("opencc: s2twp\nphrases:\n" + phrases, encoding="utf-8")
    return path


def test_an_entry_that_matches_nothing_fails(tmp_path):
    path = _table(tmp_path, "  - {zh: 噪声, tw: 雜訊, test: [带噪声的直线, 帶雜訊的直線]}\n"
                            "  - {zh: 数据流图, tw: 資料流程圖, test: [一张数据流图, 一張資料流程圖]}\n")
    problems = derived.table_problems("zh-TW", derived.load(path), {"page.md": "带噪声的直线"})
    assert problems == [f"{path}: phrase 2 (数据流图 -> 資料流程圖) matches nothing in the zh pages or code comments any more: "
                        "delete it, or change it to the wording the pages now use"]


def test_a_test_sentence_that_converts_otherwise_fails(tmp_path):
    path = _table(tmp_path, "  - {zh: 噪声, tw: 噪音, test: [带噪声的直线, 帶雜訊的直線]}\n")
    [problem] = derived.table_problems("zh-TW", derived.load(path), {"page.md": "带噪声的直线"})
    assert "phrase 1 (噪声 -> 噪音): its test sentence converts to '帶噪音的直線', not '帶雜訊的直線'" in problem


def test_an_entry_opencc_does_not_need_fails(tmp_path):
    path = _table(tmp_path, "  - {zh: 数据, tw: 資料, test: [带噪声的数据, 帶噪聲的資料]}\n")
    [problem] = derived.table_problems("zh-TW", derived.load(path), {"page.md": "带噪声的数据"})
    assert "phrase 1 (数据 -> 資料): its test sentence converts the same without it: delete the entry" in problem


@pytest.mark.parametrize("phrases, message", [
    ("  - {zh: 噪声, tw: 雜訊}\n", "phrase 1 (噪声): needs `test: [a zh sentence, its conversion]`"),
    ("  - {zh: 噪声, use: 雜訊, test: [a, b]}\n", "phrase 1: each phrase needs `zh:`"),
    ("  - {zh: 噪声, tw: 雜訊, test: [带噪声, 帶雜訊]}\n  - {zh: 噪声, tw: 噪音, test: [带噪声, 帶噪音]}\n",
     "phrase 2: '噪声' is already phrase 1"),
    ("  - [噪声\n", "not valid YAML"),
])
def test_a_malformed_table_names_the_file_and_entry(tmp_path, phrases, message):
    path = _table(tmp_path, phrases)
    with pytest.raises(derived.DerivedError) as error:
        derived.load(path)
    assert str(path) in str(error.value) and message in str(error.value)


def test_a_missing_table_says_where_it_belongs(tmp_path):
    with pytest.raises(derived.DerivedError, match="zh-TW.yml is missing: a derived language needs its conversion table"):
        derived.load(tmp_path / "zh-TW.yml")


def test_a_simplified_character_left_on_a_page_fails_with_its_line():
    source = "# 标题 {#title}\n\n这是 `code`。\n"
    problems = derived.page_problems("zh-TW", "guides/x.md", source, "# 標題 {#title}\n\n这是 `code`。\n")
    assert problems == ["zh-TW/guides/x.md (from docs/zh/guides/x.md):3: Simplified-only character '这' survives "
                        "the conversion: add a phrase for its word to docs/derived/zh-TW.yml"]


def test_characters_both_scripts_write_are_not_flagged():
    assert derived.simplified_left("若干層，離群值，註明了，激活值，只有") == []
    assert derived.simplified_left("若干层\n只有这个") == [(1, "层"), (2, "这"), (2, "个")]


def test_changed_code_fails():
    [problem] = derived.page_problems("zh-TW", "index.md", "见 `a_b`", "見 `a_c`")
    assert "index.md (from docs/zh/index.md): the conversion changed code" in problem


def test_a_simplified_label_fails_naming_the_config(tmp_path):
    config = tmp_path / "zh-TW.yml"
    config.write_text("site_name: 经过测试的教學\n", encoding="utf-8")
    problems = derived.label_problems("zh-TW", config)
    assert problems[0] == f"{config}:1: Simplified-only character '经': this file is written in Traditional Chinese by hand"


# Freshness follows the source -------------------------------------------------------------

def test_a_derived_page_is_behind_exactly_when_its_source_page_is(tmp_path):
    docs = tmp_path / "docs"
    for lang in WRITTEN:
        shutil.copytree(DOCS / lang, docs / lang)
    locks = tmp_path / "locks"
    translations.mark_fresh([(lang, page) for lang in WRITTEN if lang != REFERENCE
                             for page in translations.english_pages(docs)], docs, locks)
    assert translations.status("zh-TW", "guides/tensors.md", docs, locks).state == "current"
    english = docs / "en/guides/tensors.md"
    english.write_text(english.read_text(encoding="utf-8").replace("you cannot write into a tensor", "tensors are fixed"),
                       encoding="utf-8")
    zh, tw = (translations.status(lang, "guides/tensors.md", docs, locks) for lang in ("zh", "zh-TW"))
    assert tw.state == zh.state == "behind" and tw.changes == zh.changes and tw.lang == "zh-TW"
    translations.accept_behind("zh", "guides/tensors.md", "being reviewed", docs, locks)
    assert translations.status("zh-TW", "guides/tensors.md", docs, locks).accepted == "being reviewed"
    problems = translations.problems(docs, locks)
    assert not any("zh-TW" in p for p in problems), "one fix, one message: the source's"
    assert not (locks / "zh-TW.lock.json").exists()


def test_marking_a_derived_page_fresh_points_at_its_source():
    with pytest.raises(SystemExit, match="zh-TW is generated from zh .* mark zh/guides/tensors.md instead"):
        translations._targets(["zh-TW/guides/tensors.md"])


def test_serve_rebuilds_the_derived_language_with_its_source_and_its_table():
    from docs_tools.site import build as site
    from docs_tools.snippets import ROOT

    assert site.touched_languages({ROOT / "docs/zh/guides/tensors.md"}) == {"zh", "zh-TW"}
    assert site.touched_languages({ROOT / "docs/derived/zh-TW.yml"}) == {"zh-TW"}
    assert site.touched_languages({ROOT / "docs/zh-TW.yml"}) == {"zh-TW"}
    assert site.touched_languages({ROOT / "docs/ru/index.md"}) == {"ru"}
    assert site.touched_languages({ROOT / "snippets/tensors.py"}) == set(languages())
