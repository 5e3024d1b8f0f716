"""pymorphy3's analyser of Russian (the OpenCorpora dictionary), loaded once per process:
the typography check reads which words take ё, the search index the forms of each word."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def analyzer():
    try:
        import pymorphy3
    except ImportError as error:  # pragma: no cover (it is in requirements/base.in)
        raise SystemExit("pymorphy3 (and pymorphy3-dicts-ru) are needed for Russian (the ё rule of "
                         "docs_tools.translation.typography, the search forms of docs_tools.search.forms); they are in "
                         "requirements/base.in: run `nox -s test` or install requirements/cpu.txt") from error
    return pymorphy3.MorphAnalyzer(lang="ru")
