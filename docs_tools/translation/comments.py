"""Code comments in the reader's language, while the code stays one tested module.

    python -m docs_tools.translation.comments update   # bring docs/comments/<lang>.po up to date
    python -m docs_tools.translation.comments check    # what is untranslated or fuzzy (exits 1)

The English comments of ``snippets/*.py`` are the source. Each language that translates
them keeps a gettext catalogue, ``docs/comments/<lang>.po`` (Weblate, Crowdin, Transifex
and Poedit open it): one entry per distinct comment, ``msgid`` the English text (without
``# ``), ``msgstr`` the translation, with source references (``#: snippets/tensors.py:12``).
``update`` adds new comments untranslated, marks removed ones obsolete, and marks a changed
one fuzzy with the previous English (``#| msgid``) and the old translation kept, as
``msgmerge`` does. A fuzzy or empty entry is untranslated: the build of that language
stops naming the file, line and comment, and this command.

Which comments: every ``#`` comment of a section's code (what pages and notebooks show),
never the section markers (``# --8<-- ...``) or the hidden options (``#| rtol: ...``),
which are not part of a section's code. Printed strings are never translated.

Where code is shown (``localize``: the fence of ``docs_tools.site.fence`` and so the copy
button, every language's notebook), each comment is replaced by its translation and
nothing else changes: the token stream without comments is the module's (tested for every
block and notebook cell). A translated comment after code that would make the line wider
than ``WIDTH`` columns (a CJK character takes two) goes on its own line above the code, at
the code's indentation; a comment on its own line that is too wide is wrapped onto more
comment lines.

Languages: a derived language (zh-TW) takes its source's catalogue, converted as its
prose is (``docs_tools.translation.derived``: OpenCC and the phrase table), never written
by hand. The languages in ``ENGLISH_COMMENTS`` keep the English comments (Hebrew: the
running page says why). Every other language needs a catalogue.
"""

from __future__ import annotations

import argparse
import dataclasses
import difflib
import io
import re
import sys
import tokenize
import unicodedata
from functools import lru_cache
from pathlib import Path

from docs_tools import snippets
from docs_tools.languages import languages, reference
from docs_tools.translation import catalogs as catalog_files
from docs_tools.translation.catalogs import CATALOGS_DIR, catalog_path  # noqa: F401 (part of this module's API)
#: Languages whose pages show the English comments, by decision (docs/en/running.md,
#: "What a page shows"): Israeli engineers write and read code comments in English, and
#: right-to-left comments inside left-to-right code are reordered on screen and in editors.
ENGLISH_COMMENTS = ("he",)
#: Columns a code line may take where a translated comment is placed (the desktop code width).
WIDTH = 80
COMMAND = "python -m docs_tools.translation.comments update"


class CommentError(snippets.SnippetError):
    """A comment has no translation (or a catalogue is malformed); the message says how to fix it."""


@dataclasses.dataclass(frozen=True)
class Comment:
    module: Path
    line: int     # 1-based, in the module
    text: str     # without "#" and the space after it
    section: str

    @property
    def where(self) -> str:
        return f"{snippets.relative(self.module)}:{self.line}"


def _strip(token: str) -> str:
    text = token[1:]
    return text.removeprefix(" ")


@lru_cache(maxsize=1024)  # every language's build fingerprints and localizes every section again
def _comment_tokens(code: str) -> tuple[tokenize.TokenInfo, ...]:
    return tuple(t for t in tokenize.generate_tokens(io.StringIO(code).readline) if t.type == tokenize.COMMENT)


def section_comments(section: snippets.Section) -> list[Comment]:
    """The comments of a section's code, in order."""
    return [Comment(section.module, section.first_line + token.start[0] - 1, _strip(token.string), section.name)
            for token in _comment_tokens(section.code)]


def module_comments(module: Path) -> list[Comment]:
    return [comment for section in snippets.sections(module).values() for comment in section_comments(section)]


def all_comments() -> list[Comment]:
    return [comment for module in snippets.modules() for comment in module_comments(module)]


def fence_comments(text: str) -> list[str]:
    """The English comments of the sections a page's text shows with ``snippet`` fences."""
    found = []
    for match in snippets.FENCE.finditer(text):
        try:
            found += [comment.text for comment in section_comments(snippets.resolve(match["ref"]))]
        except snippets.SnippetError:
            continue  # a broken reference is reported by the build and the page checks
    return found


# --- catalogues ------------------------------------------------------------------------------

def translated_languages() -> list[str]:
    """The languages with a catalogue of their own: not English, not derived, not keeping English."""
    return [code for code, language in languages().items()
            if code != reference() and not language.derived and code not in ENGLISH_COMMENTS]


