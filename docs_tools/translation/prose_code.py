"""Inline code in English guide prose is tied to the page's code: a span that names something
(an identifier, a key, a column, a shape such as ``(4, 18, 16)``, a string) must be something
the page's code holds or its sections print.

    python -m docs_tools.translation.prose_code [PAGE ...]     # default: every English guide

Beside ``prose_numbers`` (numbers written in digits), this is the second check that ties the
words of a page to its outputs: rename a column, change a shape or drop a key in the code, and
the sentence that still names the old one fails. A page with no ``snippet`` fence (the home
page, the running page) has no code of its own and is not checked.

A span of prose (text, headings, table cells, list items; not fences, and not the text of a
link, which names the page it links to) is found when it occurs in the code of the page's
sections or in what they print (``snippets/<guide>.out``), not as a piece of a longer name:
`` `epoch` `` is found in ``row["epoch"]``, not in ``epochs=5``. Two spellings readers know are
read as such: a trailing ``()`` names a call (`` `add()` `` is found in ``model.add(``), and
``...`` or ``*`` stand for what the prose leaves out (`` `keras.Input(shape=...)` ``,
`` `on_train_*` ``); a call may leave out arguments (`` `SimpleDense(32)` `` is found in
``SimpleDense(32, activation="relu")``) and a span ending in ``_`` is a prefix (`` `val_` ``).

A span that is not about this page's code (an alternative the page names but does not use,
a class the library returns, a shell command, a slip the page warns against) is marked with double
brackets around it: ``[[`ReduceLROnPlateau`]]``. The brackets are removed before the page is
rendered and from notebooks (``docs_tools.translation.prose.strip_markers``), and marking
changes no translation's freshness.

A span about this page's code that no line of code or output shows as written (the shape
``(2, 1)`` of a matrix made with ``shape=(input_dim, output_dim)``) is proven by a claim test
instead (``tests/running/test_guides.py``, on the guide's one execution) and listed in
``CLAIMED`` with that test; the suite fails on an entry whose span or test is gone.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from pathlib import Path

from docs_tools import snippets
from docs_tools.languages import reference
from docs_tools.snippets import ROOT
from docs_tools.translation import prose

DOCS = ROOT / "docs"
_WORD = re.compile(r"[A-Za-z0-9_]")
CLAIM_TESTS = ROOT / "tests" / "running" / "test_guides.py"

#: (English page, span): the claim test of ``tests/running/test_guides.py`` that proves it.
CLAIMED: dict[tuple[str, str], str] = {
    ("guides/tensors.md", "(2, 1)"): "test_the_weight_matrix_has_shape_2_by_1",
}


@dataclasses.dataclass(frozen=True)
class Span:
    text: str
    line: int
    anchor: str       # of the section it is in
    marked: bool      # [[`...`]]: about the library or a tool, not this code
    in_link: bool     # in the text of a link: names the linked page


def spans(text: str) -> list[Span]:
    """The inline code spans of a page's prose, with their lines and sections."""
    found: list[Span] = []
    anchor = ""
    heading = False
    for token in prose._parser().parse(text):
        if token.type == "heading_open":
            heading = True
            continue
        if token.type == "heading_close":
            heading = False
            continue
        if token.type != "inline":
            continue
        line = token.map[0] + 1 if token.map else 1
        if heading:
            explicit = prose._ANCHOR.search(token.content)
            anchor = explicit["id"] if explicit else ""
        children = token.children or []
        links = 0
        for index, child in enumerate(children):
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                links += 1
            elif child.type == "link_close":
                links -= 1
            elif child.type == "code_inline":
                before = children[index - 1].content if index and children[index - 1].type == "text" else ""
                after = (children[index + 1].content
                         if index + 1 < len(children) and children[index + 1].type == "text" else "")
                marked = before.endswith("[[") and after.startswith("]]")
                found.append(Span(child.content, line, anchor, marked, links > 0))
    return found


def _literal(part: str) -> str:
    """``part`` as a pattern that the formatter's line breaks do not defeat: a call that ruff
    splits over lines (``f(\n    a, b,\n)``) still holds the span ``f(a, b)``."""
    pattern = ""
    for char in part:
        if char.isspace():
            if not pattern.endswith((r"\s*", r"\s+")):
                pattern += r"\s+"
            continue
        if char in ")]":
            pattern += r",?\s*"
        pattern += re.escape(char)
        if char in "([,":
            pattern += r"\s*"
    return pattern


