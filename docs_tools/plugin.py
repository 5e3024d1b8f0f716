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
  naming the missing file. A derived language's pages (``docs_tools.derived``) are
  generated from its source's before the builds, so they always exist.
- Notebooks and figures: each guide's notebook, executed once per build in a fresh kernel
  (``docs_tools.notebooks``), is added under ``notebooks/`` for mkdocs-jupyter to render;
  the figures it draws are added under ``figures/``; guide pages link to their notebook,
  its download and "Open in Colab".
- Translations (``docs_tools.translations``): a translated page that is behind its English
  page gets a banner in its own language (``extra.labels.translations``) linking to the
  English page at the first changed section, and showing the reason when it was accepted
  as behind; every language gets a generated status page, ``translations/`` (in ``nav``),
  listing every page as current or behind. ``[[70,000]]`` (a prose-only number,
  ``docs_tools.prose``) is shown as ``70,000``.
- Search: Russian and Hebrew words (and English plurals in -ies) are indexed in the other forms a reader types
  (``docs_tools.search_forms``), in a field of Material's index that is searched, never
  shown. Notebook pages are left out of the index: a search finds the guide, not its copy.
- Math: ``pymdownx.arithmatex`` (generic mode) marks formulas; they become MathML here, at
  build time, so pages need no math script, font or CDN.
- Search folding (``docs_tools.search_fold``): a language whose config sets
  ``extra.search_fold`` (Russian: ё read as е) gets its search index folded after Material
  writes it, and its queries folded as they are typed.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from .mathml import to_mathml as latex_to_mathml
from . import derived, markdown, notebooks, prose, search_fold, search_forms, snippets, translations, versions
from .languages import languages, own_pages, reference
from .markdown import SnippetExtension

THEME_DIR = Path(__file__).parent / "theme"
DOCS_DIR = snippets.ROOT / "docs"

#: The generated status page of each language.
STATUS_PAGE = "translations.md"
TRANSLATION_LABELS = {"banner", "changed", "accepted", "status", "intro", "current", "behind",
                      "accepted_state", "page", "state", "sections"}

_MATH = re.compile(r'<(?P<tag>span|div) class="arithmatex">\\[(\[](?P<tex>.*?)\\[)\]]</(?P=tag)>', re.DOTALL)


def _pages(docs_dir: Path) -> set[str]:
    return {p.relative_to(docs_dir).as_posix() for p in docs_dir.glob("**/*.md")}


def missing_pages(langs: list[str]) -> list[str]:
    """Every page exists in every language whose pages are written (a derived language's are
    generated from them): one line per missing file, saying how to add it."""
    pages = {lang: _pages(DOCS_DIR / lang) for lang in langs if lang in own_pages()}
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


def prepare(guides: set[str] | None = None) -> None:
    """Generate the derived languages' pages; execute the guides' notebooks (cached) and
    publish notebooks and figures (``guides``: those whose notebooks may have changed)."""
    try:
        derived.write_pages()
        notebooks.ensure_executed(guides)
    except (snippets.SnippetError, derived.DerivedError) as error:
        raise PluginError(str(error)) from error


