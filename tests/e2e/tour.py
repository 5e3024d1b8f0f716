"""Every page of every language, loaded once for all the checks that read it.

The browser tests used to open a page once per check: the accessibility test, the inline
code test, the Hebrew prefix test, the direction test, the copy buttons, the code widths
at two window sizes and the desktop screenshot each loaded the same page again, and each
load (Material's scripts, the search index fetched) is most of what a check costs.
``PageTour.record`` loads a page once, in a fresh browser context, and takes from it
everything those checks read, in an order that keeps each reading as it was on a fresh
page: the screenshot, then what is only read (article, computed directions, where inline
code is drawn, plain hyphens after Hebrew prefixes, the code blocks' widths), then axe-core
(read-only), then the copy buttons, which click, and last the code widths again with the
window resized to a phone's width. A record is made the first time a test asks for it
(with the other pages of its language) and kept for the session, so each page costs one
load whatever the number of checks that read it. Two pages are open at a time: axe-core,
most of a page's cost, runs on one while the next one loads and is read, each in its own
renderer process.

Measured per page on two cores (2026-12-04, before these cuts): context 0.2 s, load 0.9 s
(0.5 s of it Playwright's "network idle" wait), axe-core 1.1 to 2.7 s, the copy buttons
70 ms each through Playwright (24 to 34 per guide page). A page is now read at its load
event (it stays open, with every request and error recorded, through axe-core and the
clicks), and the buttons are clicked in the page, one round trip for all.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

from docs_tools.snippets import ROOT

#: Where the screenshots go, and the page they show (tests/e2e/test_browser.py::test_screenshots).
SCREENSHOTS = ROOT / "build" / "screenshots"
SCREENSHOT_PAGE = "guides/tensors/"

#: For every inline code element of the article (code not inside pre): its text, and the
#: characters of that text in the order they appear on screen. A character's position is
#: the centre of its own Range's first client rect; characters on one line (same rect
#: middle, within half a line) are read left to right, lines top to bottom.
ON_SCREEN = r"""
() => {
  const spans = [];
  for (const code of document.querySelectorAll("article code")) {
    if (code.closest("pre")) continue;
    const chars = [];
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let i = 0; i < node.data.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect || rect.width === 0) continue;  // collapsed or invisible
        chars.push({ch: node.data[i], x: rect.left + rect.width / 2,
                    y: rect.top + rect.height / 2, h: rect.height});
      }
    }
    if (chars.length < 2) continue;
    const lines = [];
    for (const c of chars) {
      const line = lines.find(l => Math.abs(l.y - c.y) < c.h / 2);
      if (line) line.chars.push(c); else lines.push({y: c.y, chars: [c]});
    }
    lines.sort((a, b) => a.y - b.y);
    const shown = lines.map(l => l.chars.sort((a, b) => a.x - b.x).map(c => c.ch).join("")).join("");
    const text = chars.map(c => c.ch).join("");
    const paragraph = code.closest("p, li, td, th, h1, h2, h3, h4, h5, h6, .admonition-title") || code.parentElement;
    spans.push({text, shown, context: paragraph.textContent.trim().slice(0, 80),
                rtl: getComputedStyle(paragraph).direction === "rtl"});
  }
  return spans;
}
"""

#: A prefix letter (ב, ה, ו, כ, ל, מ, ש) written against Latin, digits or code must be
#: joined with U+2011 NON-BREAKING HYPHEN: every place the article's text (code left out)
#: joins one with a plain hyphen, with 20 characters either side.
PLAIN_PREFIX_HYPHENS = r"""
() => {
  const found = [];
  const text = [];
  const walker = document.createTreeWalker(document.querySelector("article"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest("pre, code, script, style, math")) { text.push(" "); continue; }
    text.push(node.data);
  }
  const all = text.join("");
  for (const m of all.matchAll(/(?:^|[^\u05d0-\u05ea])[\u05d0-\u05ea]{1,3}-(?=[\sA-Za-z0-9$`(]|$)/g)) {
    found.push(all.slice(Math.max(0, m.index - 20), m.index + m[0].length + 20).replace(/\s+/g, " "));
  }
  return found;
}
"""

#: The elements whose computed direction the direction test reads (the first of each).
DIRECTION_OF = ("article p", "article pre", "article pre code", "article .snippet-output pre",
                "article .jp-MarkdownCell p", "article .jp-CodeCell pre")
_DIRECTIONS = """selectors => Object.fromEntries(selectors.map(s => {
  const e = document.querySelector(s);
  return [s, e ? getComputedStyle(e).direction : null];
}))"""

#: For every code block of the article (guide pages and rendered notebooks): its scroll width
#: as shown and with its comments (Pygments' ``.c1``) hidden, and the width it has on screen
#: (tests/e2e/test_code_width.py). The comments are shown again before it returns.
CODE_WIDTHS = r"""
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

#: The window sizes the code widths are measured at: the tour's own (desktop), then the page
#: resized to a phone's width (test_code_width.py proves the resized page lays code out as a
#: phone's browser does, on one page per language).
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

#: Every copy button of the article is clicked through its click handler, in the page, with
#: the clipboard emptied before each (one round trip for the page, not three per button);
#: the first one is also clicked with the mouse, as a reader does, and must give the same.
_COPY_ALL = r"""async selector => {
  const copied = [];
  for (const button of document.querySelectorAll(selector)) {
    await navigator.clipboard.writeText("");
    button.click();
    await new Promise(resolve => setTimeout(resolve, 0));
    copied.push((await navigator.clipboard.readText()).replace(/\n$/, ""));
  }
  return copied;
}"""
COPY_BUTTONS = "article .md-code__button[data-md-type='copy']"

#: Languages whose pages are checked for prefix letters joined with a plain hyphen.
PREFIX_LETTER_LANGUAGES = {"he"}


@dataclass
class PageRecord:
    """What the checks read from one load of one page."""

    lang: str
    url: str
    articles: int = 0
    directions: dict[str, str | None] = field(default_factory=dict)
    inline_code: list[dict] = field(default_factory=list)
    plain_prefix_hyphens: list[str] = field(default_factory=list)
    #: axe-core's serious and critical violations, one line each.
    serious: list[str] = field(default_factory=list)
    #: What each copy button of the article put on the clipboard, in order (guide pages).
    copied: list[str] = field(default_factory=list)
    #: What the first copy button put on the clipboard when clicked with the mouse.
    first_copied_by_mouse: str | None = None
    #: Code blocks' widths (CODE_WIDTHS) at "desktop" and "phone" width (guide and notebook pages).
    code_widths: dict[str, list[dict]] = field(default_factory=dict)
    output_copy_buttons: int = 0
    screenshot: Path | None = None
    #: Console errors, failed and third-party requests, during the load and every check.
    problems: list[str] = field(default_factory=list)
    #: Wall seconds of each stage of the visit (context, load, reads, axe-core, copy, phone).
    seconds: dict[str, float] = field(default_factory=dict)


#: Starts axe-core on the page without waiting for it (the page works on while Python reads
#: the next page); ``_AXE_RESULT`` waits for it. The same call as ``Axe().run(page)``.
_START_AXE = """() => { window.__tourAxe = axe.run(document, {resultTypes: ["violations"]}).then(
  r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map(n => n.target)}))); }"""
_AXE_RESULT = "() => window.__tourAxe"

#: Pages open at once: each renders and runs axe-core in its own renderer process, so on two
#: cores one page's axe-core runs while the next page loads and is read.
WINDOW = int(os.environ.get("TFGUIDES_E2E_WINDOW", "2"))


class _Clock:
    """Wall seconds between laps, by name."""

    def __init__(self):
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = self.laps.get(name, 0.0) + now - self._last
        self._last = now


def _has_code(url: str) -> bool:
    """Guide pages and their rendered notebooks: the pages whose code widths are measured."""
    return url.startswith(("guides/", "notebooks/"))


class PageTour:
    """Records of pages, each made by one load in a fresh context and kept for the session.

    The first time a page of a language is asked for, every page of that language not yet
    recorded is recorded, WINDOW at a time, the asked one first."""

    def __init__(self, browser, base_url: str, new_context, visit_class, address, screenshots: dict,
                 pages: list[tuple[str, str]]):
        self.browser = browser
        self.base_url = base_url
        self._new_context = new_context
        self._visit_class = visit_class
        self._address = address
        #: (lang, url) -> where to save the desktop screenshot of that page
        self._screenshots = screenshots
        self._pages = pages
        self._axe_script = Axe().axe_script
        self._records: dict[tuple[str, str], PageRecord] = {}
        self._errors: dict[tuple[str, str], BaseException] = {}
        #: language -> (pages recorded, wall seconds spent recording them)
        self._cost: dict[str, list] = {}

    def record(self, lang: str, url: str) -> PageRecord:
        key = (lang, url)
        if key not in self._records and key not in self._errors:
            keys = [key] + [k for k in self._pages if k[0] == lang and k != key
                            and k not in self._records and k not in self._errors]
            started = time.perf_counter()
            self._record_all(keys)
            cost = self._cost.setdefault(lang, [0, 0.0])
            cost[0] += len(keys)
            cost[1] += time.perf_counter() - started
        if key in self._errors:
            raise self._errors[key]
        return self._records[key]

    def cost(self) -> list[str]:
        """Lines for the end of the run: the pages recorded, and their time per language."""
        if not self._cost:
            return []
        pages = sum(n for n, _ in self._cost.values())
        total = sum(s for _, s in self._cost.values())
        lines = [f"{pages} pages loaded once each for every check that reads them, {WINDOW} at a time: "
                 f"{total:.1f} s, {total / pages:.2f} s per page"]
        for lang, (n, seconds) in self._cost.items():
            lines.append(f"{lang:8} {n:3} pages {seconds:6.1f} s")
        stages: dict[str, float] = {}
        for record in self._records.values():
            for stage, seconds in record.seconds.items():
                stages[stage] = stages.get(stage, 0.0) + seconds
        lines.append("a page's wall seconds by stage, summed over the pages (two pages overlap): "
                     + ", ".join(f"{stage} {seconds:.1f}" for stage, seconds in stages.items()))
        return lines

    def _record_all(self, keys: list[tuple[str, str]]) -> None:
        opened: list[tuple] = []
        try:
            for key in keys:
                try:
                    opened.append(self._start(*key))
                except Exception as error:  # noqa: BLE001 - reported by the tests that read the page
                    self._errors[key] = error
                while len(opened) >= WINDOW:
                    self._finish(opened.pop(0))
            while opened:
                self._finish(opened.pop(0))
        finally:
            for state in opened:
                state[1].close()

    def _start(self, lang: str, url: str) -> tuple:
        """Load the page, read what is only read, and start axe-core on it."""
        clock = _Clock()
        context = self._new_context()
        try:
            visit = self._visit_class(context, self.base_url)
            clock.lap("context")
            # The page is read once it has loaded (its scripts, styles, fonts and figures); it
            # stays open through axe-core and the copy buttons, and any later request or error
            # is recorded by the visit's listeners until the context closes.
            page = visit.open(self._address(lang, url), wait_until="load")
            clock.lap("load")
            record = PageRecord(lang, url)
            if (lang, url) in self._screenshots:
                path = self._screenshots[(lang, url)]
                path.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(path), full_page=False)
                record.screenshot = path
            record.articles = page.locator("article").count()
            record.directions = page.evaluate(_DIRECTIONS, list(DIRECTION_OF))
            record.inline_code = page.evaluate(ON_SCREEN)
            if lang in PREFIX_LETTER_LANGUAGES:
                record.plain_prefix_hyphens = page.evaluate(PLAIN_PREFIX_HYPHENS)
            if _has_code(url):
                record.code_widths["desktop"] = page.evaluate(CODE_WIDTHS)
            clock.lap("reads")
            page.evaluate(self._axe_script)
            page.evaluate(_START_AXE)
        except BaseException:
            context.close()
            raise
        return record, context, visit, page, clock

    def _finish(self, state: tuple) -> None:
        """Wait for axe-core, then click the copy buttons, and keep the record."""
        record, context, visit, page, clock = state
        key = (record.lang, record.url)
        try:
            clock.lap("other pages")  # the time this page waited for the one before it
            violations = page.evaluate(_AXE_RESULT)
            clock.lap("axe-core")
            record.serious = [f"{v['id']} ({v['impact']}): {v['help']} at {v['targets'][:3]}"
                              for v in violations if v["impact"] in ("serious", "critical")]
            if record.url.startswith("guides/"):
                record.copied = page.evaluate(_COPY_ALL, COPY_BUTTONS)
                if record.copied:
                    page.evaluate("navigator.clipboard.writeText('')")
                    page.locator(COPY_BUTTONS).first.click()
                    record.first_copied_by_mouse = page.evaluate("navigator.clipboard.readText()").rstrip("\n")
                record.output_copy_buttons = page.locator("article .snippet-output .md-code__button").count()
                clock.lap("copy buttons")
            if _has_code(record.url):
                page.set_viewport_size(PHONE)
                record.code_widths["phone"] = page.evaluate(CODE_WIDTHS)
                clock.lap("phone width")
            record.seconds = clock.laps
            record.problems = list(visit.problems)
            self._records[key] = record
        except Exception as error:  # noqa: BLE001 - reported by the tests that read the page
            self._errors[key] = error
        finally:
            context.close()
