"""Other forms of the site's words, written into its search index, for languages that inflect.

Material's search (lunr, in the browser) appends ``*`` to every query term and matches it
as a prefix of the indexed words; it neither stems such terms nor knows Hebrew prefixes,
and Material 9 gives a site no way to transform queries. So a query finds a page only if
some word indexed for the page starts with what the reader typed. This module indexes the
forms a reader may type that the page does not show, in an extra field (``forms``, boost
``FORMS_BOOST``) of the page's first entry (the page itself; its sections follow): the
field is searched, never shown, so the excerpts readers see are the page's own text.
``tfguides/search`` (``docs_tools.site.plugins.search``) adds it to ``search/search_index.json`` after Material wrote it.

- Russian (``pymorphy3`` with its OpenCorpora dictionary): every case and number of each
  word, its dictionary form and, for verbs, its other personal forms and infinitive.
  Participles keep their voice and tense, so a verb's hundred forms are not all indexed.
  A form spelled with ё is also indexed with е, as readers type it.
- English: the singular of a plural in -ies ("categories": "category"); the other regular
  singulars are prefixes of their plurals, found by the ``*`` already.
- Hebrew (ours: no library for it is kept up on PyPI, and neither lunr nor Pagefind has
  Hebrew morphology): prefixes (ב ה ו כ ל מ ש and common pairs). A prefixed word is also
  indexed bare where the remainder is a word of the site (it stands alone somewhere on
  the site, or after two different prefixes: ``HEBREW_PREFIXES``); and every bare word is
  indexed after each of ``HEBREW_INDEXED_PREFIXES``, so that "בגרדיאנטים" finds a page
  saying "גרדיאנטים".

A form that is a prefix of a word already indexed for the page (its text or another form)
is left out: the query's ``*`` finds it anyway.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
from collections import defaultdict
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from docs_tools.translation import russian
from docs_tools.snippets import ROOT

#: Russian forms computed in earlier builds (pymorphy3 takes seconds for a site's words),
#: under a key of the dictionary's and analyser's versions and of this module's rules.
CACHE_DIR = ROOT / "build" / "search-forms"

#: The field's weight against the page's own words (text 1, title 1000): a page that
#: shows the reader's exact word ranks above one that only has another form of it.
FORMS_BOOST = 0.5
FIELD = "forms"
#: The languages that get forms; any other language's index is left as Material wrote it.
LANGUAGES = ("en", "ru", "he")

#: One-letter prefixes (משה וכלב) and the common pairs of them, longest first: stripped
#: from the words of the site.
HEBREW_PREFIXES = ("וה", "וב", "ול", "ומ", "וש", "וכ", "שה", "שב", "של", "שמ", "כש", "מה", "לה", "מש",
                   "ב", "ה", "ו", "כ", "ל", "מ", "ש")
#: The prefixes written before each bare word of a page: the single letters and the
#: commonest pairs (each costs a word per word of the page in every reader's download).
HEBREW_INDEXED_PREFIXES = ("וה", "שה", "וב", "כש", "מה", "לה", "ב", "ה", "ו", "כ", "ל", "מ", "ש")
#: The shortest remainder taken for a word once a prefix is stripped.
HEBREW_MIN_BARE = 3

_TAG = re.compile(r"<[^>]+>")
_CODE = re.compile(r"<(pre|code)\b.*?</\1>", re.DOTALL)
_CYRILLIC = re.compile(r"^[а-яё]+$")
_HEBREW = re.compile(r"^[\u05d0-\u05ea]+$")


def prose(markup: str) -> str:
    """The text of an index entry without its code (``pre``, ``code``) and tags."""
    return html.unescape(_TAG.sub(" ", _CODE.sub(" ", markup)))


def indexed(markup: str) -> str:
    """The text of an index entry as lunr indexes it: code included, tags not."""
    return html.unescape(_TAG.sub(" ", markup))


def tokens(text: str, separator: str) -> list[str]:
    """The words lunr indexes for ``text``, split as Material's tokenizer splits them."""
    return [t for t in re.split(separator, text.lower()) if t]


