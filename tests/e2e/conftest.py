"""Browser tests: the built site, served on localhost, driven in headless Chromium.

Run by `nox -s e2e` (and by `nox -s test` after the main suite, where Chromium is
installed). Playwright drives the system's Chromium (Debian's `chromium` package): set
CHROMIUM to use another binary. Nothing may be requested from any address but the site's
own (``new_context``).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from docs_tools.site import build as site_tool
from docs_tools.site import fingerprint
from docs_tools.snippets import ROOT
from search_box import SearchBox
from tour import DESKTOP, SCREENSHOT_PAGE, SCREENSHOTS, PageTour

#: Where the browser tests build the site they serve.
SITE_DIR = ROOT / "build" / "e2e-site"

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 # Several pages are open at a time (tests/e2e/tour.py: WINDOW in each of its
                 # THREADS): none may be throttled as a background page while another is read.
                 "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                 "--disable-backgrounding-occluded-windows"]


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)
    # The tests that read the page tour run last: the tour records every page in the
    # background from the session's start (the `tour` fixture), while the others run.
    items.sort(key=lambda item: "tour" in getattr(item, "fixturenames", ()))


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


#: Which site the run served, and why (printed at the end of the run).
SERVED = pytest.StashKey[str]()


@pytest.fixture(scope="session")
def site_dir(request) -> Path:
    """The site: the CPU suite's build if it was made from the project's files as they are now
    (``nox -s test`` runs the CPU suite first: docs_tools/site/fingerprint.py), else built here,
    once. TFGUIDES_E2E_SITE=DIR serves one built already instead (to measure an earlier
    build, e.g. the search hit rates before a change)."""
    if os.environ.get("TFGUIDES_E2E_SITE"):
        served = Path(os.environ["TFGUIDES_E2E_SITE"]).resolve()
        why = "TFGUIDES_E2E_SITE"
    elif fingerprint.current(fingerprint.TEST_SITE):
        served, why = fingerprint.TEST_SITE, "the CPU suite's build, made from the files as they are now"
    else:
        site_tool.build(SITE_DIR)
        served, why = SITE_DIR, "built by this run"
    request.config.stash[SERVED] = f"{served.relative_to(ROOT) if served.is_relative_to(ROOT) else served} ({why})"
    return served


@pytest.fixture(scope="session")
def base_url(site_dir):
    """The built site, served on a free localhost port."""
    root = site_dir
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def launch(playwright):
    """Headless Chromium, as every browser test drives it."""
    executable = chromium_path()
    if not executable:
        pytest.fail("No Chromium found: install it (apt-get install -y chromium) or set CHROMIUM")
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


#: A port on this machine that refuses every connection: bound, never listening, and held
#: for the session, so no other process can take it. Every browser context is given it as
#: its proxy for all but its site's own address (``new_context``).
_REFUSER = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
_REFUSER.bind(("127.0.0.1", 0))
REFUSING_PROXY = f"http://127.0.0.1:{_REFUSER.getsockname()[1]}"


class Visit:
    """A browser tab that records console errors, failed requests and requests for any
    address but its site's own. Its context (``new_context``) is what refuses the latter."""

    def __init__(self, context, base_url: str):
        self.base_url = base_url
        self.page = context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("request", lambda r: self._elsewhere(r.url)
                     and self.problems.append(f"third-party request: {r.url}"))
        # net::ERR_ABORTED is the browser cancelling a request because the test navigated
        # away (search loads its language files lazily); server errors are caught below. A
        # request for another address is reported once, above, not again when it is refused.
        self.page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "") and not self._elsewhere(r.url)
                     and self.problems.append(f"failed: {r.url} ({r.failure})"))
        self.page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))

    def _elsewhere(self, url: str) -> bool:
        return not url.startswith((self.base_url, "data:", "blob:"))

    def open(self, path: str, wait_until: str = "load"):
        """Go to ``path`` and return once its load event fired (scripts, styles, fonts and
        images loaded). The visit's listeners keep recording until its context closes (or, in
        the page tour, until its tab goes on to the next page), so a later request or error
        still counts; "networkidle" (no request for 500 ms) where a
        test asserts that nothing more was requested."""
        self.page.goto(self.base_url + path, wait_until=wait_until)
        return self.page


