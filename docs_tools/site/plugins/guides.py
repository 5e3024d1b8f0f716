"""``tfguides/guides``: what a guide page shows beyond its Markdown.

- The ``snippet`` fence (``docs_tools.site.fence``), with the output label of the language
  and the code's comments in it (``docs_tools.translation.comments``).
- Under the title of every page in ``guides/``: "tested with TensorFlow x and Keras y,
  outputs produced on CPU, x86-64", in the page's language (``labels.tested_with``),
  versions from the lock file, the device kind from the header of the guide's output
  files, and a link to the policy for other machines (``running.md#other-machines``); then
  links to the guide's notebook: rendered, the file, and "Open in Colab" (``repository``).
- ``config.extra.versions``: TensorFlow and Keras versions from the lock file; a page
  writes ``{{ versions.tensorflow }}`` or ``{{ versions.keras }}`` to show one.
- ``[[70,000]]`` (a prose-only number, ``docs_tools.translation.prose``) is shown as ``70,000``.
- Figures load when scrolled to.
- The spaces before a code comment may break, so that on a narrow screen a comment wraps
  instead of making its block scroll sideways (``guides.css``).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError

from docs_tools import snippets
from docs_tools.running import versions
from docs_tools.site import fence
from docs_tools.site.plugins import StrictOptions
from docs_tools.translation import prose


_BEFORE_COMMENT = re.compile(r'(?<=</span>)([ \t]+)(?=<span class="c1">)')


class GuideLabels(base.Config):
    """In the site's language."""

    output = c.Type(str)
    tested_with = c.Type(str)  # with {tensorflow}, {keras} and {device}
    other_machines = c.Type(str)
    notebook = c.Type(str)
    download = c.Type(str)
    colab = c.Type(str)


class GuidesConfig(base.Config):
    labels = c.SubConfig(GuideLabels)
    #: Where the repository is published (owner/name): "Open in Colab" opens
    #: notebooks/<lang>/<guide>.ipynb there.
    repository = c.Type(str)


class GuidesPlugin(StrictOptions):
    config_class = GuidesConfig

    def on_config(self, config):
        config.markdown_extensions.append(fence.SnippetExtension(output_label=self.config.labels.output,
                                                                 lang=config.theme["language"]))
        config.extra["versions"] = versions.pinned()
        return config

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        markdown = prose.strip_markers(markdown)
        for name, version in config.extra["versions"].items():
            markdown = markdown.replace(f"{{{{ versions.{name} }}}}", version)
        return markdown

    def on_page_content(self, html_text: str, page, config, files) -> str:
        # Figures load when scrolled to, so they do not compete with the page's CSS and JS.
        html_text = re.sub(r'<img (?=[^>]*src="[^"]*figures/)', '<img loading="lazy" decoding="async" ', html_text)
        # The spaces between code and its comment may break (guides.css): on a narrow screen
        # the comment goes to the next line instead of widening the block (same text copied).
        html_text = _BEFORE_COMMENT.sub(r'<span class="cw">\1</span>', html_text)
        if page.file.src_uri.startswith("guides/"):
            html_text = html_text.replace("</h1>", "</h1>\n" + self._guide_header(page, config), 1)
        return html_text

    def _guide_header(self, page, config) -> str:
        """The tested versions and device, the policy for other machines, and links to the
        guide's notebook (rendered, file, Colab)."""
        labels = self.config.labels
        try:
            device = fence.produced_on(page.markdown)
        except snippets.SnippetError as error:
            raise PluginError(f"{page.file.src_uri}: {error}") from error
        tested = html.escape(labels.tested_with.format(**config.extra["versions"], device=device))
        guide = Path(page.file.src_uri).stem
        to_root = "../" * page.url.count("/")
        policy = f'<a href="{to_root}running/#other-machines">{html.escape(labels.other_machines)}</a>'
        tested = f"{tested}{'' if tested.endswith('。') else ' '}{policy}"  # no space after a full stop in Chinese
        colab = (f"https://colab.research.google.com/github/{self.config.repository}/blob/main/"
                 f"notebooks/{config.theme['language']}/{guide}.ipynb")
        return (f'<p class="tested-with">{tested}</p>\n<p class="notebook-links">'
                f'<a href="{to_root}notebooks/{guide}/">{labels.notebook}</a> · '
                f'<a href="{to_root}notebooks/{guide}/{guide}.ipynb" download>{labels.download}</a> · '
                f'<a href="{colab}">{labels.colab}</a></p>')
