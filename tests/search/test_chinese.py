"""zh-TW's search index cut as Traditional text (docs_tools.search.chinese)."""

from __future__ import annotations

import re

import jieba

from docs_tools.search import chinese
from docs_tools.translation import derived


def test_traditional_words_are_cut_whole_and_jiebas_own_tokenizer_is_left_alone():
    jieba.initialize()  # else the snapshot would be taken before jieba has a dictionary
    before = dict(jieba.dt.FREQ)
    cut = chinese.cut("也就是雜訊的變異數，程式碼區塊下方是張量", chinese.tokenizer("zh-TW")).split("\u200b")
    assert {"雜訊", "變異數", "程式碼", "張量"} <= set(cut), cut
    assert "".join(cut) == "也就是雜訊的變異數，程式碼區塊下方是張量"
    # Other languages build in the same process: jieba's global tokenizer must not change.
    assert jieba.dt.FREQ == before


def test_only_a_language_derived_from_chinese_is_cut_again():
    assert chinese.applies("zh-TW")
    assert not any(chinese.applies(lang) for lang in ("en", "ru", "he", "zh"))


def test_the_index_is_cut_again_in_place():
    index = {"docs": [{"location": "x/", "title": "張量", "text": "<p>雜\u200b訊\u200b的\u200b變異\u200b數</p>"}]}
    chinese.recut(index, "zh-TW")
    # As Material marks them: U+200B around each run and between its words.
    assert index["docs"][0]["text"] == "<p>\u200b雜訊\u200b的\u200b變異數\u200b</p>"


def test_the_converted_dictionary_cuts_the_traditional_pages_as_the_source_is_cut():
    """Material's search segments Chinese with jieba, whose dictionary is Simplified. Cut as the
    zh pages are cut (each word converted), multi-character words are found whole in the
    converted text about 84 % of the time with jieba's dictionary alone; with the tokenizer the
    build uses (its dictionary converted to Traditional, plus the page words it lacks), 97 %."""
    lang = "zh-TW"
    table = derived.load(derived.table_path(lang))
    reference = []  # the source's cut, each word converted
    for page in derived.source_pages(lang):
        text = derived._CODE.sub(" ", derived.page_text("zh", page))
        for run in re.findall(r"[\u3400-\u9fff]+", text):
            reference.append([derived.convert(word, table) for word in jieba.cut(run)])

    def found_whole(tokenizer) -> float:
        found = total = 0
        for words in reference:
            got = list(tokenizer.cut("".join(words)))
            multi = [w for w in words if len(w) > 1]
            total += len(multi)
            found += sum(w in got for w in multi)
        return found / total

    assert found_whole(jieba.Tokenizer()) < 0.9, "jieba now reads Traditional well: is the conversion still needed?"
    assert found_whole(chinese.tokenizer(lang)) > 0.97
