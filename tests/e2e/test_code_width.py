"""No code block scrolls sideways because of a comment, at desktop and at phone width.

For every code block of every guide and rendered notebook in every language, the block's scroll width is
measured as shown and again with its comments (Pygments' ``.c1``) hidden: the comments may
not make it wider than the block or than its code alone. Translated comments are longer
than English ones (docs_tools/translation/comments.py places them; the theme's CSS wraps
them at the block's edge).
"""

from __future__ import annotations

import pytest

from docs_tools.site.build import languages
from docs_tools.snippets import ROOT
from markdown_pages import LANGUAGES, REFERENCE, pages

PREFIX = languages()
GUIDES = [f"{path.relative_to(ROOT / 'docs' / REFERENCE).with_suffix('').as_posix()}/"
          for path in pages(REFERENCE) if path.parent.name == "guides"]
URLS = GUIDES + [f"notebooks/{url.split('/')[1]}/" for url in GUIDES]
VIEWPORTS = {"desktop": ({"width": 1280, "height": 900}, False), "phone": ({"width": 390, "height": 844}, True)}

_WIDTHS = r"""
() => [...document.querySelectorAll("article .highlight pre > code, .highlight-ipynb pre")].map((code, index) => {
  const comments = [...code.querySelectorAll(".c1")];
  const shown = code.scrollWidth;
  comments.forEach(c => c.style.display = "none");
  const bare = code.scrollWidth;
  comments.forEach(c => c.style.display = "");
  return {index, shown, bare, client: code.clientWidth, comments: comments.length,
          first: comments.length ? comments[0].textContent.slice(0, 60) : ""};
})
"""


def _address(lang: str, url: str) -> str:
    return f"{PREFIX[lang]}/{url}" if PREFIX[lang] else url


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_comments_never_make_a_code_block_scroll(browser, base_url, lang, viewport):
    size, mobile = VIEWPORTS[viewport]
    context = browser.new_context(viewport=size, is_mobile=mobile, service_workers="block")
    try:
        page = context.new_page()
        wide, measured = [], 0
        for url in URLS:
            page.goto(base_url + _address(lang, url), wait_until="networkidle")
            for block in page.evaluate(_WIDTHS):
                measured += block["comments"] > 0
                if block["shown"] > max(block["client"], block["bare"]) + 1:
                    wide.append(f"{lang}/{url} block {block['index']}: {block['shown']} px wide with comments, "
                                f"{block['bare']} without, {block['client']} shown ('{block['first']}')")
        assert measured >= 20, f"{lang}: only {measured} code blocks with comments were measured"
        assert not wide, f"{viewport}: comments make {len(wide)} code blocks scroll:\n" + "\n".join(wide)
    finally:
        context.close()