_GROUPS = {"NOUN": {"NOUN"}, "ADJF": {"ADJF", "ADJS", "COMP"}, "ADJS": {"ADJF", "ADJS", "COMP"},
           "COMP": {"ADJF", "ADJS", "COMP"}, "VERB": {"VERB", "INFN", "GRND"},
           "INFN": {"VERB", "INFN", "GRND"}, "GRND": {"VERB", "INFN", "GRND"},
           "PRTF": {"PRTF", "PRTS"}, "PRTS": {"PRTF", "PRTS"}}


@lru_cache(maxsize=None)
def russian_lexeme(word: str) -> tuple:
    """pymorphy3's forms (``.word``, ``.tag``) of the most likely reading of ``word`` that
    a reader may type for it: its part of speech (nouns; adjectives; a verb's personal
    forms, infinitive and gerunds; a participle's forms of the same voice and tense);
    () for a word that does not inflect or is not Russian."""
    if not _CYRILLIC.match(word):
        return ()
    parse = _reading(word)
    group = _GROUPS.get(parse.tag.POS) if parse else None
    if group is None:
        return ()
    return tuple(form for form in parse.lexeme if form.tag.POS in group and (
        parse.tag.POS not in ("PRTF", "PRTS") or
        (form.tag.tense, form.tag.voice) == (parse.tag.tense, parse.tag.voice)))


def _reading(word: str):
    """The most likely reading of a word of the dictionary; for another word (a loanword
    such as "батчах") pymorphy3's best guess as a noun, or None."""
    parses = russian.analyzer().parse(word)
    if russian.analyzer().word_is_known(word):
        return parses[0]
    return next((p for p in parses if p.tag.POS == "NOUN"), None)


def russian_normal(word: str) -> str:
    """The dictionary form of ``word`` (itself if pymorphy3 does not inflect it)."""
    return _reading(word).normal_form if russian_lexeme(word) else word


@lru_cache(maxsize=None)
def russian_forms(word: str) -> tuple[str, ...]:
    """The forms of ``word`` to index, its dictionary form among them, each also with е
    for ё; () for a word that does not inflect or is not Russian."""
    lexeme = russian_lexeme(word)
    if not lexeme:
        return ()
    forms = {russian_normal(word)} | {form.word for form in lexeme}
    forms |= {form.replace("ё", "е") for form in forms}
    return tuple(sorted(forms))


def english_forms(word: str) -> tuple[str, ...]:
    """The singular of a plural in -ies, whose singular is no prefix of it."""
    return (word[:-3] + "y",) if len(word) >= 5 and word.endswith("ies") and word.isalpha() else ()


def hebrew_attested(words: set[str]) -> set[str]:
    """The words of the site: its Hebrew words, and every remainder that follows two
    different prefixes on it (בשיפוע and השיפוע: שיפוע), neither ending the other."""
    after = defaultdict(set)
    for word in words:
        for prefix in HEBREW_PREFIXES:
            rest = word[len(prefix):]
            if word.startswith(prefix) and len(rest) >= HEBREW_MIN_BARE:
                after[rest].add(prefix)

    def two_prefixes(prefixes: set[str]) -> bool:
        # Not one prefix inside the other: ה and לה before שתפר are one ה of השתפר.
        return any(not p.endswith(q) and not q.endswith(p) for p in prefixes for q in prefixes)

    return {w for w in words if _HEBREW.match(w)} | {rest for rest, prefixes in after.items() if two_prefixes(prefixes)}


def hebrew_bare(word: str, attested: set[str]) -> str:
    """``word`` without its prefix where the remainder is a word of the site (the longest
    such prefix), else ``word``."""
    for prefix in HEBREW_PREFIXES:
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= HEBREW_MIN_BARE and rest in attested:
            return rest
    return word


