"""The site's languages, read once from the configs: the one place that knows them.

``mkdocs.yml`` lists them (``extra.alternate``, in switcher order); the first one with
link ``/`` is served at the root and its config is ``mkdocs.yml``; every other language
has ``docs/<lang>.yml``, served at ``/<lang>/``.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path

from mkdocs.utils.yaml import yaml_load

from .snippets import ROOT

BASE_CONFIG = ROOT / "mkdocs.yml"


@dataclasses.dataclass(frozen=True)
class Language:
    code: str
    prefix: str  # URL prefix: "" for the language served at /
    config: Path
    labels: dict  # extra.labels, merged over the base config's


@lru_cache(maxsize=None)
def languages() -> dict[str, Language]:
    """Language code -> Language, in switcher order."""
    with open(BASE_CONFIG, encoding="utf-8") as file:
        base = yaml_load(file)
    found = {}
    for alternate in base["extra"]["alternate"]:
        code, prefix = alternate["lang"], alternate["link"].strip("/")
        config = BASE_CONFIG if not prefix else ROOT / "docs" / f"{code}.yml"
        labels = dict(base["extra"]["labels"])
        if prefix:
            with open(config, encoding="utf-8") as file:
                labels.update(yaml_load(file).get("extra", {}).get("labels", {}))
        found[code] = Language(code, prefix, config, labels)
    return found


def reference() -> str:
    """The language pages are written in first (and served at /)."""
    return next(iter(languages()))