def _pofile(path: Path):
    try:
        return catalog_files.pofile(path)
    except (OSError, ValueError) as error:
        raise CommentError(f"{snippets.relative(path)}: not a readable gettext catalogue ({error}); "
                           f"restore it from git, then run `{COMMAND}`") from error


def catalog(lang: str, catalogs: Path | None = None) -> dict[str, str]:
    """English comment -> translation, for the translated (not fuzzy, not obsolete) entries of
    ``lang``'s catalogue; for a derived language, its source's converted."""
    language = languages()[lang]
    if language.derived:
        from docs_tools.translation import derived

        return _converted(tuple(catalog(language.derived_from, catalogs).items()), derived._table(lang))
    path = catalog_path(lang, catalogs)
    try:
        return catalog_files.translations(path)
    except (OSError, ValueError):
        return _pofile(path)  # raises the CommentError that names the file and the fix


@lru_cache(maxsize=4)  # a derived language's build asks once per code block
def _converted(entries: tuple[tuple[str, str], ...], table) -> dict[str, str]:
    from docs_tools.translation import derived

    return {english: derived.convert(text, table) for english, text in entries}


def shows_english(lang: str) -> bool:
    return lang == reference() or lang in ENGLISH_COMMENTS


def source_language(lang: str) -> str:
    """Whose catalogue a language's comments come from."""
    language = languages()[lang]
    return language.derived_from if language.derived else lang


def missing(lang: str, comments: list[Comment] | None = None) -> list[str]:
    """One message per comment ``lang`` shows untranslated (file, line, comment, command)."""
    if shows_english(lang):
        return []
    source = source_language(lang)
    known = catalog(source)
    path = snippets.relative(catalog_path(source))
    return [f"{comment.where}: the comment \"{comment.text}\" has no {source} translation in {path}: "
            f"run `{COMMAND}`, then translate its entry (a fuzzy entry: check the translation against "
            "the changed English and remove the fuzzy flag)"
            for comment in (all_comments() if comments is None else comments) if comment.text not in known]


# --- placing translations in code ------------------------------------------------------------

