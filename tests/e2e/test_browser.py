"""The site as a reader uses it: every page of every language in headless Chromium."""

from __future__ import annotations

import socket

import nbformat
import pytest

from docs_tools.site import notebooks
from docs_tools.site.build import languages
from docs_tools.snippets import ROOT
from markdown_pages import LANGUAGES, REFERENCE, pages
from tour import SCREENSHOT_PAGE, SCREENSHOTS

PREFIX = languages()


def _page_urls() -> list[str]:
    urls = []
    for path in pages(REFERENCE):
        relative = path.relative_to(ROOT / "docs" / REFERENCE).with_suffix("").as_posix()
        urls.append("" if relative == "index" else f"{relative}/")
    urls += [f"notebooks/{guide}/" for guide in notebooks.guides()]
    return urls


URLS = _page_urls()
GUIDES = [url for url in URLS if url.startswith("guides/")]
EVERY_PAGE = [(lang, url) for lang in LANGUAGES for url in URLS]


def _address(lang: str, url: str) -> str:
    return f"{PREFIX[lang]}/{url}" if PREFIX[lang] else url


@pytest.mark.parametrize("lang, url", EVERY_PAGE, ids=[f"{lang}/{url}" for lang, url in EVERY_PAGE])
def test_page_loads_cleanly_and_is_accessible(tour, lang, url):
    """No console errors, no failed requests, nothing from another address, no serious or
    critical axe-core violations: during the page's load and every check that read it
    (tests/e2e/tour.py: one load per page for all of them)."""
    record = tour.record(lang, url)
    assert record.articles == 1
    assert not record.problems, "\n".join(record.problems)
    assert not record.serious, "\n".join(record.serious)


