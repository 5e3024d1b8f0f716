"""Right-to-left pages as a reader sees them: inline code keeps its own character order.

A computed-style check (`direction: ltr` on `code`) does not see the bidi algorithm at
work: without `unicode-bidi: isolate` an inline `code` in Hebrew prose is not an LTR run
of its own, so `(2, 1)` shows as `(1 ,2)` and `summary()` as `()summary`. These tests
measure where each character of each inline code span is drawn (one Range per character)
and require the on-screen order to be the text's order, left to right, line by line.
"""

from __future__ import annotations

import pytest

from docs_tools.site import notebooks
from docs_tools.site.build import languages
from docs_tools.snippets import ROOT
from markdown_pages import LANGUAGES, REFERENCE, pages

PREFIX = languages()
RTL = [lang for lang in LANGUAGES if lang in {"he", "ar", "fa", "ur", "yi"}]  # right-to-left scripts
HEBREW = [lang for lang in LANGUAGES if lang == "he"]


def _urls() -> list[str]:
    urls = []
    for path in pages(REFERENCE):
        relative = path.relative_to(ROOT / "docs" / REFERENCE).with_suffix("").as_posix()
        urls.append("" if relative == "index" else f"{relative}/")
    return urls + [f"notebooks/{guide}/" for guide in notebooks.guides()]


URLS = _urls()


def _address(lang: str, url: str) -> str:
    return f"{PREFIX[lang]}/{url}" if PREFIX[lang] else url


# For every inline code element of the article (code not inside pre): its text, and the
# characters of that text in the order they appear on screen. A character's position is
# the centre of its own Range's first client rect; characters on one line (same rect
# middle, within half a line) are read left to right, lines top to bottom.
_ON_SCREEN = r"""
() => {
  const spans = [];
  for (const code of document.querySelectorAll("article code")) {
    if (code.closest("pre")) continue;
    const chars = [];
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.data.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect || rect.width === 0) continue;  // collapsed or invisible
        chars.push({ch: node.data[i], x: rect.left + rect.width / 2,
                    y: rect.top + rect.height / 2, h: rect.height});
      }
    }
    if (chars.length < 2) continue;
    const lines = [];
    for (const c of chars) {
      const line = lines.find(l => Math.abs(l.y - c.y) < c.h / 2);
      if (line) line.chars.push(c); else lines.push({y: c.y, chars: [c]});
    }
    lines.sort((a, b) => a.y - b.y);
    const shown = lines.map(l => l.chars.sort((a, b) => a.x - b.x).map(c => c.ch).join("")).join("");
    const text = chars.map(c => c.ch).join("");
    const paragraph = code.closest("p, li, td, th, h1, h2, h3, h4, h5, h6, .admonition-title") || code.parentElement;
    spans.push({text, shown, context: paragraph.textContent.trim().slice(0, 80),
                rtl: getComputedStyle(paragraph).direction === "rtl"});
  }
  return spans;
}
"""

# Characters whose place the bidi algorithm decides from their surroundings (neutrals,
# digits, separators): a span made only of Latin letters is drawn in order either way.
_NOT_LETTERS = set("()[]{}<>.,:;=+-*/~\"'_ 0123456789%!?#&|")


def _scrambled(visit, lang: str, url: str) -> tuple[list[str], int]:
    page = visit.open(_address(lang, url))
    spans = page.evaluate(_ON_SCREEN)
    wrong = [f"{lang}/{url}: `{s['text']}` is shown as `{s['shown']}` (in: {s['context']}...)"
             for s in spans if s["shown"] != s["text"]]
    sensitive = sum(1 for s in spans if s["rtl"] == (lang in RTL) and _NOT_LETTERS & set(s["text"]))
    return wrong, sensitive


@pytest.mark.parametrize("lang", LANGUAGES)
def test_inline_code_reads_in_its_own_order(visit, lang):
    """Every inline code span of every page is drawn in the order of its text."""
    wrong, sensitive = [], 0
    for url in URLS:
        found, count = _scrambled(visit, lang, url)
        wrong += found
        sensitive += count
    # Not a vacuous pass: the pages have spans the bidi algorithm would reorder
    # (digits, brackets, dots, operators), inside prose of this language's direction.
    assert sensitive >= 10, f"{lang}: only {sensitive} inline code spans with digits or punctuation were measured"
    assert not wrong, f"{len(wrong)} inline code spans drawn out of order:\n" + "\n".join(wrong)
    assert not visit.problems, "\n".join(visit.problems)


# A prefix letter (ב, ה, ו, כ, ל, מ, ש) written against Latin, digits or code is joined
# with U+2011 NON-BREAKING HYPHEN, so "ב‑" never ends a line with its word on the next.
_PLAIN_PREFIX_HYPHENS = r"""
() => {
  const found = [];
  const text = [];
  const walker = document.createTreeWalker(document.querySelector("article"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest("pre, code, script, style, math")) { text.push(" "); continue; }
    text.push(node.data);
  }
  const all = text.join("");
  for (const m of all.matchAll(/(?:^|[^\u05d0-\u05ea])[\u05d0-\u05ea]{1,3}-(?=[\sA-Za-z0-9$`(]|$)/g)) {
    found.push(all.slice(Math.max(0, m.index - 20), m.index + m[0].length + 20).replace(/\s+/g, " "));
  }
  return found;
}
"""


@pytest.mark.parametrize("lang", HEBREW)
def test_prefix_letters_are_joined_without_a_line_break(visit, lang):
    found = []
    for url in URLS:
        page = visit.open(_address(lang, url))
        found += [f"{url}: ...{context}..." for context in page.evaluate(_PLAIN_PREFIX_HYPHENS)]
    assert not found, ("a prefix letter joined with a plain hyphen (U+002D) allows a line break "
                       "after it; write U+2011 (NON-BREAKING HYPHEN) in the page:\n" + "\n".join(found))
