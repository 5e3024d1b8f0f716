"""Languages derived from another: pages generated at build time, never written by hand.

    python -m docs_tools.translation.derived            # write build/derived/<lang>/ and check it
    python -m docs_tools.translation.derived --check    # only check (the suite runs the same checks)

A language whose config says ``derived_from: zh`` (``tfguides/pages`` in ``docs/zh-TW.yml``) has no pages
of its own: each page is its source language's page converted with OpenCC (the profile
and the phrase table of ``docs/derived/<lang>.yml``). The build writes them to the
config's ``docs_dir`` (``build/derived/<lang>/``); the notebooks are generated from the
converted text (``docs_tools.site.notebooks``), so the code and outputs are the source's, byte
for byte; only prose differs.

The phrase table fixes what OpenCC gets wrong or leaves mainland-flavoured in our text.
Each entry is a phrase of the *source* (Simplified) text and what it becomes::

    - zh: 损失函数                       # found in the zh pages, longest entry first
      tw: 損失函數                       # written as is; OpenCC converts the rest
      test: [损失函数衡量分数, 損失函數衡量分數]   # a sentence before -> after, checked

Checks (``problems``; ``tests/translation/test_derived.py`` runs them): every entry matches somewhere
in the current source pages (a table that no longer applies fails, naming the entry), its
test sentence converts as stated, the code (fences, inline code) of every converted page
is the source's, and no Simplified-only character survives in a converted page, in the
language's labels or in its notebooks' Markdown.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from collections import Counter
from functools import cached_property, lru_cache
from pathlib import Path

import yaml

from docs_tools.languages import languages
from docs_tools.translation import catalogs
from docs_tools.snippets import ROOT

TABLES_DIR = ROOT / "docs" / "derived"
#: libyaml's safe loader where PyYAML was built with it: ten times the pure-Python one.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CODE = re.compile(r"^(`{3,}|~{3,})[^\n]*\n.*?^\1[ \t]*$|`[^`\n]+`", re.MULTILINE | re.DOTALL)


class DerivedError(Exception):
    pass


@dataclasses.dataclass(frozen=True)
class Phrase:
    source: str
    target: str
    test: tuple[str, str]
    number: int  # position in the table, from 1


@dataclasses.dataclass(frozen=True)
class Table:
    path: Path
    opencc: str
    phrases: tuple[Phrase, ...]

    @cached_property  # compiled once per table: convert() runs thousands of times a build
    def pattern(self) -> re.Pattern:
        # Longest first: at any position the longest entry wins ("子类化" before "子类").
        keys = sorted((p.source for p in self.phrases), key=len, reverse=True)
        return re.compile("|".join(map(re.escape, keys)) or "(?!)")  # (?!): an empty table matches nothing

    @cached_property
    def targets(self) -> dict[str, str]:
        return {p.source: p.target for p in self.phrases}


def table_path(lang: str) -> Path:
    return TABLES_DIR / f"{lang}.yml"


def shown(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def load(path: Path, source: str = "zh", target: str = "tw") -> Table:
    """The table of a derived language; a malformed one is an error naming the file and entry."""
    if not path.is_file():
        raise DerivedError(f"{shown(path)} is missing: a derived language needs its conversion table there "
                           "(`opencc:` profile and `phrases:`; see docs_tools/translation/derived.py)")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or {}
    except yaml.YAMLError as error:
        raise DerivedError(f"{shown(path)}: not valid YAML: {error}") from error
    if not isinstance(data, dict) or not isinstance(data.get("opencc"), str) \
            or not isinstance(data.get("phrases"), list):
        raise DerivedError(f"{shown(path)}: expected a mapping with `opencc:` (an OpenCC profile such as s2twp) "
                           "and a list `phrases:` (see docs_tools/translation/derived.py)")
    phrases, seen = [], {}
    for number, entry in enumerate(data["phrases"], start=1):
        where = f"{shown(path)}: phrase {number}"
        if not isinstance(entry, dict) or not entry.get(source) or not isinstance(entry.get(target), str):
            raise DerivedError(f"{where}: each phrase needs `{source}:` (the source text) and `{target}:` "
                               "(what it becomes)")
        unknown = set(entry) - {source, target, "test", "note"}
        if unknown:
            raise DerivedError(f"{where} ({entry[source]}): unknown keys {sorted(unknown)}; "
                               f"use {source}, {target}, test, note")
        test = entry.get("test")
        if not (isinstance(test, list) and len(test) == 2 and all(isinstance(t, str) and t for t in test)):
            raise DerivedError(f"{where} ({entry[source]}): needs `test: [a {source} sentence, its conversion]`, "
                               "a sentence with the phrase before and after conversion")
        if entry[source] in seen:
            raise DerivedError(f"{where}: '{entry[source]}' is already phrase {seen[entry[source]]}")
        seen[entry[source]] = number
        phrases.append(Phrase(entry[source], entry[target], (test[0], test[1]), number))
    return Table(path, data["opencc"], tuple(phrases))


def _table(lang: str) -> Table:
    """The language's table, read again when the file changes (``nox -s serve`` edits it)."""
    path = table_path(lang)
    return _load_cached(path, path.stat().st_mtime_ns if path.is_file() else None)


