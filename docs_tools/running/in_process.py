"""Run snippet sections in this process, in order, in one namespace.

The guides themselves are executed in a fresh kernel (``docs_tools.running.execution``). This
in-process runner is the benchmark's floor (``nox -s bench``: the snippets' code and
nothing else) and what the unit tests of the checks use. Printed output is captured; figures a section draws are collected as PNG and
closed, so a section's ``plt.show()`` is a no-op here, as in any non-interactive run.

A section may end with an expression whose value is an image, as
``keras.utils.plot_model(...)`` returns: a notebook displays it, so it is collected as
that section's figure. Any other value left by a final expression is an error, because a
notebook would show it and a script would not: the section should ``print`` it.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import io
import os
import sys
import tempfile
import warnings
from collections.abc import Iterator

from docs_tools.snippets import Section, SnippetError

# Matplotlib draws off screen; set before pyplot is first imported by a snippet.
os.environ.setdefault("MPLBACKEND", "Agg")
# TensorFlow's C++ start-up notices go to stderr and are not part of any page.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
#: Keras sizes ``model.summary()`` tables to the terminal (at most 88 columns for a simple
#: model, 108 for a branching one, minus 4). Every run of the guides (checks, outputs,
#: notebooks) pretends an 80-column terminal, so tables are the same wherever they ran.
TERMINAL_COLUMNS = "80"
os.environ["COLUMNS"] = TERMINAL_COLUMNS


@dataclasses.dataclass
class Run:
    printed: str
    figures: list[bytes]  # PNG images, in the order the section created them


def _png(figure) -> bytes:
    buffer = io.BytesIO()
    # PNG, not SVG: a scatter plot of 2,000 points is ~40 KB as PNG and ~320 KB as SVG.
    figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None}, bbox_inches="tight")
    return buffer.getvalue()


def run_section(section: Section, namespace: dict) -> Run:
    """Execute ``section`` in ``namespace``; tracebacks point at the snippet module's lines."""
    source = "\n" * (section.first_line - 1) + section.code
    tree = ast.parse(source, str(section.module))
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*non-interactive.*cannot be shown")
        exec(compile(tree, str(section.module), "exec"), namespace)
        value = None
        if last is not None:
            value = eval(compile(ast.Expression(last.value), str(section.module), "eval"), namespace)
    figures: list[bytes] = []
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        for number in pyplot.get_fignums():
            figures.append(_png(pyplot.figure(number)))
        pyplot.close("all")
    if value is not None:
        image = getattr(value, "_repr_png_", lambda: None)()
        if image is None:
            raise SnippetError(f"{section.ref} ends with an expression whose value ({type(value).__name__}) "
                               "a notebook would display and a script would not: print() it, or assign it")
        figures.append(image)
    return Run(stdout.getvalue(), figures)


def fresh_namespace(module_name: str = "__main__") -> dict:
    return {"__name__": module_name, "__builtins__": __builtins__}


@contextlib.contextmanager
def scratch_directory() -> Iterator[str]:
    """Run in an empty working directory, as a reader would: files the code saves
    (weights, models) land there and are removed afterwards, never in the repository."""
    previous = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="tfguides-run-") as directory:
        os.chdir(directory)
        try:
            yield directory
        finally:
            os.chdir(previous)


def run_module(module, namespace: dict | None = None) -> dict[str, Run]:
    """Run every section of ``module`` in order, in this process, in ``namespace`` (default:
    a fresh one) and an empty working directory. The guides themselves are executed in a
    fresh kernel (``docs_tools.running.execution``); this in-process run is the benchmark's floor."""
    from docs_tools.snippets import sections

    namespace = fresh_namespace() if namespace is None else namespace
    runs = {}
    with scratch_directory():
        for name, section in sections(module).items():
            try:
                runs[name] = run_section(section, namespace)
            except Exception as error:
                raise SnippetError(f"{section.ref} raised {type(error).__name__}: {error}") from error
    return runs