def new_context(browser, site: str, **options):
    """A fresh browser context as a reader's (desktop window, no service worker, clipboard
    allowed; ``options`` for another window) that reaches ``site``'s address and no other:
    every other request, for any host or port (this machine's included), goes to
    ``REFUSING_PROXY`` and fails there before anything is sent. Chromium refuses them itself,
    so no request waits on Playwright: routing even one pattern with ``page.route`` pauses
    every request of the page for Playwright's driver to match, and turns the HTTP cache off
    (2026-12-05: about 0.25 CPU-seconds a page of the tour). The bypass list starts with
    ``<-loopback>`` (Chromium otherwise never proxies this machine's addresses; Playwright
    adds it too, unless an environment variable tells it not to)."""
    options = {"service_workers": "block", "viewport": dict(DESKTOP), **options}
    context = browser.new_context(proxy={"server": REFUSING_PROXY, "bypass": f"<-loopback>,{urlparse(site).netloc}"},
                                  **options)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    return context


@pytest.fixture
def make_context(browser, base_url):
    """Makes a context (``new_context``) for the site, with other options (a phone's window),
    or for another site (``site``: TensorBoard's); each is closed after the test."""
    made = []

    def make(site: str = base_url, **options):
        made.append(new_context(browser, site, **options))
        return made[-1]

    yield make
    for context in made:
        context.close()


@pytest.fixture
def context(make_context):
    return make_context()


@pytest.fixture
def visit(context, base_url):
    return Visit(context, base_url)


def address(lang: str, url: str) -> str:
    """Where ``url`` (a location in the reference language, "guides/tensors/") is served in ``lang``."""
    prefix = site_tool.languages()[lang]
    return f"{prefix}/{url}" if prefix else url


@pytest.fixture(scope="session")
def search_box(browser, base_url):
    """language -> its home page's search box (tests/e2e/search_box.py), each opened once, in a
    context of its own, by the first test that types into it."""
    boxes: dict[str, SearchBox] = {}
    contexts = []

    def open_box(lang: str) -> SearchBox:
        if lang not in boxes:
            contexts.append(new_context(browser, base_url))
            boxes[lang] = SearchBox(Visit(contexts[-1], base_url), address(lang, ""))
        return boxes[lang]

    yield open_box
    for context in contexts:
        context.close()


#: The page records of the run (tests/e2e/tour.py), whose cost is printed at the end.
TOUR = pytest.StashKey[PageTour]()


@pytest.fixture(scope="session", autouse=True)
def _page_tour_from_the_start(request):
    """Starts the page tour with the session's first browser test, if any test reads it."""
    if any("tour" in getattr(item, "fixturenames", ()) for item in request.session.items):
        request.getfixturevalue("tour")


@pytest.fixture(scope="session")
def tour(request, base_url):
    """Every page loaded once, for all the checks that read it: recorded from the session's
    start in threads of its own, in tabs that go from page to page (tests/e2e/tour.py)."""
    screenshots = {(lang, SCREENSHOT_PAGE): SCREENSHOTS / f"tensors-{lang}-desktop.png"
                   for lang in site_tool.languages()}
    from docs_tools.site import notebooks
    from markdown_pages import LANGUAGES, REFERENCE, pages

    urls = []
    for path in pages(REFERENCE):
        relative = path.relative_to(ROOT / "docs" / REFERENCE).with_suffix("").as_posix()
        urls.append("" if relative == "index" else f"{relative}/")
    urls += [f"notebooks/{guide}/" for guide in notebooks.guides()]
    every_page = [(lang, url) for lang in LANGUAGES for url in urls]
    tour = PageTour(base_url, launch, new_context, Visit, address, screenshots, every_page)
    request.config.stash[TOUR] = tour
    tour.start()
    yield tour
    tour.stop()


#: Hit rates of the search tests (tests/e2e/test_search.py), printed at the end of the run.
SEARCH_RATES = pytest.StashKey[dict]()


def pytest_configure(config):
    config.stash[SEARCH_RATES] = {}


@pytest.fixture
def search_rates(request) -> dict:
    """language -> ({kind of query: (hits, queries)}, [missed queries]), printed after the run."""
    return request.config.stash[SEARCH_RATES]


def pytest_terminal_summary(terminalreporter, config):
    served = config.stash.get(SERVED, None)
    if served:
        terminalreporter.write_line(f"browser tests: the site served was {served}")
    tour = config.stash.get(TOUR, None)
    if tour is not None and tour.cost():
        terminalreporter.section("browser: what the pages cost")
        for line in tour.cost():
            terminalreporter.line(line)
    rates = config.stash.get(SEARCH_RATES, {})
    if not rates:
        return
    terminalreporter.section("search: the guide among the first 5 pages of results")
    for lang, (kinds, misses) in rates.items():
        for kind, (hits, total) in kinds.items():
            terminalreporter.line(f"{lang:8} {kind:16} {hits:3} of {total:3}  {100 * hits / total:5.1f} %")
        for miss in misses:
            terminalreporter.line(f"{lang:8} missed: {miss}")
