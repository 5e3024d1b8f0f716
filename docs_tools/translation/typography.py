"""Typography of the translated pages, checked: the rules a careful typesetter of each
language follows, made a test rather than a habit.

    python -m docs_tools.translation.typography [LANG ...]         # default: every language with rules
    python -m docs_tools.translation.typography ru --fix           # apply the fixes that are mechanical
    python -m docs_tools.translation.typography ru --yo-review     # words whose е/ё spelling needs reading

Only what readers read as text is checked: prose (paragraphs, headings, list items, table
cells, link texts, admonition titles), the alt texts of figures, formulas (with rules of
their own), the language's labels in ``docs/<lang>.yml`` and its translated code comments
(``docs/comments/<lang>.po``, their `code` excepted); never code, inline code,
fences or URLs (``docs_tools.translation.prose`` splits them apart). A problem is reported as
``file:line: what was found: the fix``.

Russian (ru):

- quotes are «ёлочки», inner „лапки“: no straight ``"`` in prose;
- numbers as Мильчин writes them: four digits solid (``2000``, so ``2 000`` with any space
  is wrong), five digits and more grouped by three with a no-break space (``50 240`` with
  U+00A0, so ``50240`` and ``50 240`` with a plain space are wrong), never breaking across
  lines; a year is four digits, so it is never grouped; a percent sign follows its number
  after a no-break space (``85 %``, GOST 8.417);
- × between numbers takes a no-break space on each side (``28 × 28`` with U+00A0);
- a decimal comma, in prose (``0,5``) and in formulas (``9{,}8``); a version number after a
  name (``Python 3.11``, ``TensorFlow 2.21.0``, also marked as prose-only: ``TensorFlow [[2.15]]``)
  keeps its points;
- a dash is an em dash: a hyphen between spaces (``a - b``) is not; the dash never starts a
  line, so a no-break space precedes it (``слово — слово``; in the Markdown, a line does
  not begin with the dash: it ends the line before);
- a minus sign is U+2212: a hyphen before a digit (``от -2``) is not;
- units in formulas are Russian (``\\mathrm{м/с^2}``, not ``\\mathrm{m/s^2}``);
- ё is written wherever it belongs (the site-wide rule). A dictionary decides:
  pymorphy3 with the OpenCorpora dictionary of Russian. A word written with е that the
  dictionary knows only with ё (``еще``, ``свертка``) fails, and so does ё in a word the
  dictionary knows only with е. Where both spellings are words (``все``/``всё``,
  ``нее``/``неё``) no check can decide: ``--yo-review`` lists them for a reader.

Chinese (zh, and any zh-… site): full-width punctuation in Chinese prose: no ASCII ``, . : ; ? ! ( )`` next
to a Chinese character (``数据,模型`` → ``数据，模型``; ``形状(shape)`` → ``形状（shape）``); × between
numbers without spaces (``28×28``).

Hebrew (he): a one-letter prefix (ב, ה, ו, כ, ל, מ, ש, or a run of them) joined to inline
code, a Latin word or a number takes the non-breaking hyphen U+2011, not ``-``, so the
prefix never ends a line alone (ב‑`fit`); × between numbers without spaces (``28×28``).

English has no rule here (``28 × 28`` stays as written).

The mechanical fixes (ё from the dictionary, four-digit numbers solid and longer ones
grouped, no-break spaces in grouped numbers, before ``%``, before a dash and around ×, the
spaces around × removed in Chinese and Hebrew; a × whose space is a line break of the
Markdown is reported, not fixed) are applied to the Markdown by ``--fix``, outside code; the others need a
reader's choice (which quote, dash or minus) and are left to the translator.
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

import yaml

from docs_tools.translation import comments, prose, russian
from docs_tools.languages import languages
from docs_tools.snippets import ROOT

DOCS = ROOT / "docs"
NBSP = "\u00a0"
_FORMULA = re.compile(r"\$[^$]*\$")


@dataclasses.dataclass(frozen=True)
class Rule:
    name: str
    lang: str
    where: str                 # "prose" (text, alt texts, labels) or "formula"
    pattern: re.Pattern
    fix: str                   # what to write instead, for the message
    replace: Callable[[re.Match], str] | None = None  # the mechanical fix, if there is one


def _grouped(match: re.Match) -> str:
    return match.group().replace(" ", NBSP)


def _group(match: re.Match) -> str:
    """``50240`` as ``50 240`` (U+00A0 between groups of three, from the right)."""
    digits = match.group()
    head = len(digits) % 3 or 3
    return NBSP.join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


#: Spaces around a × (a line break of the Markdown is one too).
_SPACES = " \n\u00a0\u202f\u2009"


HAN = "\u3400-\u4dbf\u4e00-\u9fff"
CJK_PUNCTUATION = "\u3000-\u303f\uff00-\uffef"
HEBREW_LETTER = "\u05d0-\u05ea"
HEBREW_PREFIXES = "בהוכלמש"

RULES = [
    Rule("straight quotes", "ru", "prose", re.compile(r'"'),
         'write «…» (inner quotes „…“)'),
    Rule("grouped number with a breaking space", "ru", "prose",
         re.compile(r"(?<![\d.,])(?:\d{2,3}(?: \d{3})+|\d(?: \d{3}){2,})(?![\d])"),
         "join the groups with a no-break space, U+00A0 (50\u00a0240)", _grouped),
    Rule("four-digit number split into groups", "ru", "prose",
         re.compile(r"(?<![\w.,])\d[ \u00a0\u202f\u2009]\d{3}(?![\d]|[ \u00a0\u202f\u2009]\d{3})"),
         "write a four-digit number solid (2000); group from five digits on (50\u00a0240)",
         lambda m: re.sub(r"\D", "", m.group())),
    Rule("number of five digits or more not grouped", "ru", "prose",
         re.compile(r"(?<![\w.,])\d{5,}(?!\w)"),
         "group the digits by three with a no-break space, U+00A0 (50\u00a0240)", _group),
    Rule("× between numbers without no-break spaces", "ru", "prose",
         re.compile(rf"(?<=\d)(?!\u00a0×\u00a0\d)[{_SPACES}]*×[{_SPACES}]*(?=\d)"),
         "write a no-break space, U+00A0, on each side of × (28\u00a0×\u00a028)", lambda m: f"{NBSP}×{NBSP}"),
    Rule("percent sign without a no-break space", "ru", "prose",
         re.compile(r"(?<=\d) ?%"), "write the number, a no-break space (U+00A0) and % (85\u00a0%)",
         lambda m: NBSP + "%"),
    Rule("decimal point", "ru", "prose",
         re.compile(r"(?<![\w.,])(?<![A-Za-z][ \u00a0])(?<![A-Za-z][ \u00a0]\[\[)\d+\.\d+(?![\w]|\.\d)"),
         "write a decimal comma (0,5); a version after its name (Python 3.11) may keep the point"),
    Rule("spaced hyphen used as a dash", "ru", "prose", re.compile(r"(?:^|(?<=\s))--?(?=\s|$)"),
         "write an em dash, «—»"),
    Rule("breaking space before a dash", "ru", "prose", re.compile(r"(?<=\S)[ \n]+—"),
         "join the dash to the word before with a no-break space, U+00A0 (and end the Markdown line with it)",
         lambda m: NBSP + "—"),
    Rule("hyphen used as a minus", "ru", "prose", re.compile(r"(?<![\w\-\u2212.,:/`…])-(?=\d)"),
         "write the minus sign «−» (U+2212)"),
    Rule("decimal point in a formula", "ru", "formula", re.compile(r"(?<![\w.])\d+\.\d+"),
         "write the decimal comma as {,} (9{,}8)"),
    Rule("Latin unit in a formula", "ru", "formula",
         re.compile(r"\\(?:mathrm|text|mathit)\{\s*(?:(?:[kcmμ]?[mgs]|h|min)(?:\^\{?-?\d\}?)?)"
                    r"(?:\s*/\s*(?:[kcmμ]?[mgs]|h|min)(?:\^\{?-?\d\}?)?)?\s*\}"),
         "write Russian units (\\mathrm{м/с^2})"),
    Rule("ASCII punctuation in Chinese prose", "zh", "prose",
         re.compile(rf"(?<=[{HAN}{CJK_PUNCTUATION}])[,.:;?!()]|[,.:;?!()](?=[{HAN}])"),
         "write the full-width form (，。：；？！（ ）)"),
    Rule("spaces around × between numbers", "zh", "prose",
         re.compile(rf"(?<=\d)(?:[{_SPACES}]+×[{_SPACES}]*|×[{_SPACES}]+)(?=\d)"),
         "write × between numbers without spaces (28×28)", lambda m: "×"),
    Rule("spaces around × between numbers", "he", "prose",
         re.compile(rf"(?<=\d)(?:[{_SPACES}]+×[{_SPACES}]*|×[{_SPACES}]+)(?=\d)"),
         "write × between numbers without spaces (28×28)", lambda m: "×"),
    Rule("breaking hyphen after a prefix letter", "he", "prose",
         re.compile(rf"(?<![{HEBREW_LETTER}])[{HEBREW_PREFIXES}]{{1,3}}-(?=`|[A-Za-z0-9$])"),
         "join the prefix with the non-breaking hyphen U+2011 (ב\u2011`fit`)"),
]

YO_RULE = "ё"  # the dictionary rule's name (ru)


def _applies(rule: Rule, lang: str) -> bool:
    """A rule for ``zh`` holds for every Chinese site (``zh-Hant``, ``zh_TW``) too."""
    return re.split(r"[-_]", lang)[0] == rule.lang


def checked_languages() -> list[str]:
    """The site's languages that some rule is for, in switcher order."""
    return [lang for lang in languages() if any(_applies(rule, lang) for rule in RULES)]


