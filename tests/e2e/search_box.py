"""The search box of each language's home page, opened once for the search tests that type
into it once the index is ready (tests/e2e/test_search.py, tests/e2e/test_browser.py).

Each such page is loaded once: its search index fetched and turned into Material's search
index in its worker once, not once per test (they were twelve loads and index builds for
five languages). A query typed while the index is still loading is tested on a page of its
own (``typed_while_loading``, in test_search.py's index test). The box's record of console
errors and failed requests is shared by the tests that use it: an error fails the test
that made it and every later one of that language.
"""

from __future__ import annotations

#: The results line (it says the placeholder for the empty query).
META = ".md-search-result__meta"
#: How the search index's address ends.
INDEX = "/search/search_index.json"

#: Watches the search box's results for the next query: resolves with the result links'
#: ``href``s at the first change of the results line, after this call, that does not say
#: the placeholder (which is all the empty query shows). Material searches only when the
#: box's value changed, at a key's release: so the next query's keys (select all, the text
#: typed over it, End) start one search, whose answer sets that line and the first ten
#: results in one task; a MutationObserver sees both, and nothing is polled (Playwright's
#: wait_for_function polls on every animation frame).
_WATCH = """([sel, placeholder]) => {
  window.__searchAnswered = new Promise(resolve => {
    const meta = document.querySelector(sel);
    const observer = new MutationObserver(() => {
      if (meta.textContent === placeholder) return;
      observer.disconnect();
      resolve([...document.querySelectorAll(".md-search-result__link")].map(a => a.getAttribute("href")));
    });
    observer.observe(meta, {childList: true, characterData: true, subtree: true});
  });
}"""
#: Waits (at most 10 s from this call) for the answer ``_WATCH`` watched for, and watches for
#: the next one before it returns; returns the box's value with the result links. If the box's
#: value is the one the last answer was for (the same text typed again, or a text the page's
#: folding script turned into it: ё typed, е searched), Material starts no search, and the
#: last answer stands (``hrefs`` null).
_ANSWER_AND_WATCH = """async ([sel, placeholder, last]) => {
  const value = document.querySelector("input.md-search__input").value;
  if (value === last) return {value, hrefs: null};
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`search: no results after 10 s for '${value}'`)), 10000);
  });
  const hrefs = await Promise.race([window.__searchAnswered, late]).finally(() => clearTimeout(timer));
  (""" + _WATCH + """)([sel, placeholder]);
  return {value, hrefs};
}"""


class SearchBox:
    """One language's home page, its search box reached for with the search key ("/")."""

    def __init__(self, visit, path: str):
        self.visit = visit
        self.page, self.placeholder, self.index_with_the_page, self._requested = _reach(visit, path)
        # The line is empty until the search worker has the index and answers the empty query.
        self.page.wait_for_function("([sel, text]) => document.querySelector(sel).textContent === text",
                                    arg=[META, self.placeholder], timeout=10000)
        self.box = self.page.locator("input.md-search__input")
        self.page.evaluate(_WATCH, [META, self.placeholder])
        #: The box's value the last answer was for, and its result links
        self._searched: str | None = None
        self._hrefs: list[str] = []
        #: What broke the box (a search that got no answer): its later searches fail with it
        self._broken: BaseException | None = None

    @property
    def index_requests(self) -> list[str]:
        """Every request for the index so far."""
        return list(self._requested)

    def search(self, text: str) -> list[str]:
        """Type ``text`` over the last query with real keys: the result links' ``href``s.
        Text not on a US keyboard arrives as insertText, as an input method sends it;
        Material searches on keyup, so a real key ends the query."""
        if self._broken is not None:
            raise RuntimeError(f"this search box failed earlier, so its answers can no longer be told apart: "
                               f"{self._broken}") from self._broken
        try:
            self.box.press("Control+a")
            self.page.keyboard.insert_text(text)
            self.box.press("End")
            answer = self.page.evaluate(_ANSWER_AND_WATCH, [META, self.placeholder, self._searched])
        except Exception as error:  # a late answer would resolve the next search's wait
            self._broken = error
            raise
        if answer["hrefs"] is not None:
            self._searched, self._hrefs = answer["value"], answer["hrefs"]
        return list(self._hrefs)

    def highlighted(self) -> set[str]:
        """The words the results shown now highlight."""
        return {mark.lower() for mark in self.page.locator(".md-search-result mark").all_inner_texts()}


def _reach(visit, path: str):
    """Open ``path`` (until nothing more was requested for 500 ms, so a fetch of the index
    with the page would have been seen) and press the search key: the page, its
    placeholder, the index's requests made with the page, and the list the later ones go to."""
    requested: list[str] = []
    visit.page.on("request", lambda r: r.url.endswith(INDEX) and requested.append(r.url))
    page = visit.open(path, wait_until="networkidle")
    with_the_page = list(requested)
    placeholder = page.evaluate(
        "JSON.parse(document.getElementById('__config').textContent).translations['search.result.placeholder']")
    page.keyboard.press("/")
    return page, placeholder, with_the_page, requested


def typed_while_loading(visit, path: str, text: str) -> dict:
    """A reader who presses the search key on ``path`` and types ``text`` at once, before the
    index has loaded: what the results line said as they typed, the result links once the
    first one shows (Material answers the query when its worker has the index; it may say
    "no matching documents" for a moment before), and the index's requests, with the page
    and in all."""
    page, placeholder, with_the_page, requested = _reach(visit, path)
    line = page.evaluate(f"document.querySelector({META!r}).textContent")
    page.keyboard.insert_text(text)
    page.locator("input.md-search__input").press("End")
    links = page.locator(".md-search-result__link")
    links.first.wait_for(timeout=15000)
    return {"line": line, "placeholder": placeholder, "hrefs": [a.get_attribute("href") for a in links.all()],
            "index_with_the_page": with_the_page, "index_requests": list(requested)}
