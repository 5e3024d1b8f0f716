"""Every page of every language, loaded once for all the checks that read it.

The browser tests used to open a page once per check: the accessibility test, the inline
code test, the Hebrew prefix test, the direction test, the copy buttons, the language
switcher, the code widths at two window sizes and the desktop screenshot each loaded the
same page again, and each load (Material's scripts, the search index fetched) is most of
what a check costs. ``PageTour`` loads a page once and takes from it everything those checks
read, in an order that keeps each reading as it was on a fresh page: the screenshot, then
what is only read (article, <html lang>, computed directions, where inline code is drawn,
plain hyphens after Hebrew prefixes, the code blocks' widths), then axe-core (read-only),
then the copy buttons, which click, then the language switcher's links, each clicked with its
navigation noted and cancelled, and last the code widths again with the window resized to a
phone's width. Each page costs one load whatever the number of checks that read it.

The tour records every page from the session's start, in two threads of its own (THREADS),
while the other browser tests run (they load one page at a time and left a core mostly
idle); the tests that read the records run last. Each thread keeps WINDOW pages (two) open,
each in a tab of its own (``_Tab``): one is read while the other's axe-core runs. With one thread the
two cores were 77 % busy in the run's last 40 s, when the tour ran alone; with two, 99 % to
the end (2026-12-05: the browser run 174 -> 165 s with the site built beforehand; the code
styles settle later, so axe-core decides 21,000 code elements instead of 12,300).

A tab is a browser context with one page, and it goes from page to page as a reader's tab
does: each page is a new document, loaded as a reader's browser loads it (a file an earlier
page fetched, the site's style sheets, scripts and fonts, comes from the HTTP cache), with
its requests and errors recorded for that page alone, after the tab's local and session
storage and cookies were cleared and its window and mouse set back (``_Tab.reset``); an
error the earlier document raised while it unloaded would count against the new page (with
a new context it was lost). What the tab keeps is its renderer process, with the scripts it has compiled: a new context per page cost a new
process, Material's scripts and axe-core compiled again, and the context's set-up in the
browser. Measured on two cores (2026-12-05, load and axe-core of 32 pages, one at a time):
2.34 CPU-seconds a page in a new context each, 1.35 in a reused tab.

Measured per page on two cores (2026-12-04, before these cuts): context 0.2 s, load 0.9 s
(0.5 s of it Playwright's "network idle" wait), axe-core 1.1 to 2.7 s, the copy buttons
70 ms each through Playwright (24 to 34 per guide page). A page is now read at its load
event (it stays open, with every request and error recorded, through axe-core and the
clicks), the buttons are clicked in the page, one round trip for all, and the colour
contrast of text is decided once per text style (``TextContrast``). On 2026-12-05,
one page at a time on a quiet machine, in a new context each, a page cost 2.5 CPU-seconds
over 1.5 s: context 0.27, load 0.53, reads 0.16, putting axe-core in 0.18, its run 0.81,
copy buttons 0.17, switcher 0.10, phone width 0.06.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
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
#: (tests/e2e/test_code_width.py). The comments of every block are hidden at once, so the page
#: is laid out twice, not twice per block (a block's widths do not depend on another's
#: comments); they are shown again before it returns.
CODE_WIDTHS = r"""
() => {
  const blocks = [...document.querySelectorAll("article .highlight pre > code, .highlight-ipynb pre")];
  const comments = blocks.map(code => [...code.querySelectorAll(".c1")]);
  const shown = blocks.map(code => code.scrollWidth);
  comments.flat().forEach(c => c.style.display = "none");
  const bare = blocks.map(code => code.scrollWidth);
  comments.flat().forEach(c => c.style.display = "");
  return blocks.map((code, index) => ({index, shown: shown[index], bare: bare[index], client: code.clientWidth,
                                       comments: comments[index].length,
                                       first: comments[index].length ? comments[index][0].textContent.slice(0, 60) : ""}));
}
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

