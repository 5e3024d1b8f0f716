"""The mkdocs plugin ``tfguides``: what every language's build needs beyond Material.

- Theme overrides (``docs_tools/theme``): a language switcher that keeps the current page,
  and the site's stylesheet.
- Under the title of every page in ``guides/``: "tested with TensorFlow x and Keras y,
  outputs produced on CPU, x86-64", in the page's language (``extra.labels.tested_with``),
  versions from the lock file, the device kind from the header of the guide's output
  files, and a link to the policy for other machines (``running.md#other-machines``).
- The ``snippet`` fence (``docs_tools.markdown``), with the output label of the language.
- ``config.extra.versions``: TensorFlow and Keras versions from the lock file; a page
  writes ``{{ versions.tensorflow }}`` or ``{{ versions.keras }}`` to show one.
- Page parity: a page that exists in one language and not in another stops the build,
  naming the missing file.
- Notebooks and figures: each guide's notebook, executed once per build in a fresh kernel
  (``docs_tools.notebooks``), is added under ``notebooks/`` for mkdocs-jupyter to render;
  the figures it draws are added under ``figures/``; guide pages link to their notebook,
  its download and "Open in Colab".
- Math: ``pymdownx.arithmatex`` (generic mode) marks formulas; they become MathML here, at
  build time, so pages need no math script, font or CDN.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

from latex2mathml.converter import convert as latex_to_mathml
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from . import markdown, notebooks, snippets, versions
from .languages import languages
from .markdown import SnippetExtension

THEME_DIR = Path(__file__).parent / "theme"
DOCS_DIR = snippets.ROOT / "docs"

_MATH = re.compile(r'<(?P<tag>span|div) class="arithmatex">\\[(\[](?P<tex>.*?)\\[)\]]</(?P=tag)>', re.DOTALL)


def _pages(docs_dir: Path) -> set[str]:
    return {p.relative_to(docs_dir).as_posix() for p in docs_dir.glob("**/*.md")}


def missing_pages(langs: list[str]) -> list[str]:
    """Every page exists in every language: one line per missing file, saying how to add it."""
    pages = {lang: _pages(DOCS_DIR / lang) for lang in langs}
    everything = set().union(*pages.values())
    missing = []
    for lang, present in pages.items():
        for page in sorted(everything - present):
            source = next(other for other in pages if page in pages[other])
            missing.append(f"docs/{lang}/{page} is missing (docs/{source}/{page} exists): "
                           f"translate docs/{source}/{page} into docs/{lang}/{page}")
    return missing


#: Set by ``docs_tools.site`` once it has prepared notebooks and figures for all languages.
PREPARED = "TFGUIDES_PREPARED"


def prepare() -> None:
    """Execute the guides' notebooks (cached) and publish notebooks and figures."""
    try:
        notebooks.ensure_executed()
    except snippets.SnippetError as error:
        raise PluginError(str(error)) from error


class GuidesPlugin(BasePlugin):
    def on_config(self, config):
        config.theme.dirs.insert(0, str(THEME_DIR))
        labels = config.extra.get("labels", {})
        missing = {"output", "tested_with", "other_machines", "notebook", "download", "colab"} - set(labels)
        if missing:
            raise PluginError(f"{config.config_file_path}: extra.labels needs {', '.join(sorted(missing))} "
                              "in the site's language")
        config.markdown_extensions.append(SnippetExtension(output_label=labels["output"]))
        config.extra["versions"] = versions.pinned()
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

    def on_files(self, files: Files, config) -> Files:
        # Plain Files with their own source folder (mkdocs-jupyter cannot wrap generated ones).
        def add(path: Path, source_dir: Path) -> None:
            files.append(File(path.relative_to(source_dir).as_posix(), str(source_dir),
                              config.site_dir, config.use_directory_urls))

        for image in sorted(notebooks.FIGURES_DIR.glob("**/*.png")):
            add(image, notebooks.FIGURES_DIR.parent)
        lang = config.theme["language"]
        for guide in notebooks.guides():
            add(notebooks.executed_path(lang, guide), notebooks.EXECUTED_DIR / lang)
        return files

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        for name, version in config.extra["versions"].items():
            markdown = markdown.replace(f"{{{{ versions.{name} }}}}", version)
        return markdown

    def on_page_content(self, html_text: str, page, config, files) -> str:
        def to_mathml(match: re.Match) -> str:
            display = "block" if match["tag"] == "div" else "inline"
            return latex_to_mathml(html.unescape(match["tex"]), display=display)

        html_text = _MATH.sub(to_mathml, html_text)
        # Figures load when scrolled to, so they do not compete with the page's CSS and JS.
        html_text = re.sub(r'<img (?=[^>]*src="[^"]*figures/)', '<img loading="lazy" decoding="async" ', html_text)
        if page.file.src_uri.startswith("guides/"):
            html_text = html_text.replace("</h1>", "</h1>\n" + self._guide_header(page, config), 1)
        return html_text

    def _guide_header(self, page, config) -> str:
        """The tested versions and device, the policy for other machines, and links to the
        guide's notebook (rendered, file, Colab)."""
        labels = config.extra["labels"]
        try:
            device = markdown.produced_on(page.markdown)
        except snippets.SnippetError as error:
            raise PluginError(f"{page.file.src_uri}: {error}") from error
        tested = html.escape(labels["tested_with"].format(**config.extra["versions"], device=device))
        guide = Path(page.file.src_uri).stem
        to_root = "../" * page.url.count("/")
        policy = f'<a href="{to_root}running/#other-machines">{html.escape(labels["other_machines"])}</a>'
        tested = f"{tested}{'' if tested.endswith('。') else ' '}{policy}"  # no space after a full stop in Chinese
        colab = (f"https://colab.research.google.com/github/{config.extra['repository']}/blob/main/"
                 f"notebooks/{config.theme['language']}/{guide}.ipynb")
        return (f'<p class="tested-with">{tested}</p>\n<p class="notebook-links">'
                f'<a href="{to_root}notebooks/{guide}/">{labels["notebook"]}</a> · '
                f'<a href="{to_root}notebooks/{guide}/{guide}.ipynb" download>{labels["download"]}</a> · '
                f'<a href="{colab}">{labels["colab"]}</a></p>')

    def on_post_page(self, output: str, page, config) -> str:
        # mkdocs-jupyter adds a MathJax loader (empty URL); formulas are MathML already.
        if page.file.src_uri.startswith("notebooks/"):
            output = re.sub(r'<script[^>]*src="(?:[^"]*mathjax[^"]*)?"[^>]*>\s*</script>', "", output,
                            flags=re.IGNORECASE)
            output = re.sub(r"<script type=\"text/x-mathjax-config\">.*?</script>", "", output,
                            flags=re.DOTALL)
            # Code cells scroll sideways: make them reachable by keyboard, as Material's are.
            output = output.replace('<div class="highlight-ipynb ', '<div tabindex="0" class="highlight-ipynb ')
        return output