@lru_cache(maxsize=8)
def _load_cached(path: Path, mtime: int | None) -> Table:
    return load(path)


@lru_cache(maxsize=None)
def _converter(profile: str):
    import opencc  # only the languages derived need it

    return opencc.OpenCC(profile)


def convert(text: str, table: Table, hits: Counter | None = None) -> str:
    """``text`` with each phrase of the table replaced and the rest converted by OpenCC.

    Code (fenced blocks, inline code) is kept as it is: it is the same in every language.
    ``hits`` counts the phrases applied."""
    converter, pattern, targets = _converter(table.opencc), table.pattern, table.targets

    def prose(part: str) -> str:
        out, position = [], 0
        for match in pattern.finditer(part):
            out += [converter.convert(part[position:match.start()]), targets[match[0]]]
            if hits is not None:
                hits[match[0]] += 1
            position = match.end()
        out.append(converter.convert(part[position:]))
        return "".join(out)

    out, position = [], 0
    for code in _CODE.finditer(text):
        out += [prose(text[position:code.start()]), code[0]]
        position = code.end()
    out.append(prose(text[position:]))
    return "".join(out)


def derived_languages() -> list[str]:
    return [code for code, language in languages().items() if language.derived]


def source_pages(lang: str) -> list[str]:
    """The pages of ``lang`` (derived or not), as paths inside its docs_dir: those of its source."""
    language = languages()[lang]
    source = languages()[language.derived_from] if language.derived else language
    return sorted(p.relative_to(source.pages_dir).as_posix() for p in source.pages_dir.glob("**/*.md"))


def page_text(lang: str, page: str) -> str:
    """The Markdown of ``page`` (``guides/tensors.md``) in ``lang``: read, or converted from the source."""
    language = languages()[lang]
    if not language.derived:
        return (language.pages_dir / page).read_text(encoding="utf-8")
    return _converted(page_text(language.derived_from, page), _table(lang))


@lru_cache(maxsize=256)  # every build converts every page, and notebooks the guides again
def _converted(text: str, table: Table) -> str:
    return convert(text, table)


def words(lang: str) -> dict[str, int]:
    """The words of the converted pages with jieba's frequencies, as jieba cuts the source
    pages (``docs_tools.search.chinese`` adds those its converted dictionary lacks; measured in
    tests/search/test_chinese.py)."""
    source = languages()[lang].derived_from
    return dict(_words(tuple(page_text(source, page) for page in source_pages(lang)), _table(lang)))


@lru_cache(maxsize=4)  # each build and serve rebuild asks; the pages have mostly not changed
def _words(texts: tuple[str, ...], table: Table) -> dict[str, int]:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # not "Building prefix dict..." on every build
    found: dict[str, int] = {}
    for text in texts:
        for run in re.findall(r"[\u3400-\u9fff]+", _CODE.sub(" ", text)):
            for word in jieba.cut(run):
                converted = convert(word, table)
                if len(word) > 1 and re.fullmatch(r"[\u3400-\u9fff]+", converted):
                    found[converted] = max(found.get(converted, 1), jieba.get_FREQ(word) or 1)
    return dict(sorted(found.items()))


def _write_if_changed(path: Path, text: str) -> None:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return  # unchanged files keep their time stamps
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_pages(langs: list[str] | None = None) -> None:
    """Generate every derived language's pages into its docs_dir; pages no longer in the
    source are removed."""
    for lang in langs if langs is not None else derived_languages():
        out = languages()[lang].pages_dir
        pages = source_pages(lang)
        for page in pages:
            _write_if_changed(out / page, page_text(lang, page))
        for stale in set(out.glob("**/*.md")) - {out / page for page in pages}:
            stale.unlink()


# --- checks ---------------------------------------------------------------------------------

