"""The mkdocs plugin ``tfguides``: what every language's build needs beyond Material.

- Theme overrides (``docs_tools/theme``): a language switcher that keeps the current page,
  and the site's stylesheet.
- Under the title of every page in ``guides/``: "tested with TensorFlow x and Keras y",
  in the page's language (``extra.labels.tested_with``), versions from the lock file.
- The ``snippet`` fence (``docs_tools.markdown``), with the output label of the language.
- ``config.extra.versions``: TensorFlow and Keras versions from the lock file; a page
  writes ``{{ versions.tensorflow }}`` or ``{{ versions.keras }}`` to show one.
- Page parity: a page that exists in one language and not in another stops the build,
  naming the missing file.
- Figures: drawn by the snippet code (``docs_tools.outputs``) and added to the site under
  ``figures/``.
- Math: ``pymdownx.arithmatex`` (generic mode) marks formulas; they become MathML here, at
  build time, so pages need no math script, font or CDN.
"""

from __future__ import annotations

import fcntl
import html
import re
import subprocess
import sys
from pathlib import Path

from latex2mathml.converter import convert as latex_to_mathml
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from . import outputs, snippets, versions
from .markdown import SnippetExtension

THEME_DIR = Path(__file__).parent / "theme"
DOCS_DIR = snippets.ROOT / "docs"

_MATH = re.compile(r'<(?P<tag>span|div) class="arithmatex">\\[(\[](?P<tex>.*?)\\[)\]]</(?P=tag)>', re.DOTALL)


def languages(config) -> list[str]:
    return [alternate["lang"] for alternate in config.extra.get("alternate", [])]


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


def ensure_figures() -> None:
    """Draw stale figures (and check outputs) once, even with several builds in parallel."""
    outputs.FIGURES_DIR.mkdir(parents=True, exist_ok=True)
    with open(outputs.FIGURES_DIR / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if all(outputs.figures_fresh(m) for m in snippets.modules()):
            return
        result = subprocess.run([sys.executable, "-m", "docs_tools.outputs", "--check", "--if-stale"],
                                cwd=snippets.ROOT, capture_output=True, text=True)
        if result.returncode:
            raise PluginError("Running the snippets failed:\n" + result.stderr[-4000:])


class GuidesPlugin(BasePlugin):
    def on_config(self, config):
        config.theme.dirs.insert(0, str(THEME_DIR))
        labels = config.extra.get("labels", {})
        if "output" not in labels or "tested_with" not in labels:
            raise PluginError(f"{config.config_file_path}: extra.labels needs 'output' and "
                              "'tested_with' in the site's language")
        config.markdown_extensions.append(SnippetExtension(output_label=labels["output"]))
        config.extra["versions"] = versions.pinned()
        language = config.theme.get("language")
        if language not in languages(config):
            raise PluginError(f"{config.config_file_path}: theme.language '{language}' is not "
                              "listed in extra.alternate of mkdocs.yml")
        return config

    def on_pre_build(self, config):
        missing = missing_pages(languages(config))
        if missing:
            raise PluginError("Every page must exist in every language.\n" + "\n".join(missing))
        ensure_figures()

    def on_files(self, files: Files, config) -> Files:
        for image in sorted(outputs.FIGURES_DIR.glob("**/*.png")):
            uri = "figures/" + image.relative_to(outputs.FIGURES_DIR).as_posix()
            files.append(File.generated(config, uri, abs_src_path=str(image)))
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
        if page.file.src_uri.startswith("guides/"):
            tested = config.extra["labels"]["tested_with"].format(**config.extra["versions"])
            html_text = html_text.replace("</h1>", f'</h1>\n<p class="tested-with">{tested}</p>', 1)
        return html_text
