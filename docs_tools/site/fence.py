"""The ``snippet`` fence: how a page shows code (pages never carry code of their own).

A page writes, on lines of their own at the start of a line::

    ```snippet
    tensors.py:ones
    ```

and gets the section's code as a ``python`` block (with a copy button) followed, if the
section prints anything, by its output in a block without one. The code comes from the
snippet module and the output from its ``.out`` file, exactly the texts the tests check;
its comments are in the page's language (``docs_tools.translation.comments``: only the
comments differ, and a comment without a translation stops the build naming it).
"""

from __future__ import annotations

import re

from markdown import Extension
from markdown.preprocessors import Preprocessor

from docs_tools import snippets
from docs_tools.translation import comments

FENCE = snippets.FENCE


def produced_on(page_text: str) -> str:
    """The device kind the outputs a page shows were produced on ("CPU, x86-64"), from
    the headers of the output files of the modules its fences name."""
    modules = dict.fromkeys(snippets.resolve(match["ref"]).module for match in FENCE.finditer(page_text))
    return " / ".join(dict.fromkeys(snippets.provenance(module)["device"] for module in modules))


def _fence(info: str, body: str) -> str:
    longest = max((len(m) for m in re.findall(r"`{3,}", body)), default=2)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{body.rstrip()}\n{ticks}"


def expand(text: str, output_label: str, lang: str | None = None) -> str:
    """Replace every snippet fence in ``text`` with the section's code (its comments in
    ``lang``, default the reference language's) and output blocks."""

    def replace(match: re.Match) -> str:
        section = snippets.resolve(match["ref"])
        blocks = [_fence("python", comments.localize(section, lang) if lang else section.code)]
        shown = snippets.expected_output(section)
        if shown:
            blocks.append(_fence(f' {{ .text .no-copy .snippet-output title="{output_label}" }}', shown))
        return "\n\n".join(blocks)

    return FENCE.sub(replace, text)


class _SnippetPreprocessor(Preprocessor):
    def __init__(self, md, output_label: str, lang: str | None):
        super().__init__(md)
        self.output_label = output_label
        self.lang = lang

    def run(self, lines: list[str]) -> list[str]:
        return expand("\n".join(lines), self.output_label, self.lang).split("\n")


class SnippetExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {"output_label": ["Output", "Title of the block that shows printed output"],
                       "lang": ["", "The page's language: the comments of the code are in it"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md):
        # Before superfences (priority 25) so the blocks it writes are rendered like any other.
        md.preprocessors.register(_SnippetPreprocessor(md, self.getConfig("output_label"),
                                                       self.getConfig("lang") or None),
                                  "tfguides_snippet", 40)


def makeExtension(**kwargs):  # noqa: N802 (Markdown's naming)
    return SnippetExtension(**kwargs)
