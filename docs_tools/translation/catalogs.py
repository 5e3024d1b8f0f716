"""The code comments' gettext catalogues, ``docs/comments/<lang>.po``, read once per change.

A leaf of the translation package: ``comments`` (which writes and checks the catalogues and
places their translations in code) and ``derived`` (whose phrase table must also apply to the
comments) both read the catalogues through it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from docs_tools.snippets import ROOT

CATALOGS_DIR = ROOT / "docs" / "comments"


def catalog_path(lang: str, catalogs: Path | None = None) -> Path:
    return (catalogs or CATALOGS_DIR) / f"{lang}.po"


def pofile(path: Path):
    """The catalogue, parsed (polib); ``OSError`` or ``ValueError`` when it cannot be read."""
    import polib

    return polib.pofile(str(path), wrapwidth=78)


def translations(path: Path) -> dict[str, str]:
    """English comment -> translation, for the translated (not fuzzy, not obsolete) entries;
    empty when there is no catalogue."""
    if not path.is_file():
        return {}
    return _translations(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=16)
def _translations(path: Path, mtime_ns: int) -> dict[str, str]:
    return {entry.msgid: entry.msgstr for entry in pofile(path)
            if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags}
