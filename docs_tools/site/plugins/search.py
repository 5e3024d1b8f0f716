"""``tfguides/search``: the search index holds the forms of words readers type.

- Russian and Hebrew words (and English plurals in -ies) are indexed in their other forms
  (``docs_tools.search.forms``), in a field of Material's index that is searched, never shown.
- A language derived from Chinese (zh-TW) has its index cut again as Traditional text
  (``docs_tools.search.chinese``: jieba with its dictionary converted by OpenCC).
- Chinese queries are cut into the words of the index: Material's search worker is patched
  in the built site (``docs_tools.search.worker``, every language: the same worker).
- ``fold`` (Russian: ``{"ё": "е", "Ё": "Е"}``, ``docs_tools.search.fold``): the index is folded
  after Material writes it, and queries as they are typed (the theme's ``main.html`` reads
  this option).
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import ValidationError
from mkdocs.plugins import event_priority

from docs_tools.search import chinese, fold, forms, worker
from docs_tools.site.plugins import StrictOptions


class FoldOption(c.DictOfItems):
    """Single letters to single letters."""

    def __init__(self):
        super().__init__(c.Type(str), default={})

    def run_validation(self, value):
        value = super().run_validation(value)
        try:
            fold.check_mapping(value, "fold")
        except ValueError as error:
            raise ValidationError(str(error)) from error
        return value


class SearchConfig(base.Config):
    fold = FoldOption()


class SearchPlugin(StrictOptions):
    config_class = SearchConfig

    @event_priority(-50)  # after Material's search plugin has written the index
    def on_post_build(self, config):
        worker.patch(Path(config.site_dir))
        path = Path(config.site_dir) / "search" / "search_index.json"
        lang, mapping = config.theme["language"], self.config.fold
        recut = chinese.applies(lang)
        if not path.is_file() or (lang not in forms.LANGUAGES and not mapping and not recut):
            return  # the index as Material wrote it
        # The other forms of the words first, then the folding (ё read as е) of it all.
        index = forms.expand(json.loads(path.read_text(encoding="utf-8")), lang)
        if recut:
            chinese.recut(index, lang)
        if mapping:
            fold.fold_index(index, mapping)
        path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
