"""Search queries a reader would type, generated from the built site, per language.

    python -m docs_tools.search.queries SITE_DIR [LANG ...]    # print them

The words come from the built search index of each language (``search/search_index.json``:
what Material indexes of every page, notebook pages excluded), prose only (no code). A
word is *distinctive* when it occurs on one guide and on no other page of its language;
for Russian, Hebrew and English, "it" is the word with its other forms (for Russian,
no form of it is a form of a word of another page; for Hebrew the same bare form; for
English the same singular), so another form cannot find another page rightly. Each guide gives its most frequent distinctive words (``PER_GUIDE`` per kind),
and each query must find its guide among the first five pages of results:

- ``exact``: the word as the page has it (every language);
- Russian: ``other form`` (another case, number or person, from pymorphy3, that no page
  of the site has) and ``dictionary form`` (where no page has it);
- Hebrew: ``prefixed`` (a word that does not begin with a prefix letter, with one
  prefix letter, ב ה ו ל מ ש in turn, a form no page has) and ``bare`` (a word the site has only with prefixes);
- Chinese (every language whose code starts with "zh"): ``run-together`` (the word and
  the word after it on the page, typed without a space) and ``shared first character``
  (a word of one guide whose first character stands on every guide, so that a search
  matching only the first character finds them all); a Chinese query also names the
  words a result must highlight (``terms``: the word, or both words run together);
- English: ``singular`` (of a plural on the page, where no page has the singular).

The set grows with the guides: nothing here names a word.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
import zlib
from collections import Counter, defaultdict
from pathlib import Path

from docs_tools.search import forms as search_forms
from docs_tools.languages import languages

PER_GUIDE = 5
#: Shortest word taken, in letters (Chinese: characters).
MIN_LENGTH = {"ru": 4, "he": 3, "en": 4, "zh": 2}
HEBREW_QUERY_PREFIXES = ("ב", "ה", "ו", "ל", "מ", "ש")
_LETTERS = {"ru": re.compile(r"^[а-яё]+$"), "he": re.compile(r"^[\u05d0-\u05ea]+$"),
            "en": re.compile(r"^[a-z]+$"), "zh": re.compile(r"^[\u3400-\u9fff]+$")}


@dataclasses.dataclass(frozen=True)
class Query:
    lang: str
    kind: str
    text: str   # what the reader types
    page: str   # the guide it must find, as a location of the index: "guides/tensors/"
    word: str   # the page's word it comes from
    terms: tuple[str, ...] = ()  # Chinese: the words the result must highlight (its link's ?h=)


_MATERIAL_JS = Path(__import__("material").__file__).parent / "templates" / "assets" / "javascripts"


def stop_words(search_langs: list[str]) -> set[str]:
    """The words lunr drops from the index and from queries (its stop-word filters, read
    from the scripts Material ships: lunr's English list in the search worker, the other
    languages' in lunr-languages): no query can find them, so none is generated."""
    words: set[str] = set()
    for code in search_langs:
        files = (sorted((_MATERIAL_JS / "workers").glob("search.*.min.js")) if code == "en"
                 else [_MATERIAL_JS / "lunr" / "min" / f"lunr.{code}.min.js"])
        for file in files:
            if not file.is_file():
                continue
            for match in re.finditer(r'generateStopWordFilter\((?:"([^"]*)"\.split\(" "\)|\[([^\]]*)\])',
                                     file.read_text(encoding="utf-8")):
                words |= set(match[1].split()) if match[1] is not None else set(re.findall(r'"([^"]*)"', match[2]))
    return words


def family(lang: str) -> str:
    """The rules a language's queries follow: "zh" for every Chinese (zh, zh-Hant, ...)."""
    return "zh" if lang.startswith("zh") else lang


def index_path(site_dir: Path, lang: str) -> Path:
    prefix = languages()[lang].prefix
    return site_dir / prefix / "search" / "search_index.json" if prefix else site_dir / "search" / "search_index.json"


@dataclasses.dataclass
class _Page:
    words: list[str] = dataclasses.field(default_factory=list)   # prose words, in order
    runs: list[list[str]] = dataclasses.field(default_factory=list)  # Chinese: words written together
    cased: set[str] = dataclasses.field(default_factory=set)     # English: words seen in lower case
    han: set[str] = dataclasses.field(default_factory=set)       # Chinese: the characters of its prose


def _pages(index: dict, lang: str) -> tuple[dict[str, _Page], set[str]]:
    """Prose words per page (location without anchor), and every word the index has."""
    separator = index["config"]["separator"]
    pages: dict[str, _Page] = defaultdict(_Page)
    every = set()
    for doc in index["docs"]:
        page = pages[doc["location"].split("#")[0]]
        markup = doc.get("title", "") + " \n " + doc.get("text", "")
        every |= set(search_forms.tokens(search_forms.indexed(markup), separator))
        text = search_forms.prose(markup)
        page.words += search_forms.tokens(text, separator)
        if family(lang) == "zh":
            page.han |= set(re.findall(r"[\u3400-\u9fff]", text))
            for chunk in re.split(r"[^\u200b\u3400-\u9fff]+", text):
                run = [w for w in chunk.split("\u200b") if w]
                if len(run) > 1:
                    page.runs.append(run)
        if lang == "en":
            page.cased |= set(re.findall(r"\b[a-z]+\b", text))
    return dict(pages), every


def _singular(word: str) -> str | None:
    """The singular of an English plural by the regular rules; None for words these rules
    would get wrong (-ss, -us, -is, -as, -os, -ics: "loss", "bias", "this", "metrics")."""
    if len(word) < 5 or not word.endswith("s") or word.endswith(("ss", "us", "is", "as", "os", "ics")):
        return None
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    return word[:-1]


def queries(site_dir: Path, lang: str, per_guide: int = PER_GUIDE) -> list[Query]:
    """Every query of ``lang`` on the site built in ``site_dir``."""
    path = index_path(site_dir, lang)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no search index; build the site first (nox -s docs)")
    index = json.loads(path.read_text(encoding="utf-8"))
    kind = family(lang)
    pages, every = _pages(index, lang)
    config = index["config"]
    stopped = stop_words(config["lang"]) if "stopWordFilter" in config["pipeline"] else set()
    letters = _LETTERS.get(kind)
    minimum = MIN_LENGTH.get(kind, 3)
    attested = search_forms.hebrew_attested(every) if kind == "he" else set()

    def key(word: str) -> str:
        if kind == "ru":
            return search_forms.russian_normal(word)
        if kind == "he":
            return search_forms.hebrew_bare(word, attested)
        if kind == "en":
            return _singular(word) or word
        return word

    if kind == "ru":
        known = search_forms.russian_forms_of({w for page in pages.values() for w in page.words})

        def russian_forms(word: str) -> tuple[str, ...]:
            return known[word]
    where = defaultdict(set)
    reach = defaultdict(set)  # Russian: every form of every word -> the pages that have the word
    for location, page in pages.items():
        for word in set(page.words):
            if letters is None or letters.match(word):
                where[key(word)].add(location)
                if kind == "ru":
                    for form in (word, *russian_forms(word)):
                        reach[form].add(location)

    def pages_of(word: str) -> set[str]:
        """The pages a query for the word or another form of it may rightly find."""
        if kind == "ru":  # "весам" (весы) shares forms with "веса" (вес) on other pages
            return set().union(*(reach[form] for form in (word, *russian_forms(word))))
        return where[key(word)]
    found: list[Query] = []
    for location, page in sorted(pages.items()):
        if not location.startswith("guides/"):
            continue
        counts = Counter(w for w in page.words
                         if (letters is None or letters.match(w)) and len(w) >= minimum and w not in stopped)
        ranked = [w for w, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
                  if pages_of(w) == {location}]
        made: dict[str, int] = Counter()

        seen: set[tuple[str, str]] = set()

        def add(kind_name: str, text: str, word: str, terms: tuple[str, ...] = ()) -> None:
            if made[kind_name] < per_guide and text and (kind_name, text) not in seen:
                seen.add((kind_name, text))
                made[kind_name] += 1
                found.append(Query(lang, kind_name, text, location, word, terms))

        for word in ranked:
            add("exact", word, word, (word,) if kind == "zh" else ())
            if kind == "ru":
                normal = key(word)
                # Forms a reader types: no gerunds or imperatives, no spelling variants
                # or archaic forms (pymorphy3's V-... and Arch grammemes), with е for ё.
                others = sorted({f.word.replace("ё", "е") for f in search_forms.russian_lexeme(word)
                                 if f.tag.POS not in ("GRND", "COMP") and "impr" not in f.tag
                                 and not any(g.startswith("V-") or g == "Arch" for g in f.tag.grammemes)}
                                - every - stopped - {normal, word.replace("ё", "е")})
                if others:
                    add("other form", others[zlib.crc32(word.encode()) % len(others)], word)
                if normal != word and normal not in every and normal not in stopped:
                    add("dictionary form", normal, word)
            elif kind == "he":
                bare = key(word)
                # A word that may have a prefix already (הבמשך) takes none.
                if bare == word and word[0] not in "בהוכלמש":
                    prefix = HEBREW_QUERY_PREFIXES[made["prefixed"] % len(HEBREW_QUERY_PREFIXES)]
                    if prefix + word not in every:
                        add("prefixed", prefix + word, word)
                elif bare not in every:
                    add("bare", bare, word)
            elif kind == "en":
                singular = _singular(word)
                if singular and word in page.cased and singular not in every:
                    add("singular", singular, word)
        if kind == "zh":
            distinctive = set(ranked)
            for run in page.runs:
                for first, second in zip(run, run[1:]):
                    if first in distinctive and len(second) >= 2:
                        add("run-together", first + second, first, (first, second))
                        distinctive.discard(first)
            # Words whose first character stands on every guide: only the whole word tells
            # this guide from the others.
            everywhere = set.intersection(*(p.han for loc, p in pages.items() if loc.startswith("guides/")))
            for word in ranked:
                if word[0] in everywhere:
                    add("shared first character", word, word, (word,))
    return found


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print(__doc__.splitlines()[2].strip(), file=sys.stderr)
        return 2
    site_dir, langs = Path(argv[0]), argv[1:] or list(languages())
    for lang in langs:
        for query in queries(site_dir, lang):
            print(f"{lang}\t{query.kind}\t{query.text}\t{query.page}\t{query.word}\t{' '.join(query.terms)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
