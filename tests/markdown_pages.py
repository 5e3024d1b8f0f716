"""What the tests read from a page's Markdown source: headings, fences and figures."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from docs_tools.translation import derived
from docs_tools import languages as _languages
from docs_tools.site.build import languages
from docs_tools.snippets import ROOT

DOCS = ROOT / "docs"
LANGUAGES = list(languages())
REFERENCE = LANGUAGES[0]
#: Languages whose pages are written by hand (the others are derived: docs_tools.translation.derived).
WRITTEN = _languages.own_pages()

# The derived languages' pages, generated as the build does, so that every check of pages
# reads them too (the generation is quick and leaves unchanged files alone).
derived.write_pages()

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<ticks>`{3,}|~{3,})[ \t]*(?P<info>[^\n]*)$")
_HEADING = re.compile(r"^(?P<level>#{1,6})[ \t]+(?P<text>.*?)(?:[ \t]+\{#(?P<id>[A-Za-z0-9_-]+)\})?[ \t]*$")
_IMAGE = re.compile(r"!\[[^\]]*\]\((?P<src>[^)\s]+)")


@dataclasses.dataclass
class Page:
    path: Path
    headings: list[tuple[int, int, str | None]]  # (line, level, explicit id)
    fences: list[tuple[int, str, str]]  # (line, info string, body)
    images: list[str]
    sequence: list[tuple[str, str]]  # fences and figures in page order: ("fence", ...) / ("image", src)

    @property
    def name(self) -> str:
        return str(self.path.relative_to(ROOT))


def read(path: Path) -> Page:
    lines = path.read_text(encoding="utf-8").splitlines()
    headings, fences, images, sequence = [], [], [], []
    fence_open: tuple[int, str, str] | None = None
    body: list[str] = []
    for number, line in enumerate(lines, start=1):
        fence = _FENCE.match(line)
        if fence_open:
            if fence and fence["ticks"][0] == fence_open[1][0] and len(fence["ticks"]) >= len(fence_open[1]) \
                    and not fence["info"]:
                fences.append((fence_open[0], fence_open[2], "\n".join(body)))
                sequence.append(("fence", f"{fence_open[2]}: " + "\n".join(body).strip()))
                fence_open = None
            else:
                body.append(line)
            continue
        if fence:
            fence_open, body = (number, fence["ticks"], fence["info"].strip()), []
            continue
        heading = _HEADING.match(line)
        if heading:
            headings.append((number, len(heading["level"]), heading["id"]))
        found = _IMAGE.findall(line)
        images += found
        sequence += [("image", src) for src in found]
    return Page(path, headings, fences, images, sequence)


def pages_dir(lang: str) -> Path:
    """docs/<lang>/, or where a derived language's pages are generated."""
    return _languages.languages()[lang].pages_dir


def pages(lang: str) -> list[Path]:
    return sorted(pages_dir(lang).glob("**/*.md"))


def language_of(path: Path) -> str:
    return next(lang for lang in LANGUAGES if path.is_relative_to(pages_dir(lang)))


def english_of(path: Path) -> Path:
    """The reference-language page a page of any language translates."""
    return pages_dir(REFERENCE) / path.relative_to(pages_dir(language_of(path)))


def translations(reference: Path) -> dict[str, Path]:
    """The same page in every language, keyed by language."""
    relative = reference.relative_to(pages_dir(REFERENCE))
    return {lang: pages_dir(lang) / relative for lang in LANGUAGES}
