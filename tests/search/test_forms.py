"""The other forms of words that docs_tools.search.forms writes into the search index."""

from __future__ import annotations

from docs_tools.search import forms as search_forms
from docs_tools.search.forms import hebrew_attested, hebrew_bare, hebrew_forms, russian_forms, uncovered

SEPARATOR = r"[\s\u200b\u2011\-_,:!=\[\]()\"`/]+|\.(?!\d)"


def test_russian_forms_are_every_case_and_number_and_the_dictionary_form():
    forms = russian_forms("градиентов")
    assert {"градиент", "градиентами", "градиенту", "градиентом", "градиенты"} <= set(forms)
    assert "операция" in russian_forms("операцией") and "операцию" in russian_forms("операцией")
    assert russian_forms("и") == () and russian_forms("tensor") == ()


def test_russian_forms_of_a_loanword_not_in_the_dictionary_are_a_nouns():
    assert {"батч", "батчами", "батча"} <= set(russian_forms("батчах"))


def test_russian_forms_with_yo_are_also_indexed_with_ye():
    forms = set(russian_forms("объём"))
    assert "объём" in forms and "объем" in forms


def test_a_hebrew_prefix_is_stripped_only_where_the_rest_is_a_word_of_the_site():
    site = {"השיפוע", "בשיפוע", "גרדיאנטים", "בגרדיאנטים", "מודל", "השתפר", "להשתפר"}
    attested = hebrew_attested(site)
    assert hebrew_bare("בגרדיאנטים", attested) == "גרדיאנטים"  # the rest stands alone on the site
    assert hebrew_bare("השיפוע", attested) == "שיפוע"          # after two prefixes, ב and ה
    assert hebrew_bare("מודל", attested) == "מודל"              # "ודל" is no word of the site
    # ה and לה are one ה (להשתפר = ל + השתפר): "שתפר" is not attested by them.
    assert hebrew_bare("השתפר", attested) == "השתפר"


def test_hebrew_forms_are_the_bare_word_after_each_prefix():
    forms = hebrew_forms("גרדיאנטים", {"גרדיאנטים"})
    assert {"בגרדיאנטים", "הגרדיאנטים", "וגרדיאנטים", "לגרדיאנטים", "מגרדיאנטים", "שגרדיאנטים",
            "והגרדיאנטים", "שהגרדיאנטים"} <= set(forms)
    assert hebrew_forms("fit", set()) == ()


def test_a_form_the_query_star_finds_anyway_is_left_out():
    assert uncovered({"градиент", "градиентами", "градиента"}, {"градиентов"}) == ["градиентами"]


def test_expand_writes_one_hidden_field_per_page_and_declares_it():
    index = {"config": {"separator": SEPARATOR, "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}},
             "docs": [{"location": "guides/a/", "title": "Градиенты", "text": "<p>Считаем градиенты.</p>"},
                      {"location": "guides/a/#b", "title": "Операции", "text": "<p>Операция <code>сложения</code>.</p>"},
                      {"location": "guides/c/", "title": "Другое", "text": ""}]}
    expanded = search_forms.expand(index, "ru")
    assert expanded["config"]["fields"][search_forms.FIELD] == {"boost": search_forms.FORMS_BOOST}
    first, section, _ = expanded["docs"]
    forms = set(first[search_forms.FIELD].split())
    assert {"градиентами", "операцией"} <= forms           # the section's words, on the page's entry
    assert "сложением" not in forms                         # code is not prose
    assert search_forms.FIELD not in section and section["text"] == "<p>Операция <code>сложения</code>.</p>"


def test_english_gets_the_singulars_of_plurals_in_ies_only():
    index = {"config": {"separator": SEPARATOR, "fields": {}},
             "docs": [{"location": "", "title": "Categories", "text": "<p>tensors and batches</p>"}]}
    assert search_forms.expand(index, "en")["docs"][0][search_forms.FIELD] == "category"


def test_other_languages_are_left_as_they_are():
    index = {"config": {"separator": SEPARATOR, "fields": {}}, "docs": [{"location": "", "title": "x", "text": "张量"}]}
    assert search_forms.expand(index, "zh") == {"config": {"separator": SEPARATOR, "fields": {}},
                                                "docs": [{"location": "", "title": "x", "text": "张量"}]}
