"""Run every page of every language as a reader would, and check every output it shows.

Each ```snippet fence of docs/<lang>/**/*.md is one test (see docs_tools/sybil.py).
"""

from sybil import Sybil

import docs_tools.network  # noqa: F401  (before TensorFlow: see its docstring)

from docs_tools.execute import fresh_namespace, scratch_directory
from docs_tools.sybil import SnippetParser


def _fresh_session(namespace: dict) -> None:
    """Each page starts like a new Python session, in an empty working directory."""
    namespace.update(fresh_namespace())
    namespace["__scratch__"] = scratch_directory()
    namespace["__scratch__"].__enter__()


def _end_session(namespace: dict) -> None:
    namespace["__scratch__"].__exit__(None, None, None)


pytest_collect_file = Sybil(
    parsers=[SnippetParser()],
    patterns=["*.md"],
    setup=_fresh_session,
    teardown=_end_session,
).pytest()
