"""Check every output every page shows.

Each ```snippet fence of docs/<reference language>/**/*.md is one test (see
docs_tools/running/page_checks.py). It reads the guide's one execution, top to bottom in a fresh kernel
(docs_tools/running/execution.py), which also feeds the build and the notebooks: no code runs here.
The other languages' pages are proven to show the same fences and figures in the same
order (tests/test_sources.py::test_translations_have_the_same_structure), and a fence
expands to the same code and output in every language, so they are not checked again.
"""

from sybil import Sybil

from docs_tools.site.notebooks import reference_language
from docs_tools.running.page_checks import SnippetParser

pytest_collect_file = Sybil(
    parsers=[SnippetParser()],
    path=reference_language(),
    patterns=["*.md"],
).pytest()
