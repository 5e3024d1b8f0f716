"""Memos for the warm builders of ``serve`` (``docs_tools.site.build.warm_builders``): a rebuild
redoes only what its edit changed.

Most of a rebuild's time goes to two steps whose result depends on their input alone:
Pygments highlighting a code block (the same blocks on every page of every language, in
every rebuild) and Material's search plugin parsing a page's HTML into index entries (the
same for every page the edit did not touch). In a process that builds again and again,
each is remembered under everything it reads. Strict builds (``nox -s docs``, the suite,
CI) never install these: they build each language once, in a new process.
``tests/site/test_serve.py`` proves a warm rebuild byte-identical to a cold build.

Why not mkdocs' own ``--dirty``: it leaves every other page's search entries out of the
index (Material keeps them only under ``mkdocs serve --dirty``) and does not rebuild pages
whose includes changed.
"""

from __future__ import annotations

import copy
import hashlib
from functools import wraps

_LIMIT = 20_000  # entries per memo: far more than the site has; a bound, not a policy
#: Memo hits in this process, by memo (the test that proves a warm rebuild unchanged
#: checks that the memos were used at all).
HITS = {"highlight": 0, "search": 0}


def _key(*parts) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _highlight_memo(highlight):
    memo: dict[str, str] = {}

    @wraps(highlight)
    def memoized(self, src, language, *args, **kwargs):
        # Not memoized: inline code (an element, not text) and titles (an HTML title is
        # stashed in this build's Markdown instance: the output names its placeholder).
        if (kwargs.get("inline") or (len(args) > 5 and args[5]) or kwargs.get("title")
                or len(args) > 9 or self.auto_title):
            return highlight(self, src, language, *args, **kwargs)
        # Everything else it reads is its options (the Markdown instance aside) and arguments.
        options = sorted((k, repr(v)) for k, v in vars(self).items() if k != "md")
        key = _key(options, src, language, args, sorted(kwargs.items()))
        if key not in memo:
            if len(memo) > _LIMIT:
                memo.clear()
            memo[key] = highlight(self, src, language, *args, **kwargs)
        else:
            HITS["highlight"] += 1
        return memo[key]

    return memoized


def _search_memo(add_entry_from_context):
    memo: dict[str, list] = {}

    @wraps(add_entry_from_context)
    def memoized(self, page):
        key = _key(sorted(self.config.items(), key=str), page.url, page.title, repr(page.meta), str(page.toc),
                   page.content)
        if key not in memo:
            before = len(self.entries)
            add_entry_from_context(self, page)
            if len(memo) > _LIMIT:
                memo.clear()
            memo[key] = copy.deepcopy(self.entries[before:])
        else:
            HITS["search"] += 1
            self.entries.extend(copy.deepcopy(memo[key]))

    return memoized


def install() -> None:
    """Memoize highlighting and search indexing in this process (once)."""
    from material.plugins.search.plugin import SearchIndex
    from pymdownx.highlight import Highlight

    if getattr(Highlight.highlight, "__wrapped__", None) is None:
        Highlight.highlight = _highlight_memo(Highlight.highlight)
    if getattr(SearchIndex.add_entry_from_context, "__wrapped__", None) is None:
        SearchIndex.add_entry_from_context = _search_memo(SearchIndex.add_entry_from_context)