#: The language switcher's links (one per language, the page's own included).
SWITCHER_LINKS = "a.md-select__link[hreflang]"

#: Each of the switcher's links clicked in the page (a click event, as a reader's): where
#: each click sends the reader is read from the navigation it starts (the Navigation API's
#: "navigate" event, fired before a request is made), which is then cancelled, so the page
#: stays as it is for the next link. A click that starts no navigation within 5 s gives null.
#: One round trip for the page (it was five clicks through Playwright, each with its
#: navigation's request routed and refused: 0.48 CPU-seconds a guide page, 2026-12-05).
SWITCH = r"""async selector => {
  const switched = {};
  for (const link of document.querySelectorAll(selector)) {
    switched[link.getAttribute("hreflang")] = await new Promise(resolve => {
      const noted = event => {
        navigation.removeEventListener("navigate", noted);
        clearTimeout(timer);
        event.preventDefault();
        resolve(event.destination.url);
      };
      const timer = setTimeout(() => { navigation.removeEventListener("navigate", noted); resolve(null); }, 5000);
      navigation.addEventListener("navigate", noted);
      link.click();  // the menu opens on hover; the click is what counts
    });
  }
  return switched;
}"""

#: Languages whose pages are checked for prefix letters joined with a plain hyphen.
PREFIX_LETTER_LANGUAGES = {"he"}


@dataclass
class PageRecord:
    """What the checks read from one load of one page."""

    lang: str
    url: str
    articles: int = 0
    #: The page's <html lang>.
    html_lang: str | None = None
    #: Where a click on the switcher's link to each language sends the reader (guide pages).
    switched: dict[str, str] = field(default_factory=dict)
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
    #: Wall seconds of each stage of the visit (tab, load, reads, axe-core, copy, phone).
    seconds: dict[str, float] = field(default_factory=dict)


#: Starts axe-core on the page; ``_AXE_RESULT`` waits for its promise. Most of the run happens
#: before the call returns (axe-core's rules run synchronously: 0.6 of the 0.7 s of a page
#: measured). Every rule runs on the whole document, as
#: ``Axe().run(page)`` does; only colour-contrast skips the text whose style is already
#: settled (``TextContrast``). Each colour-contrast node comes back with its text style
#: (``data-tour-style``), if any: the violated ones, and the passed ones whose contrast
#: axe-core measured (one step of its rule passes text it finds hidden with no ratio: no page
#: here reached it; those it could not decide, "incomplete", and those it left out as
#: hidden, settle nothing). Nodes are read
#: through their elements (axe-core's ``elementRef``), and axe-core builds no selector (for
#: the thousands of passed nodes that would cost more than the rules): a violation says
#: where its element is (``where``).
_START_AXE = """() => {
  // Where a violated element is: from the nearest ancestor with an id, each step's tag, first
  // class and place among its siblings.
  const where = element => {
    const steps = [];
    for (let e = element; e && e.parentElement; e = e.parentElement) {
      if (e.id) { steps.unshift("#" + CSS.escape(e.id)); break; }
      const place = [...e.parentElement.children].indexOf(e) + 1;
      steps.unshift(e.localName + (e.classList.length ? "." + CSS.escape(e.classList[0]) : "") + `:nth-child(${place})`);
    }
    return steps.length ? steps.join(" > ") : element.localName;  // <html> itself
  };
  const measured = node => node.any.some(check => check.id === "color-contrast" && check.data
                                                  && typeof check.data.contrastRatio === "number");
  const style = node => node.element && node.element.getAttribute ? node.element.getAttribute("data-tour-style") : null;
  window.__tourAxe = axe.run(document, {resultTypes: ["passes", "violations", "incomplete"], selectors: false,
                                        elementRef: true}).then(r => ({
    violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                        targets: v.nodes.map(n => [where(n.element)]),
                                        styles: v.id === "color-contrast" ? v.nodes.map(style) : []})),
    passed: r.passes.filter(v => v.id === "color-contrast").flatMap(v => v.nodes.filter(measured).map(style)),
  }));
}"""
_AXE_RESULT = "() => window.__tourAxe"