def width(text: str) -> int:
    """Columns ``text`` takes in a monospace block: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


#: Punctuation a line never starts with (Chinese line breaking rules, and their Latin kin).
_CLOSING = set("，。、；：！？）」』”’》〉…,.;:!?)]}")


def _wrap(text: str, columns: int) -> list[str]:
    """``text`` cut into lines of at most ``columns``: at spaces, and between wide characters
    (Chinese breaks between any two); a Latin word is never cut."""
    def space(unit: str) -> bool:  # a breaking space: not the no-break space of "5 000"
        return not unit.strip(" \t")

    units = re.findall(r"[ \t]+|[^ \t]", text)
    merged: list[str] = []  # wide characters one by one, other runs of non-space whole
    for unit in units:
        if merged and not space(unit) and width(unit) == 1 and not space(merged[-1]) \
                and width(merged[-1][-1]) == 1:
            merged[-1] += unit
        else:
            merged.append(unit)
    lines: list[str] = []
    current: list[str] = []
    for unit in merged:
        if current and width("".join(current) + unit) > columns:
            carried = []
            if unit in _CLOSING and len(current) > 1:  # never start a line with "。" or "，"
                carried = [current.pop()]
            lines.append("".join(current).rstrip())
            current = carried
        if not current and space(unit):
            continue
        current.append(unit)
    if "".join(current).strip():
        lines.append("".join(current).rstrip())
    return lines or [text]


def _comment_lines(indent: str, text: str) -> list[str]:
    return [f"{indent}# {line}" for line in _wrap(text, max(20, WIDTH - width(indent) - 2))]


def localize(section: snippets.Section, lang: str) -> str:
    """The section's code as ``lang``'s pages and notebooks show it: its comments translated,
    placed so that no line is wider than ``WIDTH`` because of a comment. Raises
    ``CommentError`` naming every untranslated comment."""
    if shows_english(lang):
        return section.code
    comments = section_comments(section)
    problems = missing(lang, comments)
    if problems:
        raise CommentError("\n".join(problems))
    known = catalog(lang)
    lines = section.code.split("\n")
    for token in reversed(_comment_tokens(section.code)):
        row, column = token.start
        line = lines[row - 1]
        translated = known[_strip(token.string)]
        before = line[:column]
        indent = line[:len(line) - len(line.lstrip())]
        if not before.strip():  # a comment on its own line
            lines[row - 1:row] = _comment_lines(before, translated)
            continue
        inline = f"{before}# {translated}"
        if width(inline) <= WIDTH:
            lines[row - 1] = inline
        else:  # too wide after the code: on its own line(s) above it, at the code's indentation
            lines[row - 1:row] = [*_comment_lines(indent, translated), before.rstrip()]
    return "\n".join(lines)


def without_comments(code: str) -> list[tuple[int, str]]:
    """The token stream of ``code`` without its comments and the line breaks they leave:
    (type, string) of every token but COMMENT and NL."""
    return [(t.type, t.string) for t in tokenize.generate_tokens(io.StringIO(code).readline)
            if t.type not in (tokenize.COMMENT, tokenize.NL)]


# --- updating the catalogues ----------------------------------------------------------------

def _occurrences(comments: list[Comment]) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for comment in comments:
        found.setdefault(comment.text, []).append((snippets.relative(comment.module), str(comment.line)))
    return found


def update(lang: str, catalogs: Path | None = None, comments: list[Comment] | None = None) -> dict[str, int]:
    """Bring ``lang``'s catalogue up to date with the modules; returns counts of what changed."""
    import polib

    path = catalog_path(lang, catalogs)
    current = _occurrences(all_comments() if comments is None else comments)
    old = _pofile(path) if path.is_file() else None
    po = polib.POFile(wrapwidth=78)
    po.metadata = dict(old.metadata) if old else {
        "Project-Id-Version": "tfguides",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    po.header = old.header if old else (f"Code comments of snippets/*.py in {lang}: written by `{COMMAND}`\n"
                                         "(entries, references, flags); translate the msgstr of each entry.")
    entries = {e.msgid: e for e in old if not e.obsolete} if old else {}
    obsolete = {e.msgid: e for e in old if e.obsolete} if old else {}
    vanished = [msgid for msgid in entries if msgid not in current]
    counts = {"new": 0, "fuzzy": 0, "obsolete": 0, "kept": 0}
    for msgid, where in current.items():
        entry = entries.get(msgid) or obsolete.get(msgid)
        if entry is not None:
            entry.obsolete = False
            counts["kept"] += 1
        else:
            like = difflib.get_close_matches(msgid, vanished, n=1, cutoff=0.6)
            if like:  # a changed comment: keep the translation, marked fuzzy, with the English it translates
                previous = entries[like[0]]
                vanished.remove(like[0])
                entry = polib.POEntry(msgid=msgid, msgstr=previous.msgstr, previous_msgid=previous.msgid,
                                      flags=["fuzzy"], comment=previous.comment)
                counts["fuzzy"] += 1
            else:
                entry = polib.POEntry(msgid=msgid, msgstr="")
                counts["new"] += 1
        entry.occurrences = where
        po.append(entry)
    for msgid in [*vanished, *(m for m in obsolete if m not in current)]:
        entry = entries.get(msgid) or obsolete[msgid]
        entry.obsolete, entry.occurrences = True, []
        po.append(entry)
        counts["obsolete"] += msgid in vanished
    path.parent.mkdir(parents=True, exist_ok=True)
    text = str(po).rstrip("\n") + "\n"  # as polib's save writes it
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return counts


_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def readable(lang: str, docs: Path | None = None) -> tuple[str, list[tuple[int, str]]]:
    """What the glossary and typography checks read of ``lang``'s comments: the catalogue's
    name and (line, translation) of each translated entry, its code (`v -= 0.5`) masked as
    ``"`…`"``, as in prose. A language without a catalogue of its own has nothing to read."""
    path = catalog_path(lang, (docs / "comments") if docs else None)
    if not path.is_file():
        return snippets.relative(path), []
    return snippets.relative(path), [(entry.linenum, _CODE_SPAN.sub("`…`", entry.msgstr)) for entry in _pofile(path)
                                     if entry.msgstr and not entry.obsolete]


def problems(langs: list[str] | None = None) -> list[str]:
    """Every untranslated or fuzzy comment, and catalogues that are not up to date."""
    found = []
    comments = all_comments()
    english = {comment.text for comment in comments}
    for lang in langs if langs is not None else translated_languages():
        path = catalog_path(lang)
        if not path.is_file():
            found.append(f"{snippets.relative(path)} is missing: run `{COMMAND}` and translate it")
            continue
        found += missing(lang, comments)
        stale = [e.msgid for e in _pofile(path) if not e.obsolete and e.msgid not in english]
        found += [f"{snippets.relative(path)}: \"{msgid}\" is no longer a comment of snippets/: run `{COMMAND}`"
                  for msgid in stale]
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["update", "check"], nargs="?", default="check")
    parser.add_argument("langs", nargs="*", help="languages (default: every language with a catalogue)")
    args = parser.parse_args(argv)
    langs = args.langs or translated_languages()
    try:
        if args.action == "update":
            for lang in langs:
                counts = update(lang)
                print(f"{snippets.relative(catalog_path(lang))}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
        found = problems(langs)
    except (CommentError, snippets.SnippetError) as error:
        print(error, file=sys.stderr)
        return 1
    print("\n".join(found) or "comments: every comment is translated", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
