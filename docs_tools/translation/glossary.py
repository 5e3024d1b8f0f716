"""One word per term in each language: ``docs/glossary/<lang>.yml``, checked against its pages.

    python -m docs_tools.translation.glossary [LANG ...]      # default: every language with a glossary

A glossary lists the English term, the word the pages use for it, and the variants they
must not use::

    terms:
      - term: accuracy          # the English term
        use: 准确率             # the word we use
        reject: [正确率]        # plain strings: case-insensitive substrings;
                                # "re:..." : a Python regular expression
        note: optional, for reviewers

Only prose is checked (text, headings, table cells, link texts, and the translated code
comments of ``docs/comments/<lang>.po``), never inline code, fences or URLs. A rejected variant found is reported with file:line, the variant and the
word to use. A language without a glossary file is not checked (English needs none).
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from pathlib import Path

import yaml

from docs_tools.translation import comments, prose
from docs_tools.languages import languages
from docs_tools.snippets import ROOT

DOCS = ROOT / "docs"


class GlossaryError(Exception):
    pass


@dataclasses.dataclass
class Term:
    term: str
    use: str
    reject: list[tuple[str, re.Pattern]]  # (as written, compiled)
    note: str = ""


def glossary_path(lang: str, docs: Path = DOCS) -> Path:
    return docs / "glossary" / f"{lang}.yml"


def load(path: Path) -> list[Term]:
    """The terms of a glossary file; a malformed entry is an error naming the file and entry."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise GlossaryError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("terms", []), list):
        raise GlossaryError(f"{path}: expected a mapping with a list `terms:` (see docs_tools/translation/glossary.py)")
    terms = []
    for index, entry in enumerate(data.get("terms") or [], start=1):
        where = f"{path}: term {index}"
        if not isinstance(entry, dict) or not entry.get("term") or not entry.get("use"):
            raise GlossaryError(f"{where}: each term needs `term:` (the English term) and `use:` (the word we use)")
        unknown = set(entry) - {"term", "use", "reject", "note"}
        if unknown:
            raise GlossaryError(f"{where} ({entry['term']}): unknown keys {sorted(unknown)}; "
                                "allowed: term, use, reject, note")
        rejects = entry.get("reject") or []
        if isinstance(rejects, str):
            rejects = [rejects]
        compiled = []
        for variant in rejects:
            variant = str(variant)
            if variant.startswith("re:"):
                try:
                    compiled.append((variant, re.compile(variant[3:])))
                except re.error as error:
                    raise GlossaryError(f"{where} ({entry['term']}): bad regular expression {variant!r}: {error}") \
                        from error
            else:
                compiled.append((variant, re.compile(re.escape(variant), re.IGNORECASE)))
        terms.append(Term(str(entry["term"]), str(entry["use"]), compiled, str(entry.get("note") or "")))
    return terms


def check_page(page: Path, terms: list[Term], name: str | None = None) -> list[str]:
    """Rejected variants in the prose of one page: ``file:line: ...`` lines."""
    name = name or str(page)
    problems = []
    for section in prose.sections(page.read_text(encoding="utf-8")):
        for line, text in section.prose:
            for term in terms:
                for variant, pattern in term.reject:
                    for match in pattern.finditer(text):
                        at = line + text.count("\n", 0, match.start())
                        problems.append(f"{name}:{at}: \"{match.group()}\" (rejected variant {variant!r} of "
                                        f"\"{term.term}\"): write \"{term.use}\"")
    return problems


def check(langs: list[str] | None = None, docs: Path = DOCS) -> list[str]:
    problems = []
    for lang in langs or list(languages()):
        path = glossary_path(lang, docs)
        if not path.exists():
            if langs:
                problems.append(f"{path}: no glossary for '{lang}'")
            continue
        try:
            terms = load(path)
        except GlossaryError as error:
            problems.append(str(error))
            continue
        for page in sorted((docs / lang).glob("**/*.md")):
            problems += check_page(page, terms, page.relative_to(docs.parent).as_posix())
        problems += check_comments(lang, terms, docs)
    return problems


def check_comments(lang: str, terms: list[Term], docs: Path = DOCS) -> list[str]:
    """Rejected variants in the language's translated code comments (docs/comments/<lang>.po)."""
    name, entries = comments.readable(lang, docs)
    return [f"{name}:{line}: \"{match.group()}\" (rejected variant {variant!r} of \"{term.term}\"): "
            f"write \"{term.use}\"" for line, text in entries for term in terms
            for variant, pattern in term.reject for match in pattern.finditer(text)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("langs", nargs="*", help="language codes (default: every language with a glossary)")
    args = parser.parse_args(argv)
    problems = check(args.langs or None)
    print("\n".join(problems) if problems else "glossary: no rejected variants")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