#: Tags every HTML element of the page that draws text of its own (code, prose, headings,
#: links, the navigation, the header and footer) with its text style: everything axe-core's
#: colour-contrast rule reads of the element and its ancestors to decide it (colour, text
#: fill and stroke, font size, weight and family, text shadow, letters or only symbols, the
#: pseudo-elements' content, the chain of backgrounds, images, opacities, filters and blend
#: modes up to the first opaque background, and the opacity of every ancestor). Text that
#: draws no box, is hidden, or is not HTML (SVG, MathML) is left to axe-core. Not in the key:
#: what lies under the text without being its ancestor (a positioned element of another
#: branch). On this site's pages, read at the top before anything is scrolled or opened, the
#: header, the sidebars and the article do not overlap; inside the article, each code
#: block's button bar (``.md-code__nav``, positioned) lies over its top right corner, with a
#: background of the block's own grey at 30 %, 70 % under the mouse (#f5f5f54d over #f5f5f5: the
#: same colour).
#: An element whose style is settled (in ``settled``) is also tagged ``data-tour-contrast-known``,
#: which colour-contrast skips. Returns the page's styles, how many elements have each, and
#: which of them were settled.
TEXT_STYLES = r"""
settled => {
  settled = new Set(settled);
  const chain = new Map();
  const background = element => {
    if (!element || element.nodeType !== 1) return "";
    if (!chain.has(element)) {
      const s = getComputedStyle(element);
      const own = [s.backgroundColor, s.backgroundImage, s.opacity, s.filter, s.mixBlendMode].join(" ");
      const opaque = s.backgroundColor.startsWith("rgb(") && s.backgroundImage === "none" && s.opacity === "1";
      chain.set(element, opaque ? own : own + " < " + background(element.parentElement));
    }
    return chain.get(element);
  };
  // The product of the opacities of the element and all its ancestors.
  const dims = new Map();
  const opacity = element => {
    if (!element || element.nodeType !== 1) return 1;
    if (!dims.has(element)) dims.set(element, Number(getComputedStyle(element).opacity) * opacity(element.parentElement));
    return dims.get(element);
  };
  const styles = [], counts = [], known = [], indexOf = new Map();
  for (const element of document.body.querySelectorAll("*")) {
    if (element.namespaceURI !== "http://www.w3.org/1999/xhtml") continue;
    const text = [...element.childNodes].filter(n => n.nodeType === Node.TEXT_NODE).map(n => n.data).join("");
    const s = getComputedStyle(element);
    // Only text a reader sees: an element without a box, or hidden, is left to axe-core.
    if (!text.trim() || !element.getClientRects().length || s.visibility !== "visible") continue;
    const style = [s.color, s.webkitTextFillColor, s.webkitTextStrokeWidth, s.webkitTextStrokeColor,
                   s.fontSize, s.fontWeight, s.fontFamily, s.textShadow,
                   /[\p{L}\p{N}]/u.test(text) ? "letters" : "symbols",
                   getComputedStyle(element, "::before").content, getComputedStyle(element, "::after").content,
                   background(element), "opacity " + opacity(element)].join(" | ");
    if (!indexOf.has(style)) {
      indexOf.set(style, styles.push(style) - 1);
      counts.push(0);
      if (settled.has(style)) known.push(indexOf.get(style));
    }
    const index = indexOf.get(style);
    counts[index]++;
    element.setAttribute("data-tour-style", String(index));
    if (settled.has(style)) element.setAttribute("data-tour-contrast-known", "");
  }
  axe.configure({rules: [{id: "color-contrast", selector: ":not([data-tour-contrast-known])"}]});
  return {styles, counts, known};
}
"""

