"""``tfguides/notebooks``: each guide's executed notebook (``docs_tools.site.notebooks``) is
added under ``notebooks/`` for mkdocs-jupyter to render (so this plugin comes before it in
``mkdocs.yml``), and the figures the guides draw under ``figures/``. Notebook pages are left
out of the search index (a search finds the guide, not its copy), carry no MathJax loader
(formulas are MathML already), and their code cells are reachable by keyboard."""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.structure.files import File, Files

from docs_tools.site import notebooks
from docs_tools.site.plugins import NoOptions, StrictOptions


class NotebooksPlugin(StrictOptions):
    config_class = NoOptions

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

    def on_page_content(self, html_text: str, page, config, files) -> str:
        if page.file.src_uri.startswith("notebooks/"):
            # A notebook repeats its guide page: searching finds the guide, not its copy.
            page.meta["search"] = {"exclude": True}
        return html_text

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
