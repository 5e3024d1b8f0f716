"""No code block scrolls sideways because of a comment, at desktop and at phone width.

For every code block of every guide and rendered notebook in every language, the block's scroll width is
measured as shown and again with its comments (Pygments' ``.c1``) hidden: the comments may
not make it wider than the block or than its code alone. Translated comments are longer
than English ones (docs_tools/translation/comments.py places them; the theme's CSS wraps
them at the block's edge).

The widths are read during each page's one load (tests/e2e/tour.py): at the desktop
window, then with the window resized to a phone's width. That the resized page lays code
out as a phone's browser does (mobile emulation, the page's ``width=device-width``
viewport) is checked on one guide per language, loaded again in a phone context.
"""

from __future__ import annotations

import pytest

from docs_tools.site.build import languages
from docs_tools.snippets import ROOT
from markdown_pages import LANGUAGES, REFERENCE, pages
from tour import CODE_WIDTHS, PHONE

PREFIX = languages()
GUIDES = [f"{path.relative_to(ROOT / 'docs' / REFERENCE).with_suffix('').as_posix()}/"
          for path in pages(REFERENCE) if path.parent.name == "guides"]
URLS = GUIDES + [f"notebooks/{url.split('/')[1]}/" for url in GUIDES]
VIEWPORTS = ("desktop", "phone")
#: The page loaded again in a phone context: the guide with the most code comments.
CROSS_CHECKED = "guides/customizing_keras/"


def _address(lang: str, url: str) -> str:
    return f"{PREFIX[lang]}/{url}" if PREFIX[lang] else url


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_comments_never_make_a_code_block_scroll(tour, lang, viewport):
    wide, measured = [], 0
    for url in URLS:
        blocks = tour.record(lang, url).code_widths.get(viewport)
        assert blocks, f"{lang}/{url}: no code block was measured at {viewport} width"
        for block in blocks:
            measured += block["comments"] > 0
            if block["shown"] > max(block["client"], block["bare"]) + 1:
                wide.append(f"{lang}/{url} block {block['index']}: {block['shown']} px wide with comments, "
                            f"{block['bare']} without, {block['client']} shown ('{block['first']}')")
    assert measured >= 20, f"{lang}: only {measured} code blocks with comments were measured"
    assert not wide, f"{viewport}: comments make {len(wide)} code blocks scroll:\n" + "\n".join(wide)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_resized_window_measures_what_a_phone_shows(make_context, base_url, tour, lang):
    """The tour's phone widths (the desktop page resized) are those of the page loaded in a
    phone's browser: every block's widths equal."""
    page = make_context(viewport=dict(PHONE), is_mobile=True, has_touch=True).new_page()
    page.goto(base_url + _address(lang, CROSS_CHECKED), wait_until="load")
    on_phone = page.evaluate(CODE_WIDTHS)
    resized = tour.record(lang, CROSS_CHECKED).code_widths["phone"]
    assert len(on_phone) == len(resized) > 0
    differ = [(a, b) for a, b in zip(resized, on_phone, strict=True)
              if (a["shown"], a["bare"], a["client"]) != (b["shown"], b["bare"], b["client"])]
    assert not differ, f"{lang}/{CROSS_CHECKED}: {len(differ)} blocks measure otherwise on a phone: {differ[:3]}"