class GuidesPlugin(BasePlugin):
    def on_config(self, config):
        config.theme.dirs.insert(0, str(THEME_DIR))
        labels = config.extra.get("labels", {})
        missing = {"output", "tested_with", "other_machines", "notebook", "download", "colab"} - set(labels)
        if missing:
            raise PluginError(f"{config.config_file_path}: extra.labels needs {', '.join(sorted(missing))} "
                              "in the site's language")
        missing = TRANSLATION_LABELS - set(labels.get("translations") or {})
        if missing:
            raise PluginError(f"{config.config_file_path}: extra.labels.translations needs "
                              f"{', '.join(sorted(missing))} in the site's language")
        config.markdown_extensions.append(SnippetExtension(output_label=labels["output"]))
        config.extra["versions"] = versions.pinned()
        if "search_fold" in config.extra:
            try:
                search_fold.check_mapping(config.extra["search_fold"], config.config_file_path)
            except ValueError as error:
                raise PluginError(str(error)) from error
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
        lang = config.theme["language"]
        try:
            self.statuses = {lang: {s.page: s for s in translations.statuses(lang)}} if lang != reference() else {
                other: {s.page: s for s in translations.statuses(other)} for other in translations.translated_languages()}
        except translations.LockError as error:
            raise PluginError(str(error)) from error

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
        files.append(File.generated(config, STATUS_PAGE, content=self._status_page(config)))
        return files

    def on_env(self, env, config, files):
        # Compiled templates are kept between builds (and the parallel builds of the languages) in build/:
        # compiling Material's templates was a third of a one-language rebuild.
        from jinja2 import FileSystemBytecodeCache

        cache = notebooks.BUILD_DIR / "jinja-cache"
        cache.mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(cache))
        return env

    def _to_site_root(self, url: str, lang: str) -> str:
        """From a page's URL in ``lang`` to the root of the whole site (where English is)."""
        prefix = languages()[lang].prefix
        return "../" * url.count("/") + "../" * (len(prefix.split("/")) if prefix else 0)

    def _status_page(self, config) -> str:
        """The status page: every page as current or behind, with the English sections that changed."""
        labels = config.extra["labels"]["translations"]
        lang = config.theme["language"]
        to_root = self._to_site_root("translations/", lang)
        lines = [f"# {labels['status']} {{#translation-status}}", "", labels["intro"], ""]

        def state(status: translations.PageStatus) -> str:
            text = {"current": labels["current"], "behind": labels["behind"],
                    "accepted": labels["accepted_state"]}[status.state]
            if status.accepted:
                text += ": <bdi>" + html.escape(status.accepted).replace("|", "&#124;") + "</bdi>"
            return text

        def changes(status: translations.PageStatus) -> str:
            url = status.page[: -len(".md")] + "/"
            url = "" if url == "index/" else url
            links = []
            if not status.recorded:  # never marked: the whole English page is "what changed"
                title = html.escape(status.changes[0].title.replace("`", ""))
                return f'<a href="{to_root}{url}" hreflang="{reference()}" lang="{reference()}">{title}</a>'
            for change in status.changes:
                if change.kind == "removed":
                    links.append(f"−#{change.anchor}")
                    continue
                title = html.escape(change.title.replace("`", ""))
                mark = "+ " if change.kind == "new" else ""
                links.append(f'{mark}<a href="{to_root}{url}#{change.anchor}" hreflang="{reference()}" lang="{reference()}">{title}</a>')
            return ", ".join(links)

        header = [f"| {labels['page']} | {labels['state']} | {labels['sections']} |", "| --- | --- | --- |"]
        if lang == reference():
            for other, pages in self.statuses.items():
                lines += [f"## {html.escape(self._language_name(config, other))} {{#{other}}}", "", *header]
                prefix = languages()[other].prefix
                for status in pages.values():
                    url = status.page[: -len(".md")] + "/"
                    url = "" if url == "index/" else url
                    link = f'<a href="{to_root}{prefix}/{url}" hreflang="{other}"><code>{status.page}</code></a>'
                    lines.append(f"| {link} | {state(status)} | {changes(status)} |")
                lines.append("")
        else:
            lines += header
            for status in self.statuses[lang].values():
                page_text = (Path(config.docs_dir) / status.page).read_text(encoding="utf-8")
                title = prose.sections(page_text)[0].title.replace("|", "\\|")
                lines.append(f"| [{title}]({status.page}) | {state(status)} | {changes(status)} |")
        return "\n".join(lines) + "\n"

    @staticmethod
    def _language_name(config, lang: str) -> str:
        return next(a["name"] for a in config.extra["alternate"] if a["lang"] == lang)

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        markdown = prose.strip_markers(markdown)
        for name, version in config.extra["versions"].items():
            markdown = markdown.replace(f"{{{{ versions.{name} }}}}", version)
        return markdown

    def on_page_content(self, html_text: str, page, config, files) -> str:
        def to_mathml(match: re.Match) -> str:
            display = "block" if match["tag"] == "div" else "inline"
            return latex_to_mathml(html.unescape(match["tex"]), display=display)

        if page.file.src_uri.startswith("notebooks/"):
            # A notebook repeats its guide page: searching finds the guide, not its copy.
            page.meta["search"] = {"exclude": True}
        html_text = _MATH.sub(to_mathml, html_text)
        # Figures load when scrolled to, so they do not compete with the page's CSS and JS.
        html_text = re.sub(r'<img (?=[^>]*src="[^"]*figures/)', '<img loading="lazy" decoding="async" ', html_text)
        if page.file.src_uri.startswith("guides/"):
            html_text = html_text.replace("</h1>", "</h1>\n" + self._guide_header(page, config), 1)
        banner = self._translation_banner(page, config)
        if banner:
            html_text = html_text.replace("</h1>", "</h1>\n" + banner, 1)
        return html_text

    def _translation_banner(self, page, config) -> str:
        """For a translated page behind its English page: says so, links to what changed."""
        lang = config.theme["language"]
        status = self.statuses.get(lang, {}).get(page.file.src_uri) if lang != reference() else None
        if status is None or status.state == "current":
            return ""
        labels = config.extra["labels"]["translations"]
        to_root = self._to_site_root(page.url, lang)
        first = next((c for c in status.changes if c.kind != "removed"), None)
        english = to_root + page.url + (f"#{first.anchor}" if first else "")
        # <bdi>: the reason may be written in another script than the page (English in Hebrew).
        why = f"<bdi>{html.escape(status.accepted)}</bdi>" if status.accepted is not None else ""
        accepted = (f'\n<p class="translation-accepted">{html.escape(labels["accepted"]).replace("{why}", why)}</p>'
                    if status.accepted is not None else "")
        return (f'<div class="admonition warning translation-behind" data-sections="'
                f'{html.escape(" ".join(c.anchor for c in status.changes))}">\n'
                f'<p class="admonition-title">{labels["banner"]}</p>\n'
                f'<p><a href="{english}" hreflang="{reference()}">{labels["changed"]}</a> · '
                f'<a href="{"../" * page.url.count("/")}translations/">{labels["status"]}</a></p>{accepted}\n</div>')

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

    @event_priority(-50)  # after Material's search plugin has written the index
    def on_post_build(self, config):
        path = Path(config.site_dir) / "search" / "search_index.json"
        lang, mapping = config.theme["language"], config.extra.get("search_fold")
        if not path.is_file() or (lang not in search_forms.LANGUAGES and not mapping):
            return  # the index as Material wrote it
        # The other forms of the words first, then the folding (ё read as е) of it all.
        index = search_forms.expand(json.loads(path.read_text(encoding="utf-8")), lang)
        if mapping:
            search_fold.fold_index(index, mapping)
        path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

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