def hebrew_forms(word: str, attested: set[str]) -> tuple[str, ...]:
    """The bare word (where ``word`` has a prefix) and the bare word after each prefix."""
    if not _HEBREW.match(word):
        return ()
    bare = hebrew_bare(word, attested)
    if len(bare) < HEBREW_MIN_BARE:
        return ()
    return (bare, *(prefix + bare for prefix in HEBREW_INDEXED_PREFIXES))


def uncovered(forms: set[str], words: set[str]) -> list[str]:
    """The forms a query could not reach through ``words`` and the other forms: a form
    that is a prefix of one of them is found by the query's ``*`` already."""
    everything = sorted(forms | words)
    keep = []
    for index, form in enumerate(everything):
        following = everything[index + 1] if index + 1 < len(everything) else ""
        if form in forms and form not in words and not following.startswith(form):
            keep.append(form)
    return keep


def russian_forms_of(words: set[str]) -> dict[str, tuple[str, ...]]:
    """``russian_forms`` of each word, from the cache of earlier builds where it has them."""
    key = hashlib.sha256("\n".join([metadata.version("pymorphy3"), metadata.version("pymorphy3-dicts-ru"),
                                      Path(__file__).read_text(encoding="utf-8")]).encode()).hexdigest()[:16]
    path = CACHE_DIR / f"ru-{key}.json"
    try:
        known = {word: tuple(forms) for word, forms in json.loads(path.read_text(encoding="utf-8")).items()}
    except (OSError, ValueError):
        known = {}
    missing = words - known.keys()
    if missing:
        known |= {word: russian_forms(word) for word in missing}
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(known, ensure_ascii=False), encoding="utf-8")
        temporary.replace(path)  # atomic: parallel builds may write it at once
    return known


def expand(index: dict, lang: str) -> dict:
    """``index`` (Material's search_index.json, parsed) with the ``forms`` field written
    into each entry that has forms to add, and declared in its config. Languages other than
    Russian, Hebrew and English are returned as they are."""
    if lang not in LANGUAGES:
        return index
    separator = index["config"]["separator"]
    # Each entry's prose words (forms are made of these), and every word lunr indexes for it
    # (code included: a form that is a prefix of one of those is found already).
    entries = [(doc, set(tokens(prose(doc.get("title", "")) + " " + prose(doc.get("text", "")), separator)),
                set(tokens(indexed(doc.get("title", "") + " " + doc.get("text", "")), separator)))
               for doc in index["docs"]]
    if lang == "ru":
        all_words = set().union(*(words for _, words, _ in entries))
        known = russian_forms_of(all_words)

        def forms_of(word: str) -> tuple[str, ...]:
            return known[word]
    elif lang == "en":
        def forms_of(word: str) -> tuple[str, ...]:
            return english_forms(word)
    else:
        # Words of the whole text, code included: lunr indexes that too.
        attested = hebrew_attested(set().union(*(every for _, _, every in entries)))

        def forms_of(word: str) -> tuple[str, ...]:
            return hebrew_forms(word, attested)
    # One field per page, on its first entry (the page itself; its sections follow): a
    # word repeated in many sections is indexed once, and a reader who types another form
    # lands on the page.
    pages: dict[str, tuple[dict, set[str], set[str]]] = {}
    for doc, words, every in entries:
        path = doc["location"].split("#")[0]
        first, page_words, page_indexed = pages.setdefault(path, (doc, set(), set()))
        page_words |= words
        page_indexed |= every
    for first, words, page_indexed in pages.values():
        forms = set().union(*(forms_of(word) for word in words)) if words else set()
        keep = uncovered(forms, page_indexed)
        if keep:
            first[FIELD] = " ".join(keep)
    index["config"]["fields"][FIELD] = {"boost": FORMS_BOOST}
    return index

