"""``tfguides/translations``: readers see when a translation is behind its English page.

A translated page that is behind (``docs_tools.translation.freshness``) gets a banner in its
own language (``labels``) linking to the English page at the first changed section, and
showing the reason when it was accepted as behind; every language gets a generated status
page, ``translations/`` (in ``nav``), listing every page as current or behind.
"""

from __future__ import annotations

import html
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from docs_tools.languages import languages, reference
from docs_tools.site.plugins import StrictOptions
from docs_tools.translation import freshness, prose

#: The generated status page of each language.
STATUS_PAGE = "translations.md"


class TranslationLabels(base.Config):
    """In the site's language."""

    banner = c.Type(str)
    changed = c.Type(str)
    accepted = c.Type(str)  # with {why}
    status = c.Type(str)
    intro = c.Type(str)
    current = c.Type(str)
    behind = c.Type(str)
    accepted_state = c.Type(str)
    page = c.Type(str)
    state = c.Type(str)
    sections = c.Type(str)


class TranslationsConfig(base.Config):
    labels = c.SubConfig(TranslationLabels)


def _to_site_root(url: str, lang: str) -> str:
    """From a page's URL in ``lang`` to the root of the whole site (where English is)."""
    prefix = languages()[lang].prefix
    return "../" * url.count("/") + "../" * (len(prefix.split("/")) if prefix else 0)


class TranslationsPlugin(StrictOptions):
    config_class = TranslationsConfig

    def on_pre_build(self, config):
        lang = config.theme["language"]
        try:
            self.statuses = {lang: {s.page: s for s in freshness.statuses(lang)}} if lang != reference() else {
                other: {s.page: s for s in freshness.statuses(other)} for other in freshness.translated_languages()}
        except freshness.LockError as error:
            raise PluginError(str(error)) from error

    def on_files(self, files: Files, config) -> Files:
        files.append(File.generated(config, STATUS_PAGE, content=self._status_page(config)))
        return files

    def _status_page(self, config) -> str:
        """The status page: every page as current or behind, with the English sections that changed."""
        labels = self.config.labels
        lang = config.theme["language"]
        to_root = _to_site_root("translations/", lang)
        lines = [f"# {labels.status} {{#translation-status}}", "", labels.intro, ""]

        def state(status: freshness.PageStatus) -> str:
            text = {"current": labels.current, "behind": labels.behind,
                    "accepted": labels.accepted_state}[status.state]
            if status.accepted:
                text += ": <bdi>" + html.escape(status.accepted).replace("|", "&#124;") + "</bdi>"
            return text

        def changes(status: freshness.PageStatus) -> str:
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

        header = [f"| {labels.page} | {labels.state} | {labels.sections} |", "| --- | --- | --- |"]
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

    def on_page_content(self, html_text: str, page, config, files) -> str:
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
        labels = self.config.labels
        to_root = _to_site_root(page.url, lang)
        first = next((c for c in status.changes if c.kind != "removed"), None)
        english = to_root + page.url + (f"#{first.anchor}" if first else "")
        # <bdi>: the reason may be written in another script than the page (English in Hebrew).
        why = f"<bdi>{html.escape(status.accepted)}</bdi>" if status.accepted is not None else ""
        accepted = (f'\n<p class="translation-accepted">{html.escape(labels.accepted).replace("{why}", why)}</p>'
                    if status.accepted is not None else "")
        return (f'<div class="admonition warning translation-behind" data-sections="'
                f'{html.escape(" ".join(c.anchor for c in status.changes))}">\n'
                f'<p class="admonition-title">{labels.banner}</p>\n'
                f'<p><a href="{english}" hreflang="{reference()}">{labels.changed}</a> · '
                f'<a href="{"../" * page.url.count("/")}translations/">{labels.status}</a></p>{accepted}\n</div>')
