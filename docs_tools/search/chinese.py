"""A derived Chinese language's search index, cut as Traditional text.

Material cuts Chinese into words with jieba, whose dictionary is Simplified: in zh-TW's
pages it reads many Traditional words as characters or odd pairs (碼區, 實值). For a
language derived from Chinese (zh-TW: ``docs_tools.translation.derived``), ``tfguides/search``
cuts the index again after Material wrote it, with a jieba tokenizer of its own (no global
state: the builders build other languages in the same process) whose dictionary is
jieba's, converted with the language's OpenCC profile (s2twp: the frequencies of the
Simplified words that become one Traditional word are added), plus the words of its pages
that this dictionary lacks (``derived.words``: the words of zh's cut, converted; 118 of
1,175, mostly the phrase table's Taiwanese terms: 變異數, 常態分佈, 子類別, 回呼).

Measured on our pages (multi-character words of zh's cut, converted, found whole when the
converted text is cut): jieba's Simplified dictionary 83.4 %; with the whole word list, as
Material was given it before (``jieba_dict_user``) 99.1 %; the converted dictionary 98.9 %
(but 變異數 and the other Taiwanese terms in pieces); with the words it lacks 97.9 %.

The converted dictionary is written once to ``build/search-dict/`` (OpenCC takes about
10 s for jieba's 349,046 words), under a key of jieba's and OpenCC's versions and profile.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from docs_tools.snippets import ROOT
from docs_tools.translation import derived

CACHE_DIR = ROOT / "build" / "search-dict"
#: Material's expression for a run of Han characters (its search plugin's _segment_chinese).
_HAN = r"(\p{script: Han}+)"


def dictionary(profile: str) -> Path:
    """jieba's dictionary with every word converted by OpenCC's ``profile``."""
    import jieba

    source = Path(jieba.__file__).with_name("dict.txt")
    key = hashlib.sha256(f"{metadata.version('jieba')} {metadata.version('opencc')} {profile}".encode()).hexdigest()[:16]
    path = CACHE_DIR / f"jieba-{profile}-{key}.txt"
    if path.is_file():
        return path
    lines = [line.split(" ") for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    converted = derived._converter(profile).convert("\n".join(parts[0] for parts in lines)).split("\n")
    if len(converted) != len(lines):
        raise RuntimeError(f"OpenCC {profile} changed the number of lines of jieba's dictionary")
    freq: dict[str, int] = {}
    tag: dict[str, str] = {}
    for word, parts in zip(converted, lines):
        freq[word] = freq.get(word, 0) + int(parts[1])
        tag.setdefault(word, parts[2] if len(parts) > 2 else "x")
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text("".join(f"{w} {f} {tag[w]}\n" for w, f in freq.items()), encoding="utf-8")
    temporary.replace(path)  # atomic: parallel builds may write it at once
    return path


@lru_cache(maxsize=4)  # a builder process keeps it: loading it takes about a second
def _tokenizer(profile: str, words: tuple[tuple[str, int], ...]):
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer(str(dictionary(profile)))
    tokenizer.initialize()
    for word, freq in [(w, f) for w, f in words if not tokenizer.FREQ.get(w)]:
        tokenizer.add_word(word, freq)
    return tokenizer


def tokenizer(lang: str):
    """The jieba tokenizer that cuts ``lang`` (a language derived from Chinese)."""
    return _tokenizer(derived._table(lang).opencc, tuple(derived.words(lang).items()))


def cut(text: str, tokenizer) -> str:
    """``text`` cut as Material cuts it (words joined by U+200B), with ``tokenizer``."""
    from backrefs import bre

    def replace(match) -> str:
        return "\u200b" + "\u200b".join(tokenizer.cut(match.group(0))) + "\u200b"

    return bre.compile(_HAN, bre.UNICODE).sub(replace, text.replace("\u200b", "")).strip("\u200b")


def recut(index: dict, lang: str) -> dict:
    """``index`` (Material's, parsed) with its titles and texts cut again for ``lang``, in place."""
    cutter = tokenizer(lang)
    for doc in index["docs"]:
        for field in ("title", "text"):
            if doc.get(field):
                doc[field] = cut(doc[field], cutter)
    return index


def applies(lang: str) -> bool:
    """Whether ``lang``'s index is cut again: a language derived from Chinese."""
    from docs_tools.languages import languages

    language = languages().get(lang)
    return bool(language and language.derived and language.derived_from.startswith("zh"))
