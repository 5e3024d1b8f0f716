"""``tfguides/theme``: the site's Material overrides (``docs_tools/site/theme``: a language
switcher that keeps the current page, the stylesheet, search folding as a query is typed),
and Material's compiled templates kept between builds."""

from __future__ import annotations

from pathlib import Path


from docs_tools.site import notebooks
from docs_tools.site.plugins import NoOptions, StrictOptions

THEME_DIR = Path(__file__).parent.parent / "theme"


class ThemePlugin(StrictOptions):
    config_class = NoOptions

    def on_config(self, config):
        config.theme.dirs.insert(0, str(THEME_DIR))
        return config

    def on_env(self, env, config, files):
        # Compiled templates are kept between builds (and the parallel builds of the languages) in build/:
        # compiling Material's templates was a third of a one-language rebuild.
        from jinja2 import FileSystemBytecodeCache

        cache = notebooks.BUILD_DIR / "jinja-cache"
        cache.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(cache))
        return env
