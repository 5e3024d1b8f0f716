"""The mkdocs plugins of the site, one per concern, each with typed options that mkdocs
validates (``mkdocs.config.base.Config``); a misspelt or unknown option fails the build
naming it (``StrictOptions``). ``mkdocs.yml`` lists them in the order their hooks must run:

- ``tfguides/theme``        Material overrides (``docs_tools/site/theme``), compiled templates kept.
- ``tfguides/pages``        every page in every language; a derived language's pages and the
                            guides' executed notebooks prepared before the build.
- ``tfguides/guides``       what a guide page shows beyond its Markdown: the ``snippet`` fence,
                            the tested-with line, its notebook's links, the versions.
- ``tfguides/math``         formulas as MathML, at build time.
- ``tfguides/notebooks``    the executed notebooks and the figures, published for mkdocs-jupyter.
- ``tfguides/translations`` the banner of a page behind its English page, and the status page.
- ``tfguides/search``       other word forms and letter folding in the search index.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.plugins import BasePlugin


class StrictOptions(BasePlugin):
    """A plugin whose unknown options are errors, not warnings: ``tfguides/search: {fould: …}``
    stops the build with ``Unrecognised configuration name: fould``."""

    def load_config(self, options, config_file_path=None):
        # mkdocs keeps a sub-option's warnings on the option object when the same sub-option
        # also failed (it stops before resetting them): drop any left by an earlier load in this
        # process (serve's builders load every language's config again and again).
        for _, option in self.config_class._schema:
            option.reset_warnings()
        errors, warnings = super().load_config(options, config_file_path)
        return errors + warnings, []


class NoOptions(base.Config):
    """The options of a plugin that takes none (any option given is an error)."""
