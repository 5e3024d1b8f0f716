"""Sybil checks for pages: every ``snippet`` fence, run in page order, prints what the page shows.

Each page is one namespace, like a reader's Python session. For every fence the check runs
the section's code, compares what it printed with the output the page shows (see
``docs_tools.compare`` for the tolerance), and requires that a figure the section draws is
shown on the page before the next fence.
"""

from __future__ import annotations

import re

from sybil import Example, Region
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer

from . import compare, execute, notebooks, snippets

_NEXT_FENCE = re.compile(r"^```snippet", re.MULTILINE)


def evaluate(example: Example) -> str | None:
    section = snippets.resolve(example.parsed)
    run = execute.run_section(section, example.namespace)
    shown = snippets.expected_output(section)
    diff = compare.difference(shown, run.printed, **compare.tolerance(section.options))
    if diff:
        return (f"{section.ref}: the output on the page is not what the code prints now: {diff}.\n"
                "If the new output is right, run `nox -s outputs` and review the diff of "
                f"{snippets.relative(snippets.output_path(section.module))}.")
    if run.figures:
        text = example.document.text
        following = _NEXT_FENCE.search(text, example.region.end)
        shown_here = text[example.region.end:following.start() if following else len(text)]
        figure = notebooks.figures_dir(section.module).relative_to(notebooks.FIGURES_DIR) / f"{section.name}.png"
        if f"figures/{figure.as_posix()}" not in shown_here:
            return (f"{section.ref} draws a figure, but the page does not show it after the fence: "
                    f"add ![description](<path to the site root>/figures/{figure.as_posix()})")
    return None


class SnippetParser:
    """Finds the page's ```snippet fences; each becomes one checked example."""

    def __init__(self) -> None:
        self.lexer = FencedCodeBlockLexer(language="snippet")

    def __call__(self, document) -> list[Region]:
        return [Region(lexed.start, lexed.end, parsed=lexed.lexemes["source"].strip(),
                       evaluator=evaluate)
                for lexed in self.lexer(document)]
