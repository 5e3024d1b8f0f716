"""zh-TW's search index cut as Traditional text (docs_tools.search.chinese)."""

from __future__ import annotations

import jieba

from docs_tools.search import chinese


def test_traditional_words_are_cut_whole_and_jiebas_own_tokenizer_is_left_alone():
    before = dict(jieba.dt.FREQ) if jieba.dt.initialized else None
    cut = chinese.cut("也就是雜訊的變異數，程式碼區塊下方是張量", chinese.tokenizer("zh-TW")).split("\u200b")
    assert {"雜訊", "變異數", "程式碼", "張量"} <= set(cut), cut
    assert "".join(cut) == "也就是雜訊的變異數，程式碼區塊下方是張量"
    # Other languages build in the same process: jieba's global tokenizer must not change.
    if before is not None:
        assert jieba.dt.FREQ == before


def test_only_a_language_derived_from_chinese_is_cut_again():
    assert chinese.applies("zh-TW")
    assert not any(chinese.applies(lang) for lang in ("en", "ru", "he", "zh"))


def test_the_index_is_cut_again_in_place():
    index = {"docs": [{"location": "x/", "title": "張量", "text": "<p>雜\u200b訊\u200b的\u200b變異\u200b數</p>"}]}
    chinese.recut(index, "zh-TW")
    # As Material marks them: U+200B around each run and between its words.
    assert index["docs"][0]["text"] == "<p>\u200b雜訊\u200b的\u200b變異數\u200b</p>"