def simplified_left(text: str) -> list[tuple[int, str]]:
    """(line, character) of each Simplified character left in ``text``.

    A character is Simplified where OpenCC's plain Simplified->Traditional profile (``s2tw``:
    characters and Taiwan's variants, no vocabulary) changes it both on its own and *in its
    context*, and it is not itself a Traditional form: 这 is flagged; 干 in 若干 is not (the
    same character in both scripts: s2tw keeps it there), nor 了 in 注明了 (s2tw's 明了 ->
    明瞭 is a phrase, not a character), nor 激 in 激活 (vocabulary is the phrase table's)."""
    s2tw, t2s = _converter("s2tw"), _converter("t2s")
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        traditional = s2tw.convert(line)
        if len(traditional) != len(line):  # a phrase of another length: compare character by character
            traditional = "".join(s2tw.convert(char) for char in line)
        found += [(number, char) for char, want in zip(line, traditional)
                  if char != want and s2tw.convert(char) != char and t2s.convert(char) == char]
    return found


def table_problems(lang: str, table: Table | None = None, texts: dict[str, str] | None = None) -> list[str]:
    """The phrase table's problems against the source pages ``texts`` (default: the current ones)."""
    table = table or _table(lang)
    language = languages()[lang]
    if texts is None:
        texts = {page: page_text(language.derived_from, page) for page in source_pages(lang)}
        # The code comments are converted with the same table (docs_tools.translation.comments):
        # an entry may be there for a comment only.
        texts["code comments"] = "\n".join(catalogs.translations(catalogs.catalog_path(language.derived_from)).values())
    hits: Counter = Counter()
    for text in texts.values():
        convert(text, table, hits)
    problems = []
    for phrase in table.phrases:
        where = f"{shown(table.path)}: phrase {phrase.number} ({phrase.source} -> {phrase.target})"
        if not hits[phrase.source]:
            problems.append(f"{where} matches nothing in the {language.derived_from} pages or code comments any more: "
                            "delete it, or change it to the wording the pages now use")
        before, after = phrase.test
        if phrase.source not in before:
            problems.append(f"{where}: its test sentence does not contain '{phrase.source}': {before}")
        got = convert(before, table)
        if got != after:
            problems.append(f"{where}: its test sentence converts to '{got}', not '{after}': fix the entry "
                            "(or a longer entry that takes its place), or the test if the new result is right")
        without = dataclasses.replace(table, phrases=tuple(p for p in table.phrases if p is not phrase))
        if got == after and convert(before, without) == after:
            problems.append(f"{where}: its test sentence converts the same without it: delete the entry, or give "
                            "it a test sentence where it is needed")
    return problems


def notebook_problems(lang: str) -> list[str]:
    """Simplified-only characters in the Markdown cells of the language's committed notebooks."""
    import nbformat

    found = []
    # Every committed notebook of the language (a missing one is the notebooks' own check).
    for path in sorted((ROOT / "notebooks" / lang).glob("*.ipynb")):
        for number, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type == "markdown":
                found += [f"{shown(path)}: cell {number}, line {line}: Simplified-only character '{char}': "
                          f"notebooks are generated (`nox -s outputs`); fix the page's conversion in "
                          f"{shown(table_path(lang))}" for line, char in simplified_left(_CODE.sub("", cell.source))]
    return found


def page_problems(lang: str, page: str, source_text: str, text: str) -> list[str]:
    """What is wrong with one converted page: changed code, Simplified characters left."""
    name = f"{lang}/{page} (from docs/{languages()[lang].derived_from}/{page})"
    problems = []
    if [m[0] for m in _CODE.finditer(source_text)] != [m[0] for m in _CODE.finditer(text)]:
        problems.append(f"{name}: the conversion changed code (a fence or inline code); code is the same in "
                        "every language: fix the phrase in " + shown(table_path(lang)))
    for line, char in simplified_left(_CODE.sub("", text)):
        problems.append(f"{name}:{line}: Simplified-only character '{char}' survives the conversion: "
                        f"add a phrase for its word to {shown(table_path(lang))}")
    return problems


def label_problems(lang: str, config: Path | None = None) -> list[str]:
    """Simplified-only characters in the language's hand-written config (names, labels)."""
    config = config or languages()[lang].config
    return [f"{shown(config)}:{line}: Simplified-only character '{char}': this file is written in "
            "Traditional Chinese by hand" for line, char in simplified_left(config.read_text(encoding="utf-8"))]


def problems(langs: list[str] | None = None) -> list[str]:
    found = []
    for lang in langs if langs is not None else derived_languages():
        try:
            found += table_problems(lang)
        except DerivedError as error:
            found.append(str(error))
            continue
        source = languages()[lang].derived_from
        for page in source_pages(lang):
            found += page_problems(lang, page, page_text(source, page), page_text(lang, page))
        found += label_problems(lang) + notebook_problems(lang)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check, write nothing")
    args = parser.parse_args(argv)
    try:
        if not args.check:
            write_pages()
        found = problems()
    except DerivedError as error:
        print(error, file=sys.stderr)
        return 1
    print("\n".join(found) or "derived languages: no problems", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
