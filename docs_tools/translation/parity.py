"""Translations say as much as the English page, section by section.

    python -m docs_tools.translation.parity [PAGE ...]     # e.g. ru/guides/tensors.md; default: every translated page

Within each section (heading to heading, matched by the heading's anchor) a translated
page has the same number of paragraphs, list items, admonitions and tables as the English
page, the same inline code spans (a multiset: API names are not translated), and the same
numbers in prose, normalised across locales ("2,000" = "2 000" = "2000", "0.5" = "0,5").
Only numbers written as digits count, in both directions: where the English writes a
number in digits the translation does too, and it adds none (see ``docs_tools.translation.prose``).
Prints one line per problem, naming the file, line and section; exits 1 if there are any.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from docs_tools.translation import prose
from docs_tools.languages import languages, reference
from docs_tools.snippets import ROOT

DOCS = ROOT / "docs"


def _format(counter: Counter) -> str:
    return ", ".join(f"`{key}`" + (f" ×{count}" if count > 1 else "") for key, count in sorted(counter.items()))


def compare(english: Path, translated: Path, docs: Path = DOCS) -> list[str]:
    """The parity problems of ``translated`` against ``english``, one line each."""
    name = translated.relative_to(docs.parent).as_posix() if translated.is_relative_to(docs.parent) else str(translated)
    want = {s.anchor: s for s in prose.sections(english.read_text(encoding="utf-8"))}
    got = {s.anchor: s for s in prose.sections(translated.read_text(encoding="utf-8"))}
    problems = []
    for anchor in want.keys() - got.keys():
        problems.append(f"{name}: section #{anchor} of the English page is missing")
    for anchor in got.keys() - want.keys():
        problems.append(f"{name}:{got[anchor].line}: section #{anchor} is not on the English page")
    for anchor, expected in want.items():
        section = got.get(anchor)
        if section is None:
            continue
        where = f"{name}:{section.line}: section #{anchor}"
        for kind in prose.BLOCKS.values():
            if section.blocks[kind] != expected.blocks[kind]:
                problems.append(f"{where}: {section.blocks[kind]} {kind}, the English has {expected.blocks[kind]}")
        missing, extra = expected.code_spans - section.code_spans, section.code_spans - expected.code_spans
        if missing or extra:
            problems.append(f"{where}: inline code differs from the English"
                            + (f"; missing {_format(missing)}" if missing else "")
                            + (f"; not in the English {_format(extra)}" if extra else ""))
        want_numbers = Counter(n.value for n in expected.numbers)
        got_numbers = Counter(n.value for n in section.numbers)
        for value in sorted((want_numbers - got_numbers).elements()):
            sentence = next(n.sentence for n in expected.numbers if n.value == value)
            problems.append(f"{where}: the number {value} is missing (English: \"{sentence}\"); "
                            "write it in digits as the English does")
        for value in sorted((got_numbers - want_numbers).elements()):
            number = next(n for n in section.numbers if n.value == value)
            problems.append(f"{name}:{number.line}: section #{anchor}: the number {value} is not in the "
                            f"English section (\"{number.sentence}\")")
    return problems


def translated_pages(docs: Path = DOCS) -> list[Path]:
    """Every page of every language but the reference one."""
    ref = reference()
    return [page for lang in languages() if lang != ref for page in sorted((docs / lang).glob("**/*.md"))]


def english_of(page: Path, docs: Path = DOCS) -> Path:
    relative = page.relative_to(docs)
    return docs / reference() / Path(*relative.parts[1:])


def resolve(arg: str, docs: Path = DOCS) -> Path:
    """``ru/guides/tensors.md``, ``docs/ru/guides/tensors.md`` or a path to it."""
    for candidate in (Path(arg), docs / arg, docs.parent / arg):
        if candidate.is_file() and candidate.resolve().is_relative_to(docs.resolve()):
            return docs / candidate.resolve().relative_to(docs.resolve())
    raise SystemExit(f"{arg}: no such page under {docs} (write it as <lang>/<path>.md, e.g. ru/guides/tensors.md)")


def check(pages: list[Path] | None = None, docs: Path = DOCS) -> list[str]:
    problems = []
    for page in pages if pages is not None else translated_pages(docs):
        english = english_of(page, docs)
        if not english.exists():
            problems.append(f"{page}: there is no English page {english.relative_to(docs.parent)}")
            continue
        problems += compare(english, page, docs)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help="pages such as ru/guides/tensors.md (default: all translations)")
    args = parser.parse_args(argv)
    pages = [resolve(arg) for arg in args.pages] or None
    problems = check(pages)
    print("\n".join(problems) if problems else "parity: no problems", file=sys.stdout)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
