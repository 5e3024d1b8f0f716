"""A page's prose, section by section, read with a real Markdown parser (markdown-it-py).

A section runs from one heading to the next (any level) and is named by the heading's
explicit anchor (``## Training {#training}`` is section ``training``). For each section
this module gives what the translation checks compare:

- its blocks: paragraphs, list items, admonitions (``!!! note``) and tables;
- its inline code spans (``tf.Variable``), as a multiset;
- its numbers in prose (text, headings, table cells, link texts and formulas; never code,
  fences or URLs), normalised across locales;
- its prose itself, the alt texts of its images and its formulas, each with its line
  (the glossary and typography checks read them);
- a fingerprint of its source that ignores how lines are wrapped.

Numbers. A number is a run of digits written as digits, possibly grouped by thousands and
possibly with a decimal part. "2,000", "2 000" (any space, including no-break and narrow
no-break spaces) and "2000" are the same number; "0.5" and "0,5" too (and ``9{,}8`` in a
formula is 9.8). A comma followed by exactly three digits groups thousands; any other comma
between digits is a decimal comma. Digits glued to Latin letters or underscores
(``float32``, ``28x28``, ``2D``, ``x86_64``) are part of a name, not a number, and version
numbers (``2.21.0``) are skipped. Numbers written in words ("three", «три», 三) are not
numbers here: the rule is that the numbers written as digits correspond, in both
directions, so a translation writes a number in digits exactly where the English does.

Prose-only numbers. A number in English prose must be one the page's code or outputs
contain (``docs_tools.translation.prose_numbers``), unless it is marked as prose-only by writing it,
or the words or formula around it, in double brackets: ``[[70,000]]``, ``[[Python 3.11]]``,
``[[$10^{-5}$]]``; an inline code span about the library, not the page's code, is marked the
same way: ``[[`ReduceLROnPlateau`]]`` (``docs_tools.translation.prose_code``). The brackets are
removed before the page is rendered (``strip_markers``) and from notebooks, so readers never
see them; numbers inside count as numbers of prose
everywhere else (parity). The brackets hold no backtick, bracket or line break.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin

from docs_tools.languages import reference

#: ``[[70,000]]``: numbers of prose only (not computed by the page's code).
PROSE_ONLY = re.compile(r"\[\[(?P<inner>[^\[\]`\n]*?\d[^\[\]`\n]*?)\]\]")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_FENCE_LINE = re.compile(r"^[ \t]*(`{3,}|~{3,})")

_ANCHOR = re.compile(r"[ \t]+\{#(?P<id>[A-Za-z0-9_-]+)\}[ \t]*$")
_NUMBER = re.compile(
    r"(?<![A-Za-z0-9_.,])(?<!\d[\u00a0\u202f\u2009])(?<![A-Za-z]-)"  # after "×\u00a0": a number
    r"(?P<int>(?!0[,\s\u00a0\u202f\u2009]\d)\d{1,3}(?:(?:,|[ \u00a0\u202f\u2009])\d{3})+(?![0-9])|\d+)"
    r"(?:(?P<sep>[.,])(?P<frac>\d+))?"
    r"(?![A-Za-z0-9_]|[.,]\d)")
_URL = re.compile(r"\b[a-z][a-z0-9+.-]*://\S+|\bwww\.\S+", re.IGNORECASE)
_LATEX_COMMA = re.compile(r"\{,\}")
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])\s*")


def normalise(integer: str, fraction: str | None = None) -> str:
    """One spelling of a number: no grouping, a decimal point, no trailing zeros."""
    digits = re.sub(r"[, \u00a0\u202f\u2009]", "", integer)
    try:
        value = Decimal(f"{digits}.{fraction}" if fraction else digits)
    except InvalidOperation:  # pragma: no cover (the pattern only matches digits)
        return digits
    return format(value.normalize(), "f")


def numbers(text: str) -> list[str]:
    """The numbers written in ``text`` (prose), normalised."""
    return [value for value, _, _ in _scan(text)]


def _scan(text: str) -> list[tuple[str, int, bool]]:
    """(normalised number, position, marked prose-only) for each number of ``text``."""
    text = _URL.sub(lambda m: " " * len(m.group()), text)
    marked = [(m.start(), m.end()) for m in PROSE_ONLY.finditer(text)]
    text = PROSE_ONLY.sub(lambda m: "  " + m["inner"] + "  ", text)  # same length, no brackets
    found = []
    for match in _NUMBER.finditer(text):
        integer, separator, fraction = match["int"], match["sep"], match["frac"]
        # "1,234": a group of thousands, not a decimal comma (see the module's docstring); a
        # group never follows a lone 0, so "0,001" is a decimal comma.
        if separator == "," and fraction is not None and len(fraction) == 3 and re.fullmatch(r"[1-9]\d*", integer):
            integer, fraction = integer + fraction, None
        found.append((normalise(integer, fraction), match.start(),
                      any(start <= match.start() < end for start, end in marked)))
    return found


def math_numbers(tex: str) -> list[str]:
    """The numbers of a formula: ``9{,}8`` is 9.8; LaTeX commands are not text."""
    return numbers(_LATEX_COMMAND.sub(" ", _LATEX_COMMA.sub(",", tex)))


def lines_outside_fences(lines: list[str]):
    """The indices of ``lines`` outside fenced code blocks (a fence's own lines excluded).
    A caller may rewrite ``lines[i]`` as it goes: the fences are read before they are yielded."""
    fence = None
    for index, line in enumerate(lines):
        opening = _FENCE_LINE.match(line)
        if fence:
            if opening and opening[1][0] == fence[0] and len(opening[1]) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening[1]
            continue
        yield index


def outside_code_spans(line: str, change) -> str:
    """``line`` with ``change`` (a function of text) applied to each part outside its code spans."""
    spans = [m.group() for m in _CODE_SPAN.finditer(line)]
    parts = _CODE_SPAN.sub("\0", line).split("\0")
    return "".join(change(part) + (spans[i] if i < len(spans) else "") for i, part in enumerate(parts))


def unmark_code_spans(line: str) -> str:
    """``line`` without the brackets of ``[[`ReduceLROnPlateau`]]`` (a code span about the
    library, not the page's code: ``docs_tools.translation.prose_code``); brackets inside a
    code span stay."""
    pieces, at = [], 0
    for match in _CODE_SPAN.finditer(line):
        before, after = line[at:match.start()], line[match.end():match.end() + 2]
        if before.endswith("[[") and after == "]]":
            pieces += [before[:-2], match.group()]
            at = match.end() + 2
        else:
            pieces += [before, match.group()]
            at = match.end()
    return "".join(pieces) + line[at:]


def strip_markers(text: str) -> str:
    """The page as readers see it: ``[[70,000]]`` becomes ``70,000`` and ``[[`fit`]]`` becomes
    the code span alone (not in code or fences)."""
    lines = text.split("\n")
    for index in lines_outside_fences(lines):
        if "[[" in lines[index]:
            line = unmark_code_spans(lines[index])
            lines[index] = outside_code_spans(line, lambda part: PROSE_ONLY.sub(lambda m: m["inner"], part))
    return "\n".join(lines)


@dataclasses.dataclass
class Number:
    value: str            # normalised
    line: int
    sentence: str
    prose_only: bool


@dataclasses.dataclass
class Section:
    anchor: str
    title: str
    line: int             # of the heading (1-based); 1 for text before any heading
    source: str = ""
    blocks: Counter = dataclasses.field(default_factory=Counter)
    code_spans: Counter = dataclasses.field(default_factory=Counter)
    numbers: list[Number] = dataclasses.field(default_factory=list)
    prose: list[tuple[int, str]] = dataclasses.field(default_factory=list)  # (first line, text with its line breaks)
    alt_texts: list[tuple[int, str]] = dataclasses.field(default_factory=list)  # of images (not in prose)
    formulas: list[tuple[int, str]] = dataclasses.field(default_factory=list)  # TeX of $...$ and $$...$$

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.source)


def fingerprint(source: str) -> str:
    """Of a section's Markdown: re-wrapping lines or marking a number prose-only changes nothing."""
    text = " ".join(strip_markers(source).split())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").use(admon_plugin).use(dollarmath_plugin)


def _sentence(text: str, position: int) -> str:
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() > position:
            return text[start:match.start()].strip()
        start = match.end()
    return text[start:].strip()


BLOCKS = {"paragraph_open": "paragraphs", "list_item_open": "list items",
          "admonition_open": "admonitions", "table_open": "tables"}


def sections(text: str) -> list[Section]:
    """The sections of a page's Markdown, in order (read once per text: do not modify them)."""
    return list(_sections(text))


@lru_cache(maxsize=64)
def _sections(text: str) -> tuple[Section, ...]:
    lines = text.splitlines()
    tokens = _parser().parse(text)
    found: list[Section] = [Section(anchor="", title="", line=1)]
    starts = [0]
    in_list_item = 0
    heading_open = False
    for token in tokens:
        if token.type == "heading_open":
            heading_open = True
            continue
        if token.type == "heading_close":
            heading_open = False
            continue
        if heading_open and token.type == "inline":
            title = token.content
            anchor = _ANCHOR.search(title)
            start = token.map[0] if token.map else 0
            found.append(Section(anchor=anchor["id"] if anchor else "",
                                 title=_ANCHOR.sub("", title), line=start + 1))
            starts.append(start)
            _read_inline(found[-1], token, start + 1)
            continue
        section = found[-1]
        if token.type == "list_item_open":
            in_list_item += 1
        elif token.type == "list_item_close":
            in_list_item -= 1
        if token.type in BLOCKS and not (token.type == "paragraph_open" and (in_list_item or token.hidden)):
            section.blocks[BLOCKS[token.type]] += 1
        line = (token.map[0] + 1) if token.map else section.line
        if token.type == "inline":
            _read_inline(section, token, line)
        elif token.type in ("math_block", "math_block_label"):
            section.numbers += [Number(n, line, token.content.strip(), False) for n in math_numbers(token.content)]
            section.formulas.append((line, token.content))
    for index, section in enumerate(found):
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        section.source = "\n".join(lines[starts[index]:end])
    if not found[0].source.strip():
        found.pop(0)
    return tuple(found)


def _read_inline(section: Section, token, line: int) -> None:
    """Code spans, prose text and numbers of one inline token (a paragraph, heading, cell...)."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type == "code_inline":
            section.code_spans[child.content] += 1
            parts.append("`…`")  # holds the place of the code (never a number)
        elif child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif child.type == "math_inline":
            parts.append(f"${child.content}$")
            section.formulas.append((line + "".join(parts).count("\n"), child.content))
        elif child.type == "image":
            alt = "".join("`…`" if c.type == "code_inline" else c.content for c in child.children or [])
            section.alt_texts.append((line + "".join(parts).count("\n"), alt))
        elif child.type == "html_inline":
            parts.append(" ")
    text = _ANCHOR.sub("", "".join(parts))
    section.prose.append((line, text))
    text = text.replace("\n", " ")
    marked_ranges = [(m.start(), m.end()) for m in PROSE_ONLY.finditer(text)]
    offset = 0
    for piece in re.split(r"(\$[^$]*\$)", text):
        if len(piece) > 1 and piece.startswith("$") and piece.endswith("$"):
            found, tex, at = [], piece[1:-1], 0
            for match in [*PROSE_ONLY.finditer(tex), None]:  # [[...]] inside a formula
                before = tex[at:match.start()] if match else tex[at:]
                found += [(value, offset, False) for value in math_numbers(before)]
                if match:
                    found += [(value, offset, True) for value in math_numbers(match["inner"])]
                    at = match.end()
        else:
            found = [(value, offset + position, marked) for value, position, marked in _scan(piece)]
        found = [(value, position, marked or any(a <= position < b for a, b in marked_ranges))
                 for value, position, marked in found]
        for value, position, marked in found:
            section.numbers.append(Number(value, line, _sentence(text, position), marked))
        offset += len(piece)


def check_english_pages(untied, pages: list[Path] | None, docs: Path) -> list[str]:
    """``untied(page, name)`` over the given English pages (default: every page of the
    reference language under ``docs``), each named relative to the project: the driver the
    checks of English prose against its code share (``prose_numbers``, ``prose_code``)."""
    found = []
    for page in pages if pages is not None else sorted((docs / reference()).glob("**/*.md")):
        found += untied(page, page.relative_to(docs.parent).as_posix() if page.is_relative_to(docs.parent) else None)
    return found
