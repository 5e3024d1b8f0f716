"""Right-to-left pages as a reader sees them: inline code keeps its own character order.

A computed-style check (`direction: ltr` on `code`) does not see the bidi algorithm at
work: without `unicode-bidi: isolate` an inline `code` in Hebrew prose is not an LTR run
of its own, so `(2, 1)` shows as `(1 ,2)` and `summary()` as `()summary`. These tests
measure where each character of each inline code span is drawn (one Range per character)
and require the on-screen order to be the text's order, left to right, line by line.
The measurements are taken on each page's one load (tests/e2e/tour.py).
"""

from __future__ import annotations

import pytest

from docs_tools.site import notebooks
from docs_tools.snippets import ROOT
from markdown_pages import LANGUAGES, REFERENCE, pages
from tour import PREFIX_LETTER_LANGUAGES

RTL = [lang for lang in LANGUAGES if lang in {"he", "ar", "fa", "ur", "yi"}]  # right-to-left scripts
HEBREW = [lang for lang in LANGUAGES if lang == "he"]


def _urls() -> list[str]:
    urls = []
    for path in pages(REFERENCE):
        relative = path.relative_to(ROOT / "docs" / REFERENCE).with_suffix("").as_posix()
        urls.append("" if relative == "index" else f"{relative}/")
    return urls + [f"notebooks/{guide}/" for guide in notebooks.guides()]


URLS = _urls()


# Characters whose place the bidi algorithm decides from their surroundings (neutrals,
# digits, separators): a span made only of Latin letters is drawn in order either way.
_NOT_LETTERS = set("()[]{}<>.,:;=+-*/~\"'_ 0123456789%!?#&|")


def _scrambled(tour, lang: str, url: str) -> tuple[list[str], int]:
    spans = tour.record(lang, url).inline_code  # tour.ON_SCREEN, on the page's one load
    wrong = [f"{lang}/{url}: `{s['text']}` is shown as `{s['shown']}` (in: {s['context']}...)"
             for s in spans if s["shown"] != s["text"]]
    sensitive = sum(1 for s in spans if s["rtl"] == (lang in RTL) and _NOT_LETTERS & set(s["text"]))
    return wrong, sensitive


@pytest.mark.parametrize("lang", LANGUAGES)
def test_inline_code_reads_in_its_own_order(tour, lang):
    """Every inline code span of every page is drawn in the order of its text."""
    wrong, sensitive, problems = [], 0, []
    for url in URLS:
        found, count = _scrambled(tour, lang, url)
        problems += tour.record(lang, url).problems
        wrong += found
        sensitive += count
    # Not a vacuous pass: the pages have spans the bidi algorithm would reorder
    # (digits, brackets, dots, operators), inside prose of this language's direction.
    assert sensitive >= 10, f"{lang}: only {sensitive} inline code spans with digits or punctuation were measured"
    assert not wrong, f"{len(wrong)} inline code spans drawn out of order:\n" + "\n".join(wrong)
    assert not problems, "\n".join(problems)


# A prefix letter (ב, ה, ו, כ, ל, מ, ש) written against Latin, digits or code is joined
# with U+2011 NON-BREAKING HYPHEN, so "ב‑" never ends a line with its word on the next
# (tour.PLAIN_PREFIX_HYPHENS finds the plain ones, on each page's one load).


@pytest.mark.parametrize("lang", HEBREW)
def test_prefix_letters_are_joined_without_a_line_break(tour, lang):
    assert lang in PREFIX_LETTER_LANGUAGES
    found = []
    for url in URLS:
        found += [f"{url}: ...{context}..." for context in tour.record(lang, url).plain_prefix_hyphens]
    assert not found, ("a prefix letter joined with a plain hyphen (U+002D) allows a line break "
                       "after it; write U+2011 (NON-BREAKING HYPHEN) in the page:\n" + "\n".join(found))