#: Pages open at once in each thread, each in its own tab and renderer process: one page's renderer works (loading,
#: settling its layout and fonts) while Python reads or runs axe-core on the other.
WINDOW = max(1, int(os.environ.get("TFGUIDES_E2E_WINDOW", "2")))

#: Threads recording pages, each with its own browser (see the module's docstring).
THREADS = max(1, int(os.environ.get("TFGUIDES_E2E_TOUR_THREADS", "2")))


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


class TextContrast:
    """Colour contrast of text, decided once per text style for the whole tour.

    axe-core's colour-contrast rule was most of its time on a page with code (2.2 of 2.4 s
    on a rendered notebook): it decides every token of every code block, and the same
    tokens, styled the same, come back on the guide page and its notebook in five languages;
    so do the prose, the headings, the navigation, the header and the footer. The site has
    about eighty text styles (``TEXT_STYLES``: what the rule reads, and what it leaves out).
    The first page with a style has every element of that style decided by axe-core; once
    one of them passed or was violated, the style is settled, and on later pages its
    elements are skipped by the rule and given that result: a violated style is reported on
    every page where it appears, with the page where axe-core found it. A style none of whose
    elements axe-core measured (each hidden from it, clipped or off screen, or left
    undecided, "incomplete") stays unsettled and is decided again on the next page with
    it. (Code text alone, 2026-12-05: 27 styles; all text, the same day: the
    colour-contrast rule's time on a page whose styles were settled halved.)
    """

    def __init__(self):
        #: text style -> None (passed) or the violation line axe-core gave it, and where
        self.settled: dict[str, str | None] = {}
        #: text elements left to axe-core (their style not settled yet: it decides those it
        #: reads), and given the result of their settled style
        self.decided = 0
        self.reused = 0
        #: The tour's threads settle styles one at a time.
        self._lock = threading.Lock()

    def tag_and_start(self, page) -> dict:
        """Tag the page's text with its styles (``TEXT_STYLES``) and start axe-core
        (``_START_AXE``), in one call into the page, so no script of the page restyles an
        element between the two; returns the styles with their counts."""
        with self._lock:
            settled = list(self.settled)
        return page.evaluate(f"settled => {{ const styles = ({TEXT_STYLES})(settled); ({_START_AXE})(); return styles; }}",
                             settled)

    def settle(self, styles: dict, result: dict, where: str) -> list[str]:
        """Settle the styles this page's axe-core run decided; returns the serious violations
        of the page's text whose style was settled as violated, on this or an earlier page."""
        with self._lock:
            return self._settle(styles, result, where)

    def _settle(self, styles: dict, result: dict, where: str) -> list[str]:
        violated: dict[int, str] = {}
        for violation in result["violations"]:
            for target, style in zip(violation["targets"], violation["styles"]):
                if style is not None and violation["impact"] in ("serious", "critical"):
                    violated.setdefault(int(style), f"{violation['id']} ({violation['impact']}): "
                                                    f"{violation['help']}, first at {where} {target}")
        passed = {int(style) for style in result["passed"] if style is not None}
        known = set(styles["known"])
        for index, (style, count) in enumerate(zip(styles["styles"], styles["counts"])):
            if index in known:
                self.reused += count
            else:
                self.decided += count
                if index in violated:
                    # Violated here: if an earlier page passed the same style, its key misses
                    # something the rule reads, and the violation stands.
                    self.settled[style] = violated[index]
                elif index in passed:
                    # One passed here with its contrast measured, and none violated. A style
                    # none of whose elements axe-core measured (each hidden from it, clipped
                    # or off screen, or left undecided) stays unsettled.
                    self.settled.setdefault(style, None)
        return [f"{self.settled[styles['styles'][index]]} (the same text style: {styles['counts'][index]} "
                f"elements here)" for index in sorted(known) if self.settled[styles["styles"][index]] is not None]


