"""Numbers in English prose are tied to the page's code: change the code, and a sentence
quoting an old result fails.

    python -m docs_tools.translation.prose_numbers [PAGE ...]     # default: every English page

Every number written in digits in the prose of an English page (``docs_tools.translation.prose``: text,
headings, tables, formulas; not code) must be one of the numbers of the page's code: the
sections its ``snippet`` fences show, what they print (``snippets/<guide>.out``) and its
inline code spans. A prose number with decimals also matches a longer number it rounds
(0.93 matches 0.9312); an integer must appear as it is (19 matches ``19`` or ``19.``);
``85%`` also matches 0.85. A number that is not about what the code computes (a year, a
count of chapters, a port in a command) is marked prose-only: ``[[2026]]``; the marker is
invisible on the site and in notebooks.
"""

from __future__ import annotations

import argparse
import re
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

from docs_tools.translation import prose
from docs_tools import snippets
from docs_tools.snippets import ROOT

DOCS = ROOT / "docs"
_CODE_NUMBER = re.compile(r"\d[\d_]*(?:\.\d+)?(?:[eE][-+]?\d+)?")
_GROUPED = re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?![\d,])")  # Keras prints "50,240"


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace("_", ""))
    except InvalidOperation:
        return None


def code_numbers(text: str, resolve=snippets.resolve, output=snippets.expected_output) -> set[Decimal]:
    """The numbers in the code and outputs of a page's snippet fences, and in its inline code."""
    found: set[Decimal] = set()
    sources = snippets.page_sources(text, resolve, output)
    sources += [span for s in prose.sections(text) for span in s.code_spans]
    for source in sources:
        for match in [*_CODE_NUMBER.finditer(source), *_GROUPED.finditer(source)]:
            value = _decimal(match.group().replace(",", ""))
            if value is not None:
                found.add(value)
    return found


def _matches(value: str, known: set[Decimal], percent: bool) -> bool:
    number = Decimal(value)
    candidates = {number} | ({number / 100} if percent else set())
    for candidate in candidates:
        places = -candidate.as_tuple().exponent if candidate.as_tuple().exponent < 0 else 0
        for code in known:
            if code == candidate or (places and round(code, places) == candidate):
                return True
    return False


def untied(page: Path, name: str | None = None, resolve=snippets.resolve,
           output=snippets.expected_output) -> list[str]:
    """One message per prose number of ``page`` that its code does not contain."""
    text = page.read_text(encoding="utf-8")
    name = name or str(page)
    known = code_numbers(text, resolve, output)
    problems = []
    for section in prose.sections(text):
        for number in section.numbers:
            if number.prose_only:
                continue
            percent = bool(re.search(re.escape(number.value.split(".")[0]) + r"[\d.,]*\s?%", number.sentence))
            if not _matches(number.value, known, percent):
                problems.append(
                    f"{name}:{number.line}: section #{section.anchor}: {number.value} in \"{number.sentence}\" "
                    "is not among the numbers of the page's code or outputs. If the code changed, correct the "
                    f"sentence (and its translations); if it is a number of prose only, write it [[{number.value}]]")
    return problems


def check(pages: list[Path] | None = None, docs: Path = DOCS) -> list[str]:
    return prose.check_english_pages(untied, pages, docs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", type=Path, help="English pages (default: all)")
    args = parser.parse_args(argv)
    problems = check([p.resolve() for p in args.pages] or None)
    print("\n".join(problems) if problems else "prose numbers: all tied to the code")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
