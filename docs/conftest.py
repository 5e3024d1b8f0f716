"""Run every page as a reader would, and check every output it shows.

Each ```snippet fence of docs/<reference language>/**/*.md is one test (see
docs_tools/sybil.py). The other languages' pages are proven to show the same fences and
figures in the same order (tests/test_sources.py::test_translations_have_the_same_structure),
and a fence expands to the same code and output in every language, so running them again
would run the same code and compare the same outputs three more times.
"""

from sybil import Sybil

import docs_tools.network  # noqa: F401  (before TensorFlow: see its docstring)
from docs_tools import datasets

if not datasets.real_data_requested():  # nox -s realdata downloads the real datasets
    datasets.use_stand_ins()

from docs_tools.execute import fresh_namespace, scratch_directory
from docs_tools.notebooks import reference_language
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
    path=reference_language(),
    patterns=["*.md"],
    setup=_fresh_session,
    teardown=_end_session,
).pytest()