# ё: the dictionary -------------------------------------------------------------------------

_CYRILLIC_WORD = re.compile(r"[А-Яа-яЁё]+")


@lru_cache(maxsize=None)
def _spellings(word: str) -> frozenset[str]:
    """The dictionary's spellings of a lower-case word read with е and ё alike."""
    return frozenset(parse.word for parse in russian.analyzer().parse(word) if parse.is_known)


def _same_case(form: str, like: str) -> str:
    return "".join(f.upper() if c.isupper() else f for f, c in zip(form, like))


def yo_spelling(word: str) -> str | None:
    """The spelling the dictionary requires, if it differs from ``word`` in е/ё only; else None."""
    low = word.lower()
    forms = _forms(low) if len(low) > 1 else set()  # the letter itself (буква ё) is not a word
    if not forms or low in forms:
        return None  # unknown, or written as a word the dictionary has
    return _same_case(forms.pop(), word) if len(forms) == 1 else None


def yo_ambiguous(word: str) -> bool:
    """Both spellings are words (все/всё): only a reader can tell which one is meant."""
    return len(_forms(word.lower())) > 1


def _forms(low: str) -> set[str]:
    """The dictionary's spellings of ``low`` that differ from it in е/ё only."""
    if "е" not in low and "ё" not in low:
        return set()
    folded = low.replace("ё", "е")  # the dictionary reads е as е or ё (not ё as е)
    return {form for form in _spellings(folded) if form.replace("ё", "е") == folded}


