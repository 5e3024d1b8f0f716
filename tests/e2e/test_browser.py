"""The site as a reader uses it: every page of every language in headless Chromium."""

from __future__ import annotations

import nbformat
import pytest
from axe_playwright_python.sync_playwright import Axe

from docs_tools.site import notebooks
from docs_tools.site.build import languages
from docs_tools.snippets import ROOT
from markdown_pages import LANGUAGES, REFERENCE, pages

PREFIX = languages()


SCREENSHOTS = ROOT / "build" / "screenshots"


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
def test_page_loads_cleanly_and_is_accessible(visit, lang, url):
    """No console errors, no failed requests, nothing from another host, no serious or
    critical axe-core violations."""
    page = visit.open(_address(lang, url))
    assert page.locator("article").count() == 1
    assert not visit.problems, "\n".join(visit.problems)
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not serious, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in serious)


@pytest.mark.parametrize("url", GUIDES)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_switcher_keeps_the_page(visit, lang, url):
    for target in LANGUAGES:
        page = visit.open(_address(lang, url))
        link = page.locator(f"a.md-select__link[hreflang='{target}']")
        with page.expect_navigation():
            link.evaluate("a => a.click()")  # the menu opens on hover; the click is what counts
        assert page.url == visit.base_url + _address(target, url), f"{lang} -> {target}"
        assert page.locator("html").get_attribute("lang") == target
    assert not visit.problems, "\n".join(visit.problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_link_to_a_section_lands_on_it(visit, lang):
    page = visit.open(_address(lang, "guides/tensors/") + "#gradient-tape")
    top = page.locator("#gradient-tape").evaluate("e => e.getBoundingClientRect().top")
    assert page.evaluate("window.scrollY") > 500
    assert 0 <= top < 200, f"the section heading is at {top}px from the top of the window"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_direction_of_text_and_code(visit, lang):
    page = visit.open(_address(lang, "guides/tensors/"))
    direction = "rtl" if lang == "he" else "ltr"
    assert page.locator("article p").first.evaluate("e => getComputedStyle(e).direction") == direction
    for selector in ("article pre", "article pre code", "article .snippet-output pre"):
        assert page.locator(selector).first.evaluate("e => getComputedStyle(e).direction") == "ltr", selector
    nb = visit.open(_address(lang, "notebooks/tensors/"))
    assert nb.locator("article .jp-MarkdownCell p").first.evaluate("e => getComputedStyle(e).direction") == direction
    assert nb.locator("article .jp-CodeCell pre").first.evaluate("e => getComputedStyle(e).direction") == "ltr"


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


def _search(visit, lang: str, query: str):
    """Type ``query`` into the search box of ``lang``'s home page: the page and the result links."""
    page = visit.open(_address(lang, ""))
    box = page.locator("input.md-search__input")
    box.click()
    # Material searches on key events. Playwright enters characters that are not on a US
    # keyboard without key events (as an input method does), so finish with a real key.
    box.fill(query)
    box.press("End")
    results = page.locator(".md-search-result__link")
    results.first.wait_for(timeout=15000)
    return page, [a.get_attribute("href") for a in results.all()]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_finds_the_right_guide(visit, lang):
    query, expected, highlighted = SEARCHES[lang]
    page, hrefs = _search(visit, lang, query)
    assert any(expected in href for href in hrefs[:3]), f"'{query}' gave {hrefs[:5]}"
    marks = {m.lower() for m in page.locator(".md-search-result mark").all_inner_texts()}
    assert highlighted <= marks, f"'{query}': highlighted {sorted(marks)[:10]}"
    assert not visit.problems, "\n".join(visit.problems)


@pytest.mark.parametrize("query", ["слоев", "слоёв"])
def test_russian_search_finds_words_typed_with_e_or_yo(visit, query):
    """The pages write «слоёв»; a reader may type «слоев» or «слоёв» (docs_tools/search/fold.py)."""
    _, hrefs = _search(visit, "ru", query)
    assert any("guides/functional_api/" in href for href in hrefs[:3]), f"'{query}' gave {hrefs[:5]}"
    assert not visit.problems, "\n".join(visit.problems)


@pytest.mark.parametrize("url", GUIDES)
def test_copy_buttons_give_the_code_that_ran(visit, url):
    """Click every copy button of the page in every language: the clipboard holds exactly
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
        page = visit.open(_address(lang, url))
        buttons = page.locator("article .md-code__button[data-md-type='copy']")
        blocks = []
        for index in range(buttons.count()):
            page.evaluate("navigator.clipboard.writeText('')")
            buttons.nth(index).click()
            blocks.append(page.evaluate("navigator.clipboard.readText()").rstrip("\n"))
        assert blocks == ran, f"{lang}/{url}: the copied code is not the code that ran"
        assert page.locator("article .snippet-output .md-code__button").count() == 0, "outputs have copy buttons"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_screenshots(browser, base_url, lang):
    """Desktop and phone screenshots of one guide per language, for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, viewport, mobile in (("desktop", {"width": 1280, "height": 900}, False),
                                   ("phone", {"width": 390, "height": 844}, True)):
        context = browser.new_context(viewport=viewport, is_mobile=mobile, device_scale_factor=1,
                                      service_workers="block")
        page = context.new_page()
        page.goto(base_url + _address(lang, "guides/tensors/"), wait_until="networkidle")
        path = SCREENSHOTS / f"tensors-{lang}-{name}.png"
        page.screenshot(path=str(path), full_page=False)
        context.close()
        assert path.stat().st_size > 10_000