@pytest.mark.parametrize("url", GUIDES)
def test_language_switcher_keeps_the_page(tour, url):
    """From the page in every language, the switcher's link to every language (its own
    included) is clicked and sends the reader to the same page in that language. The clicks
    are made on the page's one load (tests/e2e/tour.py), each navigation noted and cancelled
    before it starts; the page it asks for was loaded by the tour like every page, and is in
    that language."""
    for lang in LANGUAGES:
        record = tour.record(lang, url)
        assert sorted(record.switched) == sorted(LANGUAGES), f"{lang}/{url}: the switcher links to {record.switched}"
        for target, landed in record.switched.items():
            assert landed == tour.base_url + _address(target, url), f"{lang} -> {target}: {landed}"
            assert tour.record(target, url).html_lang == target, f"{target}/{url}"
        assert not record.problems, "\n".join(record.problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_link_to_a_section_lands_on_it(visit, lang):
    page = visit.open(_address(lang, "guides/tensors/") + "#gradient-tape")
    top = page.locator("#gradient-tape").evaluate("e => e.getBoundingClientRect().top")
    assert page.evaluate("window.scrollY") > 500
    assert 0 <= top < 200, f"the section heading is at {top}px from the top of the window"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_direction_of_text_and_code(tour, lang):
    """Prose in the language's direction, code left to right: on every guide and its notebook."""
    direction = "rtl" if lang == "he" else "ltr"
    for url in GUIDES:
        guide = url.split("/")[1]
        shown = tour.record(lang, url).directions
        assert shown["article p"] == direction, url
        for selector in ("article pre", "article pre code", "article .snippet-output pre"):
            assert shown[selector] == "ltr", f"{url}: {selector}"
        nb = tour.record(lang, f"notebooks/{guide}/").directions
        assert nb["article .jp-MarkdownCell p"] == direction, f"notebooks/{guide}/"
        assert nb["article .jp-CodeCell pre"] == "ltr", f"notebooks/{guide}/"


SEARCHES = {
    # language: (query, guide it must find, words the results must highlight)
    "en": ("immutable", "guides/tensors/", {"immutable"}),
    # Russian: prefix matching finds inflected forms of the query word.
    "ru": ("тензор", "guides/tensors/", {"тензоров", "тензоры"}),
    "he": ("אפוקה", "guides/training_loops/", {"אפוקה"}),
    # Chinese: 截距 occurs only inside longer sentences without spaces; found only if the
    # index was segmented into words (jieba, at build time).
    "zh": ("截距", "guides/training_loops/", {"截距"}),
    # Traditional (derived from zh): 雜訊 (noise) is the Taiwanese word our phrase table gives
    # (s2twp alone: 噪聲), inside sentences without spaces, as 截距 is for zh.
    "zh-TW": ("雜訊", "guides/training_loops/", {"雜訊"}),
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_finds_the_right_guide(search_box, lang):
    query, expected, highlighted = SEARCHES[lang]
    box = search_box(lang)
    hrefs = box.search(query)
    assert any(expected in href for href in hrefs[:3]), f"'{query}' gave {hrefs[:5]}"
    marks = box.highlighted()
    assert highlighted <= marks, f"'{query}': highlighted {sorted(marks)[:10]}"
    assert not box.visit.problems, "\n".join(box.visit.problems)


@pytest.mark.parametrize("query", ["слоев", "слоёв"])
def test_russian_search_finds_words_typed_with_e_or_yo(search_box, query):
    """The pages write «слоёв»; a reader may type «слоев» or «слоёв» (docs_tools/search/fold.py)."""
    box = search_box("ru")
    hrefs = box.search(query)
    assert any("guides/functional_api/" in href for href in hrefs[:3]), f"'{query}' gave {hrefs[:5]}"
    assert not box.visit.problems, "\n".join(box.visit.problems)


@pytest.mark.parametrize("url", GUIDES)
def test_copy_buttons_give_the_code_that_ran(tour, url):
    """Click every copy button of the page in every language (through its click handler; the
    first also with the mouse, tests/e2e/tour.py): the clipboard holds exactly
    the code cells of the guide's execution, in order. That execution ran them top to
    bottom in a fresh kernel (docs_tools/running/execution.py), so it is the reader's run; running
    the copied code again would only repeat it."""
    guide = url.split("/")[1]
    for lang in LANGUAGES:
        # The language's notebook: the run's cells with their comments in the language (the
        # site tests prove them the same code, token for token).
        executed = nbformat.read(notebooks.executed_path(lang, guide), as_version=4)
        ran = [cell.source.rstrip("\n") for cell in executed.cells if cell.cell_type == "code"]
        assert ran and all(cell.execution_count for cell in executed.cells if cell.cell_type == "code")
        record = tour.record(lang, url)
        assert record.copied == ran, f"{lang}/{url}: the copied code is not the code that ran"
        assert record.first_copied_by_mouse == ran[0], f"{lang}/{url}: a mouse click on the first button copies otherwise"
        assert record.output_copy_buttons == 0, "outputs have copy buttons"
        assert not record.problems, "\n".join(record.problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_screenshots(make_context, base_url, tour, lang):
    """Desktop and phone screenshots of one guide per language, for people to look at
    (the desktop one is taken from the guide's one load, tests/e2e/tour.py)."""
    desktop = tour.record(lang, SCREENSHOT_PAGE).screenshot
    assert desktop is not None and desktop.stat().st_size > 10_000
    page = make_context(viewport={"width": 390, "height": 844}, is_mobile=True, device_scale_factor=1).new_page()
    page.goto(base_url + _address(lang, SCREENSHOT_PAGE), wait_until="load")
    path = SCREENSHOTS / f"tensors-{lang}-phone.png"
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000


def test_a_request_to_another_host_is_refused_and_reported(visit):
    """The visits' guard (tests/e2e/conftest.py): a request for any address but the site's
    own (another host, or this machine on another port) is refused by the context's proxy,
    before anything is sent, and reported; the site's own are not."""
    listening = socket.create_server(("127.0.0.1", 0))  # another port of this machine, which would answer
    listening.setblocking(False)
    elsewhere = ["http://example.org/tracker.js", "https://127.0.0.2:8443/other-address",
                 f"http://127.0.0.1:{listening.getsockname()[1]}/listening"]
    refused = {}
    visit.page.on("requestfailed", lambda r: refused.setdefault(r.url, r.failure))
    with listening:
        page = visit.open(_address("en", ""))
        settled = page.evaluate("""urls => Promise.allSettled([...urls, location.href].map(
                                       url => fetch(url, {signal: AbortSignal.timeout(5000)})))
                                   .then(results => results.map(r => r.reason ? r.reason.name : r.status))""",
                                elsewhere)
        with pytest.raises(BlockingIOError):
            listening.accept()  # nothing came to the port that would have answered
    # Refused at once (a TypeError: "Failed to fetch"), not left waiting (a TimeoutError), and
    # by the proxy (not by a failed name lookup or a closed port: the proxy is what refuses).
    assert settled == ["TypeError"] * 3 + ["fulfilled"], settled
    assert {url: refused.get(url) for url in elsewhere} == dict.fromkeys(elsewhere, "net::ERR_PROXY_CONNECTION_FAILED")
    reported = sorted(p for p in visit.problems if p.startswith("third-party request"))
    assert reported == sorted(f"third-party request: {url}" for url in elsewhere), visit.problems