# Finding problems ----------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class Problem:
    line: int
    rule: str
    found: str
    fix: str

    def message(self, name: str) -> str:
        found = self.found.replace("\n", "↵")  # a line break in what was found
        return f"{name}:{self.line}: {self.rule} \"{found}\": {self.fix}"


def _blank(text: str) -> str:
    """Prose without its inline formulas and URLs (same length and line breaks: offsets hold)."""
    return prose._URL.sub(lambda m: "…" * len(m.group()), _FORMULA.sub(lambda m: re.sub(r"[^\n]", "…", m.group()), text))


def check_text(text: str, lang: str, where: str, line: int = 1) -> list[Problem]:
    """The problems of one piece of prose or one formula that starts at ``line``."""
    if where == "prose":
        text = _blank(text)
    found = []
    for rule in RULES:
        if not _applies(rule, lang) or rule.where != where:
            continue
        for match in rule.pattern.finditer(text):
            found.append(Problem(line + text.count("\n", 0, match.start()), rule.name, match.group(), rule.fix))
    if lang == "ru" and where == "prose":
        for match in _CYRILLIC_WORD.finditer(text):
            spelling = yo_spelling(match.group())
            if spelling:
                what = "write ё" if "ё" in spelling else "no ё in this word"
                found.append(Problem(line + text.count("\n", 0, match.start()), YO_RULE, match.group(),
                                     f"{what}: «{spelling}» (the dictionary knows only that spelling)"))
    return sorted(found, key=lambda p: p.line)


def _pieces(text: str) -> Iterator[tuple[int, str, str]]:
    """(line, "prose" | "formula", text) for everything of a page that readers read."""
    for section in prose.sections(text):
        for line, piece in [*section.prose, *section.alt_texts]:
            yield line, "prose", piece
        for line, tex in section.formulas:
            yield line, "formula", tex


def check_page(page: Path, lang: str, name: str | None = None) -> list[str]:
    name = name or str(page)
    problems = []
    for line, where, piece in _pieces(page.read_text(encoding="utf-8")):
        problems += [p.message(name) for p in check_text(piece, lang, where, line)]
    return problems


