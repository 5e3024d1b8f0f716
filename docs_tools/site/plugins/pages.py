"""``tfguides/pages``: every page exists in every language, and the pages the build generates
are there before it starts.

- Page parity: a page that exists in one language and not in another stops the build,
  naming the missing file and the one to translate.
- A derived language (``derived_from: zh``, ``docs_tools.translation.derived``) has no pages of
  its own: they are generated from its source's before the builds, so they always exist.
- The guides' notebooks, executed once per build in a fresh kernel (cached,
  ``docs_tools.site.notebooks``), and their figures are published for ``tfguides/notebooks``.
  ``docs_tools.site.build`` prepares them once for all languages and sets ``PREPARED``.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError

from docs_tools import snippets
from docs_tools.languages import languages, own_pages
from docs_tools.site import notebooks
from docs_tools.site.plugins import StrictOptions
from docs_tools.translation import derived

DOCS_DIR = snippets.ROOT / "docs"

#: Set by ``docs_tools.site.build`` once it has prepared notebooks and figures for all languages.
PREPARED = "TFGUIDES_PREPARED"


class PagesConfig(base.Config):
    #: The language this one's pages are generated from (zh-TW: zh); read by ``docs_tools.languages``.
    derived_from = c.Optional(c.Type(str))


def _pages(docs_dir: Path) -> set[str]:
    return {p.relative_to(docs_dir).as_posix() for p in docs_dir.glob("**/*.md")}


def missing_pages(langs: list[str]) -> list[str]:
    """Every page exists in every language whose pages are written (a derived language's are
    generated from them): one line per missing file, saying how to add it."""
    pages = {lang: _pages(DOCS_DIR / lang) for lang in langs if lang in own_pages()}
    everything = set().union(*pages.values())
    missing = []
    for lang, present in pages.items():
        for page in sorted(everything - present):
            source = next(other for other in pages if page in pages[other])
            missing.append(f"docs/{lang}/{page} is missing (docs/{source}/{page} exists): "
                           f"translate docs/{source}/{page} into docs/{lang}/{page}")
    return missing


def prepare(guides: set[str] | None = None) -> None:
    """Generate the derived languages' pages; execute the guides' notebooks (cached) and
    publish notebooks and figures (``guides``: those whose notebooks may have changed)."""
    try:
        derived.write_pages()
        notebooks.ensure_executed(guides)
    except (snippets.SnippetError, derived.DerivedError) as error:
        raise PluginError(str(error)) from error


class PagesPlugin(StrictOptions):
    config_class = PagesConfig

    def on_config(self, config):
        language = config.theme.get("language")
        if language not in languages():
            raise PluginError(f"{config.config_file_path}: theme.language '{language}' is not "
                              "listed in extra.alternate of mkdocs.yml")
        return config

    def on_pre_build(self, config):
        missing = missing_pages(list(languages()))
        if missing:
            raise PluginError("Every page must exist in every language.\n" + "\n".join(missing))
        if not os.environ.get(PREPARED):
            prepare()
