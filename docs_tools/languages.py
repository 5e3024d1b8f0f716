"""The site's languages, read once from the configs: the one place that knows them.

``mkdocs.yml`` lists them (``extra.alternate``, in switcher order); the first one with
link ``/`` is served at the root and its config is ``mkdocs.yml``; every other language
has ``docs/<lang>.yml``, served at ``/<lang>/``.

A language's pages are in its config's ``docs_dir``: ``docs/<lang>/``, written by hand, or,
for a language *derived* from another (``derived_from: zh``, an option of the plugin
``tfguides/pages`` in its config), generated
from that language's pages at build time (``docs_tools.translation.derived``: ``build/derived/<lang>/``,
never committed). A derived language has no translation of its own: it follows its source
(freshness, banners and status pages are the source's).
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path

from mkdocs.utils.yaml import yaml_load

from docs_tools.snippets import ROOT

BASE_CONFIG = ROOT / "mkdocs.yml"


@dataclasses.dataclass(frozen=True)
class Language:
    code: str
    prefix: str  # URL prefix: "" for the language served at /
    config: Path
    #: The options ``labels`` of ``tfguides/guides``, and ``translations``: those of
    #: ``tfguides/translations``, each merged over the base config's.
    labels: dict
    pages_dir: Path  # the config's docs_dir
    derived_from: str | None = None  # the language its pages are generated from

    @property
    def derived(self) -> bool:
        return self.derived_from is not None


@lru_cache(maxsize=None)
def languages() -> dict[str, Language]:
    """Language code -> Language, in switcher order."""
    with open(BASE_CONFIG, encoding="utf-8") as file:
        base = yaml_load(file)
    found = {}
    for alternate in base["extra"]["alternate"]:
        code, prefix = alternate["lang"], alternate["link"].strip("/")
        config = BASE_CONFIG if not prefix else ROOT / "docs" / f"{code}.yml"
        own = base
        if prefix:
            with open(config, encoding="utf-8") as file:
                own = yaml_load(file)
        labels = {**_labels(base, own, "tfguides/guides"), "translations": _labels(base, own, "tfguides/translations")}
        derived_from = _options(own, "tfguides/pages").get("derived_from") if prefix else None
        found[code] = Language(code, prefix, config, labels, (config.parent / own["docs_dir"]).resolve(),
                               derived_from)
    for language in found.values():
        if language.derived and (language.derived_from not in found or found[language.derived_from].derived):
            raise ValueError(f"{language.config}: tfguides/pages' derived_from '{language.derived_from}' must be a language "
                             "of mkdocs.yml's extra.alternate with pages of its own")
    return found


def _options(config: dict, plugin: str) -> dict:
    """A plugin's options in a config as written."""
    return (config.get("plugins") or {}).get(plugin) or {}


def _labels(base: dict, own: dict, plugin: str) -> dict:
    """A plugin's ``labels`` in a language's config merged over the base config's, as mkdocs'
    ``INHERIT`` merges them."""
    return {**_options(base, plugin).get("labels", {}), **_options(own, plugin).get("labels", {})}


def own_pages() -> list[str]:
    """The languages whose pages are written (not derived), in switcher order."""
    return [code for code, language in languages().items() if not language.derived]


def followed(lang: str) -> str:
    """The language whose pages ``lang``'s pages are: itself, or the one it is derived from."""
    return languages()[lang].derived_from or lang


def reference() -> str:
    """The language pages are written in first (and served at /)."""
    return next(iter(languages()))