def _label_strings(node, path=()) -> Iterator[tuple[int, str]]:
    """(line, text) of the strings readers see in a language config: names and labels."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _label_strings(value, (*path, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for value in node.value:
            yield from _label_strings(value, path)
    elif isinstance(node, yaml.ScalarNode) and path and (
            path[0] in ("site_name", "site_description") or path[:2] == ("extra", "labels")):
        yield node.start_mark.line + 1, node.value


def check_config(config: Path, lang: str, name: str | None = None) -> list[str]:
    name = name or str(config)
    node = yaml.compose(config.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    problems = []
    for line, text in _label_strings(node):
        problems += [p.message(name) for p in check_text(text, lang, "prose", line)]
    return problems


def _name(path: Path, docs: Path) -> str:
    return path.relative_to(docs.parent).as_posix() if path.is_relative_to(docs.parent) else str(path)


def check(langs: list[str] | None = None, docs: Path = DOCS) -> list[str]:
    problems = []
    for lang in langs or checked_languages():
        for page in sorted((docs / lang).glob("**/*.md")):
            problems += check_page(page, lang, _name(page, docs))
        config = docs / f"{lang}.yml"
        if config.exists():
            problems += check_config(config, lang, _name(config, docs))
        name, entries = comments.readable(lang, docs)  # the translated code comments are prose too
        for line, text in entries:
            problems += [p.message(name) for p in check_text(text, lang, "prose", line)]
    return problems


# Fixing and reviewing -------------------------------------------------------------------------

def fix_text(text: str, lang: str) -> str:
    """``text`` (a page's Markdown) with the mechanical fixes applied, outside code and fences.

    Only lines of prose change: fenced blocks, inline code and link targets are left alone
    (a link target holds no Cyrillic word, grouped number or percent sign on our pages).
    """
    rules = [rule for rule in RULES if _applies(rule, lang) and rule.where == "prose" and rule.replace]

    def change(part: str) -> str:
        pieces = re.split(r"(\$[^$]*\$|\]\([^)]*\))", part)  # keep formulas and link targets
        for index in range(0, len(pieces), 2):
            piece = pieces[index]
            for rule in rules:
                piece = rule.pattern.sub(rule.replace, piece)
            if lang == "ru":
                piece = _CYRILLIC_WORD.sub(lambda m: yo_spelling(m.group()) or m.group(), piece)
            pieces[index] = piece
        return "".join(pieces)

    lines = text.split("\n")
    for index in prose.lines_outside_fences(lines):
        line = lines[index]
        if line.startswith("$$"):
            continue
        lines[index] = prose.outside_code_spans(line, change)
        if lang == "ru":  # a dash after inline code: the code span ends with the backtick
            lines[index] = re.sub(r"(?<=`) (?=—)", NBSP, lines[index])
        if lang == "ru" and index and lines[index].lstrip().startswith("— ") and lines[index - 1].strip():
            indent = lines[index][:len(lines[index]) - len(lines[index].lstrip())]
            lines[index - 1] = lines[index - 1].rstrip() + NBSP + "—"
            lines[index] = indent + lines[index].lstrip()[2:]
    return "\n".join(lines)


def yo_review(lang: str = "ru", docs: Path = DOCS) -> list[str]:
    """``file:line: word`` for each word whose е/ё spelling only a reader can choose."""
    found = []
    for page in sorted((docs / lang).glob("**/*.md")):
        for line, where, piece in _pieces(page.read_text(encoding="utf-8")):
            if where != "prose":
                continue
            for match in _CYRILLIC_WORD.finditer(piece):
                if yo_ambiguous(match.group()):
                    at = line + piece.count("\n", 0, match.start())
                    found.append(f"{_name(page, docs)}:{at}: {match.group()}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("langs", nargs="*", help=f"language codes (default: {', '.join(checked_languages())})")
    parser.add_argument("--fix", action="store_true", help="apply the mechanical fixes, then check")
    parser.add_argument("--yo-review", action="store_true", help="list the words whose е/ё only a reader can choose")
    args = parser.parse_args(argv)
    unknown = set(args.langs) - set(languages())
    if unknown:
        parser.error(f"unknown language(s) {sorted(unknown)}; the site has {', '.join(languages())}")
    if args.yo_review:
        print("\n".join(yo_review()))
        return 0
    if args.fix:
        for lang in args.langs or checked_languages():
            for page in sorted((DOCS / lang).glob("**/*.md")):
                text = page.read_text(encoding="utf-8")
                fixed = fix_text(text, lang)
                if fixed != text:
                    page.write_text(fixed, encoding="utf-8")
                    print(f"fixed {_name(page, DOCS)}")
    problems = check(args.langs or None)
    print("\n".join(problems) if problems else "typography: no problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
