"""The mkdocs plugins' options are typed: every language's config loads, and a misspelt or
wrong option stops the build naming it (docs_tools/site/plugins/)."""

from __future__ import annotations

import logging

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from docs_tools.languages import languages
from docs_tools.site.plugins.guides import GuidesPlugin
from docs_tools.site.plugins.pages import PagesPlugin
from docs_tools.site.plugins.search import SearchPlugin
from docs_tools.site.plugins.theme import ThemePlugin
from docs_tools.site.plugins.translations import TranslationsPlugin

OURS = ["tfguides/theme", "tfguides/pages", "tfguides/guides", "tfguides/math", "tfguides/notebooks",
        "tfguides/translations", "tfguides/search"]


@pytest.mark.parametrize("lang", list(languages()))
def test_every_language_loads_its_plugins_options(lang):
    language = languages()[lang]
    config = load_config(config_file=str(language.config))
    names = list(config.plugins)
    assert [name for name in names if name.startswith("tfguides/")] == OURS
    assert names.index("tfguides/notebooks") < names.index("mkdocs-jupyter"), "the notebooks must be added first"
    assert config.plugins["tfguides/guides"].config.labels.output == language.labels["output"]
    assert config.plugins["tfguides/translations"].config.labels.banner == language.labels["translations"]["banner"]
    assert config.plugins["tfguides/pages"].config.derived_from == language.derived_from
    assert config.plugins["tfguides/search"].config.fold == ({"ё": "е", "Ё": "Е"} if lang == "ru" else {})


@pytest.mark.parametrize("plugin, options, named", [
    (SearchPlugin, {"fould": {"ё": "е"}}, "fould"),
    (SearchPlugin, {"fold": {"ёе": "е"}}, "single letters"),
    (PagesPlugin, {"derived_from": 7}, "derived_from"),
    (ThemePlugin, {"dir": "x"}, "dir"),
    (TranslationsPlugin, {"labels": {**languages()["ru"].labels["translations"], "baner": "x"}}, "baner"),
    (TranslationsPlugin, {"labels": {"baner": "x"}}, "banner"),  # and the one it is missing
    (GuidesPlugin, {"labels": {"output": "Output"}, "repository": "o/n"}, "tested_with"),
])
def test_a_wrong_option_is_an_error_naming_it(plugin, options, named):
    errors, warnings = plugin().load_config(options)
    assert not warnings, "an unknown option must stop the build, not only warn"
    assert errors and named in str(errors), errors


def test_a_wrong_option_stops_loading_the_config(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"INHERIT: {languages()['ru'].config}\ndocs_dir: {languages()['ru'].pages_dir}\n"
                      "plugins:\n  tfguides/search:\n    fould: {}\n", encoding="utf-8")
    logged = []
    handler = logging.Handler(level=logging.ERROR)
    handler.emit = lambda record: logged.append(record.getMessage())
    logger = logging.getLogger("mkdocs.config")
    logger.addHandler(handler)
    try:
        with pytest.raises((Abort, ConfigurationError)):
            load_config(config_file=str(config))
    finally:
        logger.removeHandler(handler)
    assert any("Plugin 'tfguides/search' option 'fould': Unrecognised configuration name: fould" in line
               for line in logged), logged
