"""Run every page of every language as a reader would, and check every output it shows.

Each ```snippet fence of docs/<lang>/**/*.md is one test (see docs_tools/sybil.py).
"""

from sybil import Sybil

import docs_tools.network  # noqa: F401  (before TensorFlow: see its docstring)

from docs_tools.execute import fresh_namespace
from docs_tools.sybil import SnippetParser


def _fresh_session(namespace: dict) -> None:
    namespace.update(fresh_namespace())


pytest_collect_file = Sybil(
    parsers=[SnippetParser()],
    patterns=["*.md"],
    setup=_fresh_session,
).pytest()
