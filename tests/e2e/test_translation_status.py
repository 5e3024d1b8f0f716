"""The outdated-translation banner and the status page, in every language, in Chromium.

Not on the real site (whose translations are meant to be current): the real pages are
built into a separate folder with a fixture lock in which one page, guides/tensors.md, is
deliberately behind its English page in section #variables, in every language; in Hebrew
it is also accepted as behind, with a reason the banner must show.
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from urllib.parse import urljoin

import pytest

from docs_tools.site import build as site_tool
from docs_tools.translation import freshness as translations
from docs_tools.languages import languages
from docs_tools.snippets import ROOT
from markdown_pages import LANGUAGES, REFERENCE, WRITTEN
from tour import TextContrast, serious_violations, start_axe

PREFIX = site_tool.languages()
TRANSLATED = [lang for lang in LANGUAGES if lang != REFERENCE]
LOCKED = [lang for lang in TRANSLATED if lang in WRITTEN]  # a derived language (zh-TW) follows its source's lock
PAGE, SECTION = "guides/tensors.md", "variables"
ACCEPTED = {"he": "the new wording of this section is being reviewed"}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _address(lang: str, url: str) -> str:
    return f"{PREFIX[lang]}/{url}" if PREFIX[lang] else url


def _labels(lang: str) -> dict:
    return languages()[lang].labels["translations"]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    """The real pages, built with a lock in which PAGE is behind in SECTION, served on localhost."""
    locks = tmp_path_factory.mktemp("locks")
    translations.mark_fresh([(lang, page) for lang in LOCKED for page in translations.english_pages()],
                            locks=locks)
    for lang in LOCKED:
        lock = translations.read_lock(lang, locks)
        lock["pages"][PAGE]["sections"][SECTION] = "0" * 16  # as if translated from an older English
        translations.write_lock(lang, lock, locks)
    for lang, why in ACCEPTED.items():
        translations.accept_behind(lang, PAGE, why, locks=locks)
    root = ROOT / "build" / "e2e-translation-site"
    previous = os.environ.get(translations.LOCKS_ENV)
    os.environ[translations.LOCKS_ENV] = str(locks)
    try:
        site_tool.build(root)
    finally:
        if previous is None:
            del os.environ[translations.LOCKS_ENV]
        else:
            os.environ[translations.LOCKS_ENV] = previous
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


#: The text styles of these pages' colour contrast, settled once for the module (tests/e2e/tour.py).
_CONTRAST = TextContrast()


def _serious(page) -> list[str]:
    """axe-core's serious and critical violations, as the page tour runs it."""
    return serious_violations(page, _CONTRAST, start_axe(page, _CONTRAST), page.url)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_an_outdated_page_says_so_in_its_language_and_links_to_the_change(visit, lang):
    labels = _labels(lang)
    page = visit.open(_address(lang, "guides/tensors/"))
    banner = page.locator("article .translation-behind")
    assert banner.count() == 1 and banner.is_visible()
    assert banner.locator(".admonition-title").inner_text().strip() == labels["banner"]
    if lang in ACCEPTED:
        assert banner.locator(".translation-accepted").inner_text().strip() == \
            labels["accepted"].format(why=ACCEPTED[lang])
    else:
        assert banner.locator(".translation-accepted").count() == 0
    # The banner sits under the title, in the page's direction.
    direction = "rtl" if lang == "he" else "ltr"
    assert banner.evaluate("e => getComputedStyle(e).direction") == direction
    assert page.locator("article h1 + .translation-behind").count() == 1
    assert not _serious(page)
    link = banner.get_by_role("link", name=labels["changed"])
    with page.expect_navigation():
        link.click()
    assert page.url == visit.base_url + f"guides/tensors/#{SECTION}"
    assert page.locator("html").get_attribute("lang") == REFERENCE
    top = page.locator(f"#{SECTION}").evaluate("e => e.getBoundingClientRect().top")
    assert 0 <= top < 200, f"the changed section is at {top}px from the top of the window"
    assert not visit.problems, "\n".join(visit.problems)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_a_current_page_has_no_banner(visit, lang):
    page = visit.open(_address(lang, "guides/training_loops/"))
    assert page.locator("article h1").count() == 1
    assert page.locator(".translation-behind").count() == 0


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_status_page_lists_every_page_and_what_changed(visit, lang):
    labels = _labels(lang)
    page = visit.open(_address(lang, ""))
    nav_link = page.locator("nav.md-nav--primary a[href$='translations/']")
    assert nav_link.count() >= 1, "the status page is not in the navigation"
    with page.expect_navigation():
        nav_link.first.evaluate("a => a.click()")
    assert page.url == visit.base_url + _address(lang, "translations/")
    assert page.locator("article h1").inner_text().strip().rstrip("¶") == labels["status"]
    rows = page.locator("article table tbody tr")
    pages_per_table = len(translations.english_pages())
    tables = len(TRANSLATED) if lang == REFERENCE else 1
    assert rows.count() == pages_per_table * tables
    cells = [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in rows.all()]
    for language_index in range(tables):
        checked = lang if lang != REFERENCE else TRANSLATED[language_index]
        for row in cells[language_index * pages_per_table:(language_index + 1) * pages_per_table]:
            assert row[1].startswith((labels["current"], labels["behind"], labels["accepted_state"])), row
        states = [row[1] for row in cells[language_index * pages_per_table:(language_index + 1) * pages_per_table]]
        expected_state = labels["accepted_state"] if checked in ACCEPTED else labels["behind"]
        behind = [s for s in states if s != labels["current"]]
        assert len(behind) == 1 and behind[0].startswith(expected_state), states
        if checked in ACCEPTED:
            assert ACCEPTED[checked] in behind[0]
    changed = page.locator("article table a[hreflang='en']")
    assert changed.count() == tables
    for href in changed.evaluate_all("links => links.map(a => a.href)"):
        assert href == urljoin(visit.base_url, f"guides/tensors/#{SECTION}")
    assert not _serious(page)
    assert not visit.problems, "\n".join(visit.problems)