@functools.cache
def _axe_script() -> str:
    """axe-core's source, as axe-playwright-python ships it (read once per process)."""
    return Axe().axe_script


def start_axe(page, contrast: TextContrast) -> dict:
    """Put axe-core in the page, tag its text styles and start every rule."""
    page.evaluate(_axe_script())
    return contrast.tag_and_start(page)


def serious_violations(page, contrast: TextContrast, styles: dict, where: str) -> list[str]:
    """Wait for the run ``start_axe`` started: its serious and critical violations, one line
    each, with those of the page's text whose settled style was violated."""
    result = page.evaluate(_AXE_RESULT)
    serious = [f"{v['id']} ({v['impact']}): {v['help']} at {v['targets'][:3]}"
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
    return serious + contrast.settle(styles, result, where)


class _Tab:
    """A browser context with one page (a ``Visit``: its requests and errors recorded), which
    the tour takes from page to page (see the module's docstring)."""

    def __init__(self, browser, new_context, visit_class, base_url: str):
        self.context = new_context(browser, base_url)
        try:
            self.visit = visit_class(self.context, base_url)
        except BaseException:
            self.context.close()
            raise
        self.page = self.visit.page

    def reset(self) -> None:
        """Undo what an earlier page left, before the next: its local and session storage
        (Material keeps the palette, tabs, announcement and version choices there; the
        site sets no cookie, IndexedDB or Cache Storage, and a service worker is blocked)
        and cookies are cleared, the window is back at the desktop size and the mouse at
        (0, 0), where a new context starts it."""
        self.page.evaluate("() => { localStorage.clear(); sessionStorage.clear(); }")
        self.context.clear_cookies()
        self.page.set_viewport_size(DESKTOP)
        self.page.mouse.move(0, 0)

    def open(self, path: str):
        """Load ``path`` as a new document in this tab (``reset`` first, if it was used): the
        visit records this page's requests and errors only."""
        self.visit.problems.clear()
        # The page is read once it has loaded (its scripts, styles, fonts and figures); it
        # stays open through axe-core and the copy buttons, and any later request or error
        # is recorded by the visit's listeners until the tab goes on to its next page.
        return self.visit.open(path, wait_until="load")

    def close(self) -> None:
        """Close the tab, in whatever state a failure left it (its own failure to close is
        not the one to report)."""
        with contextlib.suppress(Exception):
            self.context.close()


class PageTour:
    """Records of pages, each made by one load in a tab of the tour and kept for the session.

    ``start`` records every page in THREADS threads of their own, each with its own Playwright
    and browser (Playwright's objects belong to the thread that made them) and WINDOW pages
    open at a time, while the session's other browser tests run. The threads take the pages
    in order (language by language) from one queue. ``record`` waits for a page's record."""

    def __init__(self, base_url: str, launch, new_context, visit_class, address, screenshots: dict,
                 pages: list[tuple[str, str]]):
        self.base_url = base_url
        #: (browser, site) -> a new context in it, as the other browser tests get one
        self._new_context = new_context
        #: playwright -> a browser of its own (for ``start``)
        self._launch = launch
        self._threads: list[threading.Thread] = []
        self._done = threading.Condition()
        #: Threads still recording, and what stopped any of them
        self._running = 0
        self._failures: list[BaseException] = []
        self._stopping = False
        self._visit_class = visit_class
        self._address = address
        #: (lang, url) -> where to save the desktop screenshot of that page
        self._screenshots = screenshots
        #: The pages no thread has taken yet, in order
        self._queue = list(pages)
        self.contrast = TextContrast()
        self._records: dict[tuple[str, str], PageRecord] = {}
        self._errors: dict[tuple[str, str], BaseException] = {}
        #: (lang, url) -> (when its recording started, when it ended), perf_counter seconds
        self._spans: dict[tuple[str, str], list[float]] = {}

    def start(self) -> None:
        """Record every page in THREADS threads of their own (see the class)."""
        self._threads = [threading.Thread(target=self._record_in_background, name=f"page tour {n + 1}", daemon=True)
                         for n in range(THREADS)]
        self._running = len(self._threads)
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """Stop recording after the pages open now (a session that ends early), and wait for the threads."""
        self._stopping = True
        for thread in self._threads:
            thread.join()

    def _record_in_background(self) -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                browser = self._launch(playwright)
                tabs: list[_Tab] = []  # tabs whose page was recorded, for the next pages
                try:
                    self._record_all(browser, tabs)
                finally:
                    while tabs:
                        tabs.pop().close()
                    browser.close()
        except BaseException as error:  # noqa: BLE001 - raised again by every record() that waits
            with self._done:
                self._failures.append(error)
        finally:
            with self._done:
                self._running -= 1
                self._done.notify_all()

    def record(self, lang: str, url: str) -> PageRecord:
        key = (lang, url)
        if not self._threads:
            raise RuntimeError("the page tour was not started (PageTour.start)")
        with self._done:
            self._done.wait_for(lambda: key in self._records or key in self._errors or not self._running)
        if key not in self._records and key not in self._errors:
            raise RuntimeError(f"the page tour stopped before {lang}/{url}: {self._failures}") \
                from (self._failures[0] if self._failures else None)
        if key in self._errors:
            raise self._errors[key]
        return self._records[key]

    def cost(self) -> list[str]:
        """Lines for the end of the run: the pages recorded, the tour's wall time, and each
        language's (from its first page's start to its last page's end: the threads' pages
        of two languages overlap where one language ends and the next begins)."""
        spans = {key: span for key, span in self._spans.items() if len(span) == 2}
        if not spans:
            return []
        total = max(end for _, end in spans.values()) - min(start for start, _ in spans.values())
        lines = [f"{len(spans)} pages loaded once each for every check that reads them, by {THREADS} threads "
                 f"with {WINDOW} open in each: {total:.1f} s, {total / len(spans):.2f} s per page"]
        for lang in dict.fromkeys(lang for lang, _ in spans):
            own = [span for (page_lang, _), span in spans.items() if page_lang == lang]
            seconds = max(end for _, end in own) - min(start for start, _ in own)
            lines.append(f"{lang:8} {len(own):3} pages {seconds:6.1f} s")
        stages: dict[str, float] = {}
        for record in self._records.values():
            for stage, seconds in record.seconds.items():
                stages[stage] = stages.get(stage, 0.0) + seconds
        lines.append("a page's wall seconds by stage, summed over the pages (pages overlap): "
                     + ", ".join(f"{stage} {seconds:.1f}" for stage, seconds in stages.items()))
        lines += [f"a thread of the tour stopped: {failure!r}" for failure in self._failures]
        lines.append(f"text: {len(self.contrast.settled)} styles settled; colour contrast left to axe-core "
                     f"for {self.contrast.decided} elements, given their settled style's result for "
                     f"{self.contrast.reused} (tests/e2e/tour.py, TextContrast)")
        return lines

    def _next(self) -> tuple[str, str] | None:
        """The next page no thread has taken, or None."""
        with self._done:
            if self._stopping or not self._queue:
                return None
            key = self._queue.pop(0)
            self._spans[key] = [time.perf_counter()]
            return key

    def _record_all(self, browser, tabs: list[_Tab]) -> None:
        opened: list[tuple] = []
        try:
            while (key := self._next()) is not None:
                try:
                    opened.append(self._start(browser, tabs, *key))
                except Exception as error:  # noqa: BLE001 - reported by the tests that read the page
                    self._keep(key, error=error)
                while len(opened) >= WINDOW:
                    self._finish(opened.pop(0), tabs)
            while opened:
                self._finish(opened.pop(0), tabs)
        except BaseException as error:
            for record, *_ in opened:  # the pages this thread had open fail with it
                self._keep((record.lang, record.url), error=RuntimeError(f"the tour's thread stopped: {error!r}"))
            raise
        finally:
            for state in opened:
                state[1].close()

    def _start(self, browser, tabs: list[_Tab], lang: str, url: str) -> tuple:
        """Load the page, read what is only read, and start axe-core on it."""
        clock = _Clock()
        tab = tabs.pop(0) if tabs else None
        if tab is not None:
            try:
                tab.reset()
            except Exception:  # noqa: BLE001 - the earlier page's tab is broken: this page gets a new one
                tab.close()
                tab = None
        if tab is None:
            tab = _Tab(browser, self._new_context, self._visit_class, self.base_url)
        try:
            clock.lap("tab")
            page = tab.open(self._address(lang, url))
            clock.lap("load")
            record = PageRecord(lang, url)
            if (lang, url) in self._screenshots:
                path = self._screenshots[(lang, url)]
                path.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(path), full_page=False)
                record.screenshot = path
            record.articles = page.locator("article").count()
            record.html_lang = page.evaluate("document.documentElement.lang")
            record.directions = page.evaluate(_DIRECTIONS, list(DIRECTION_OF))
            record.inline_code = page.evaluate(ON_SCREEN)
            if lang in PREFIX_LETTER_LANGUAGES:
                record.plain_prefix_hyphens = page.evaluate(PLAIN_PREFIX_HYPHENS)
            if _has_code(url):
                record.code_widths["desktop"] = page.evaluate(CODE_WIDTHS)
            clock.lap("reads")
            styles = start_axe(page, self.contrast)
        except BaseException:
            tab.close()  # the next page gets a new one
            raise
        return record, tab, page, clock, styles

    def _finish(self, state: tuple, tabs: list[_Tab]) -> None:
        """Wait for axe-core, then click the copy buttons, and keep the record."""
        record, tab, page, clock, styles = state
        key = (record.lang, record.url)
        try:
            clock.lap("other pages")  # the time this page waited for the one before it
            record.serious = serious_violations(page, self.contrast, styles, self._address(*key))
            clock.lap("axe-core")
            if record.url.startswith("guides/"):
                record.copied = page.evaluate(_COPY_ALL, COPY_BUTTONS)
                if record.copied:
                    page.evaluate("navigator.clipboard.writeText('')")
                    page.locator(COPY_BUTTONS).first.click()
                    record.first_copied_by_mouse = page.evaluate("navigator.clipboard.readText()").rstrip("\n")
                record.output_copy_buttons = page.locator("article .snippet-output .md-code__button").count()
                clock.lap("copy buttons")
                record.switched = self._switch(page)
                clock.lap("switcher")
            if _has_code(record.url):
                page.set_viewport_size(PHONE)
                record.code_widths["phone"] = page.evaluate(CODE_WIDTHS)
                clock.lap("phone width")
            record.seconds = clock.laps
            record.problems = list(tab.visit.problems)
        except Exception as error:  # noqa: BLE001 - reported by the tests that read the page
            self._keep(key, error=error)
            tab.close()  # the next page gets a new one
        else:
            tabs.append(tab)
            self._keep(key, record=record)

    def _switch(self, page) -> dict[str, str]:
        """Click the switcher's link to every language, as a reader does (each points at the
        same page in its language: theme/partials/alternate.html) and note where each
        navigation goes (``SWITCH``: each is cancelled before it starts, and
        the page stays as it is); the page it asks for is this tour's record of that page,
        loaded like every other."""
        return page.evaluate(SWITCH, SWITCHER_LINKS)

    def _keep(self, key: tuple[str, str], record: PageRecord | None = None, error: BaseException | None = None):
        with self._done:
            self._spans[key].append(time.perf_counter())
            if record is not None:
                self._records[key] = record
            else:
                self._errors[key] = error
            self._done.notify_all()
