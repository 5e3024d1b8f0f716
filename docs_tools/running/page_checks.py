"""Sybil checks for pages: every ``snippet`` fence prints what the page shows.

Each fence of a page is one example. The code is not run here: the guide was executed
once, top to bottom, in a fresh kernel (``docs_tools.running.execution``), and each example reads
what its section did in that run: it compares the printed output with the output the page
shows (see ``docs_tools.running.compare`` for the tolerance), reports the error if the section
failed, and requires that a figure the section drew is shown on the page before the next
fence.
"""

from __future__ import annotations

import re

from sybil import Example, Region
from sybil.parsers.markdown.lexers import FencedCodeBlockLexer

from docs_tools.running import compare, execution
from docs_tools import snippets

_NEXT_FENCE = re.compile(r"^```snippet", re.MULTILINE)


def evaluate(example: Example) -> str | None:
    section = snippets.resolve(example.parsed)
    run = execution.run(section.module)
    cell = run.cells.get(section.name)
    if cell is None:
        return (f"{section.ref} did not run: the guide stopped at an earlier section.\n{run.error}" if run.error
                else f"{section.ref} did not run")
    if cell.error:
        return cell.error
    shown = snippets.expected_output(section)
    diff = compare.difference(shown, cell.printed, **compare.tolerance(section.options))
    if diff:
        return (f"{section.ref}: the output on the page is not what the code prints now: {diff}.\n"
                "If the new output is right, run `nox -s outputs` and review the diff of "
                f"{snippets.relative(snippets.output_path(section.module))}.")
    if len(cell.figures) > 1:
        return f"{section.ref} draws {len(cell.figures)} figures; a section draws at most one"
    if cell.figures:
        text = example.document.text
        following = _NEXT_FENCE.search(text, example.region.end)
        shown_here = text[example.region.end:following.start() if following else len(text)]
        figure = snippets.figure_path(section.module, section.name)
        if figure not in shown_here:
            return (f"{section.ref} draws a figure, but the page does not show it after the fence: "
                    f"add ![description](<path to the site root>/{figure})")
    return None


class SnippetParser:
    """Finds the page's ```snippet fences; each becomes one checked example."""

    def __init__(self) -> None:
        self.lexer = FencedCodeBlockLexer(language="snippet")

    def __call__(self, document) -> list[Region]:
        return [Region(lexed.start, lexed.end, parsed=lexed.lexemes["source"].strip(),
                       evaluator=evaluate)
                for lexed in self.lexer(document)]