def _pattern(span: str) -> re.Pattern:
    """The span as it may occur in code: whole (not inside a longer name), ``name()`` as a call,
    ``...`` and ``*`` as what the prose leaves out."""
    text = span.strip()
    call = text.endswith("()") and len(text) > 2
    if call:
        text = text[:-2]
    # `SimpleDense(32)` names the call SimpleDense(32, activation="relu"): a call's closing
    # parenthesis may stand for more arguments
    more = bool(re.fullmatch(r"[A-Za-z_][\w.]*\(.+\)", text))
    if more:
        text = text[:-1]
    parts = re.split(r"(\.\.\.|…|\*)", text)
    body = "".join(r"[^\n]*?" if part in ("...", "…") else r"[A-Za-z0-9_]*" if part == "*" else _literal(part)
                   for part in parts)
    if call:
        body += r"\s*\("
    elif more:
        body += r"\s*[,)]"
    start = r"(?<![A-Za-z0-9_])" if _WORD.match(text[:1]) else ""
    # `val_` is a prefix (of val_loss); a name ends where a name ends
    end = r"(?![A-Za-z0-9_])" if not (call or more) and _WORD.match(text[-1:]) and not text.endswith("_") else ""
    return re.compile(start + body + end)


def page_code(text: str, resolve=snippets.resolve, output=snippets.expected_output) -> str | None:
    """The code and the outputs of the sections a page shows; None for a page with no fence."""
    sources = snippets.page_sources(text, resolve, output)
    return "\n".join(sources) if sources else None


def untied(page: Path, name: str | None = None, resolve=snippets.resolve,
           output=snippets.expected_output) -> list[str]:
    """One message per inline code span of ``page``'s prose that its code and outputs do not hold."""
    text = page.read_text(encoding="utf-8")
    name = name or str(page)
    code = page_code(text, resolve, output)
    if code is None:
        return []
    english = _english_path(page)
    problems = []
    for span in spans(text):
        if span.marked or span.in_link or (english, span.text) in CLAIMED or _pattern(span.text).search(code):
            continue
        problems.append(
            f"{name}:{span.line}: section #{span.anchor}: `{span.text}` is neither in the page's code nor in "
            "what its sections print. If the code changed, correct the sentence (and its translations); if the "
            "span is not about this code (the library, a tool, code the page does not run), mark it: "
            f"[[`{span.text}`]]; if no output shows it as written, prove it with a claim test "
            "(tests/running/test_guides.py) and list it in prose_code.CLAIMED")
    return problems


def _english_path(page: Path) -> str:
    """``guides/tensors.md`` for docs/en/guides/tensors.md (a page elsewhere: its name)."""
    english = DOCS / reference()
    page = page.resolve()
    return page.relative_to(english).as_posix() if page.is_relative_to(english) else page.name


def stale_claims(docs: Path = DOCS, tests: Path = CLAIM_TESTS) -> list[str]:
    """The entries of ``CLAIMED`` whose span is no longer on its page or whose test is gone."""
    problems = []
    defined = set(re.findall(r"^def (test_\w+)\(", tests.read_text(encoding="utf-8"), re.MULTILINE))
    for (page, span), test in CLAIMED.items():
        path = docs / reference() / page
        if not path.is_file() or span not in {s.text for s in spans(path.read_text(encoding="utf-8"))}:
            problems.append(f"prose_code.CLAIMED: `{span}` is not on {page} any more: remove the entry")
        if test not in defined:
            problems.append(f"prose_code.CLAIMED: `{span}` of {page} names {test}, which "
                            f"{tests.relative_to(ROOT).as_posix() if tests.is_relative_to(ROOT) else tests} "
                            "does not define: write the claim test or correct the entry")
    return problems


def check(pages: list[Path] | None = None, docs: Path = DOCS) -> list[str]:
    return prose.check_english_pages(untied, pages, docs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", type=Path, help="English pages (default: all)")
    args = parser.parse_args(argv)
    problems = check([p.resolve() for p in args.pages] or None) + (stale_claims() if not args.pages else [])
    print("\n".join(problems) if problems else "prose code: every inline code span is in the code or its outputs")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
