"""Every guide as a Jupyter notebook in every language: generated, executed, rendered.

    python -m docs_tools.site.notebooks          # rewrite notebooks/<lang>/<guide>.ipynb (nox -s outputs)
    python -m docs_tools.site.notebooks --check  # fail if a committed notebook is stale or hand-edited

Generation: a guide page becomes a notebook in page order: its prose as Markdown cells
(anchors and figure lines removed: the code cells draw the figures), each ``snippet``
fence as one code cell, its comments in the page's language (``docs_tools.translation.comments``;
the code itself is the module's). The committed notebooks carry no outputs; they are what
"Open in Colab" opens.

Publishing (``ensure_executed``, run by every build): each guide's code is executed once,
in a fresh kernel (``docs_tools.running.execution``, cached on everything that run depends on), and
its outputs must match ``snippets/*.out``. The pages of every language show the same
sections in the same order (checked here and by the tests), so that one run's outputs go
into every language's notebook. The executed notebooks (``build/notebooks``) are what the
site renders and offers for download, and the figures they draw become the pages' figures
(``build/figures/<module>/<section>.png``).
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import posixpath
import re
import sys
from pathlib import Path

import nbformat

from docs_tools.site.mathml import to_mathml as latex_to_mathml
from docs_tools.running import compare, execution, versions
from docs_tools.translation import comments, derived
from docs_tools.site import fence
from docs_tools import snippets
from docs_tools import languages as _languages

ROOT = snippets.ROOT
NOTEBOOKS_DIR = ROOT / "notebooks"
BUILD_DIR = ROOT / "build"
EXECUTED_DIR = BUILD_DIR / "notebooks"
FIGURES_DIR = BUILD_DIR / "figures"
GUIDES_DIR = "guides"

_HEADING_ANCHOR = re.compile(r"^(#{1,6} .*?)[ \t]+\{#[A-Za-z0-9_-]+\}[ \t]*$", re.MULTILINE)
_FIGURE_LINE = re.compile(r"^!\[[^\]]*\]\([^)]*figures/[^)]*\)[ \t]*\n?", re.MULTILINE)
_MD_LINK = re.compile(r"\]\((?P<target>[^)#\s:]+\.md)(?P<anchor>#[^)\s]*)?\)")
_MATH = re.compile(r"\$\$(?P<block>.+?)\$\$|(?<![\\$])\$(?P<inline>[^$\n]+?)\$", re.DOTALL)


# --- languages and guides ---------------------------------------------------------------

def languages() -> dict:
    return _languages.languages()


def reference_language() -> str:
    return _languages.reference()


def guides() -> list[str]:
    """Guide names: the pages under docs/<reference language>/guides/."""
    return sorted(p.stem for p in (ROOT / "docs" / reference_language() / GUIDES_DIR).glob("*.md"))


def page_path(lang: str, guide: str) -> Path:
    return languages()[lang].pages_dir / GUIDES_DIR / f"{guide}.md"


def notebook_path(lang: str, guide: str) -> Path:
    return NOTEBOOKS_DIR / lang / f"{guide}.ipynb"


def executed_path(lang: str, guide: str) -> Path:
    """Laid out as the site's ``notebooks/<guide>.ipynb`` under ``build/notebooks/<lang>``."""
    return EXECUTED_DIR / lang / "notebooks" / f"{guide}.ipynb"


# --- generation ---------------------------------------------------------------------------

def _prose(text: str, lang: str, guide: str) -> str:
    from docs_tools.translation.prose import strip_markers  # markdown-it is imported only where prose is read

    text = strip_markers(text)  # [[70,000]]: a prose-only number (docs_tools.translation.prose)
    text = _HEADING_ANCHOR.sub(r"\1", text)
    text = _FIGURE_LINE.sub("", text)
    for name, version in versions.pinned().items():
        text = text.replace(f"{{{{ versions.{name} }}}}", version)

    def relink(match: re.Match) -> str:
        # Links between pages point at the pages of the site, seen from the notebook's page
        # (notebooks/<guide>/); downloaded or in Colab, they are plain text links.
        page = posixpath.normpath(posixpath.join(GUIDES_DIR, match["target"]))
        url = "" if page == "index.md" else page[: -len(".md")] + "/"
        return f"]({posixpath.relpath(url or '.', f'notebooks/{guide}')}/{match['anchor'] or ''})"

    text = _MD_LINK.sub(relink, text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# Cells are made as nbformat's constructors make them, without validating each one (that
# took most of the time of a rebuild); the notebook is validated as a whole by the tests.
def _markdown_cell(source: str) -> nbformat.NotebookNode:
    return nbformat.from_dict({"cell_type": "markdown", "metadata": {}, "source": source})


def _code_cell(source: str) -> nbformat.NotebookNode:
    return nbformat.from_dict({"cell_type": "code", "metadata": {}, "execution_count": None,
                               "source": source, "outputs": []})


def generate(lang: str, guide: str) -> nbformat.NotebookNode:
    # A derived language's page is converted here from its source (docs_tools.translation.derived), so the
    # notebooks need no generated pages on disk.
    text = derived.page_text(lang, f"{GUIDES_DIR}/{guide}.md")
    cells = []
    position = 0
    for match in snippets.FENCE.finditer(text):
        prose = _prose(text[position:match.start()], lang, guide)
        if prose:
            cells.append(_markdown_cell(prose))
        section = snippets.resolve(match["ref"])
        cell = _code_cell(comments.localize(section, lang).rstrip("\n"))  # comments in the page's language
        cell.metadata["tfguides"] = {"snippet": match["ref"].strip()}
        cells.append(cell)
        position = match.end()
    tail = _prose(text[position:], lang, guide)
    if tail:
        cells.append(_markdown_cell(tail))
    if cells and cells[0].cell_type == "markdown":
        tested = languages()[lang].labels["tested_with"].format(**versions.pinned(),
                                                                device=fence.produced_on(text))
        title, _, rest = cells[0].source.partition("\n")
        cells[0].source = f"{title}\n\n*{tested}*\n{rest}".rstrip()
    for number, cell in enumerate(cells):
        cell["id"] = f"{guide}-{number:03d}"
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    }
    return notebook


def serialize(notebook: nbformat.NotebookNode) -> str:
    return nbformat.v4.writes_json(notebook) + "\n"  # nbformat.writes, minus validating again


def _shown(path: Path) -> str:
    return f"notebooks/{path.relative_to(NOTEBOOKS_DIR).as_posix()}"


def _among(only: set[str] | None) -> list[str]:
    return [guide for guide in guides() if only is None or guide in only]


def stale(only: set[str] | None = None) -> list[str]:
    """Committed notebooks (of the guides in ``only``, default all) that differ from what
    the pages and snippets generate now, and notebooks of no guide."""
    problems = []
    for guide in _among(only):
        for lang in languages():
            path = notebook_path(lang, guide)
            if not path.is_file() or path.read_text(encoding="utf-8") != serialize(generate(lang, guide)):
                problems.append(f"{_shown(path)} is stale or was edited by hand: "
                                "notebooks are generated; run `nox -s outputs`")
    known = {notebook_path(lang, guide) for guide in guides() for lang in languages()}
    problems += [f"{_shown(path)} belongs to no guide: delete it"
                 for path in NOTEBOOKS_DIR.glob("*/*.ipynb") if path not in known]
    return problems


def write_all(only: set[str] | None = None) -> None:
    """Write the committed notebooks (of the guides in ``only``, default all)."""
    for guide in _among(only):
        for lang in languages():
            path = notebook_path(lang, guide)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(serialize(generate(lang, guide)), encoding="utf-8")


def code_cells(notebook: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


# --- execution ---------------------------------------------------------------------------

def _mathml(text: str) -> str:
    def convert(match: re.Match) -> str:
        if match["block"] is not None:
            return latex_to_mathml(match["block"].strip(), display="block")
        return latex_to_mathml(match["inline"], display="inline")

    # Formulas outside code spans become MathML, as on the pages: no MathJax from a CDN.
    parts = re.split(r"(`[^`]*`)", text)
    return "".join(part if part.startswith("`") else _MATH.sub(convert, part) for part in parts)


def check_against_pages(run: execution.Execution) -> list[str]:
    """What makes an execution differ from its pages: an error, or a printed output that
    is not the one the pages show."""
    problems = run.problems()
    if problems:
        return problems
    for cell in run.cells.values():
        section = snippets.resolve(cell.ref)
        diff = compare.difference(snippets.expected_output(section), cell.printed, **compare.tolerance(section.options))
        if diff:
            problems.append(f"{section.ref}: the output on the page is not what the code prints now: {diff}. "
                            "If the new output is right, run `nox -s outputs` and review the diff of "
                            f"{snippets.relative(snippets.output_path(section.module))}.")
    return problems


def _publish(guide: str, run: execution.Execution) -> None:
    reference = reference_language()
    refs = [cell.ref for cell in run.cells.values()]
    for lang in languages():
        source = notebook_path(lang, guide).read_bytes()
        stamp = executed_path(lang, guide).with_suffix(".key")
        published = hashlib.sha256(run.key.encode() + source + Path(__file__).read_bytes()).hexdigest()
        if stamp.is_file() and stamp.read_text() == published and executed_path(lang, guide).is_file():
            continue  # this language's notebook and the run are what was published last
        notebook = nbformat.reads(source.decode("utf-8"), as_version=4)
        shown = [cell.metadata["tfguides"]["snippet"] for cell in notebook.cells if cell.cell_type == "code"]
        if shown != refs:
            raise snippets.SnippetError(
                f"{notebook_path(lang, guide).relative_to(ROOT)} does not show the sections of "
                f"snippets/{guide}.py in their order: a guide page shows each section of its module once, "
                f"in file order (then run `nox -s outputs`); the {reference} page is the reference")
        cells = iter(run.cells.values())
        for cell in notebook.cells:
            if cell.cell_type == "code":
                ran = next(cells)
                cell.outputs, cell.execution_count = ran.outputs, ran.execution_count
            else:
                cell.source = _mathml(cell.source)
        _write_if_changed(executed_path(lang, guide), nbformat.v4.writes_json(notebook).encode())
        stamp.write_text(published)
    drawn = {figures_dir(run.module) / f"{name}.png": cell.figures[0] for name, cell in run.cells.items()
             if cell.figures}
    for stale_figure in set(figures_dir(run.module).glob("*.png")) - set(drawn):
        stale_figure.unlink()
    for path, image in drawn.items():
        _write_if_changed(path, image)


def _write_if_changed(path: Path, data: bytes) -> None:
    """Unchanged files keep their time stamps, so a rebuild sees only what changed."""
    if path.is_file() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def figures_dir(module: Path) -> Path:
    return BUILD_DIR / Path(snippets.figure_path(module, "x")).parent


def guide_modules() -> list[Path]:
    """The snippet module of each guide: docs/<reference>/guides/<guide>.md runs snippets/<guide>.py."""
    found = []
    for guide in guides():
        module = execution.guide_module(guide)
        if not module.is_file():
            raise snippets.SnippetError(f"docs/{reference_language()}/{GUIDES_DIR}/{guide}.md has no snippet module: "
                                        f"its code lives in snippets/{guide}.py")
        found.append(module)
    return found


def ensure_executed(only: set[str] | None = None) -> None:
    """Each guide's execution (``docs_tools.running.execution``: once, cached), checked against the
    pages, published as executed notebooks in every language and as figures. Raises on any
    error. ``only``: the guides whose committed notebooks may have changed since the last
    check (serve rewrites those it knows an edit changed); default all."""
    problems = stale(only)
    if problems:
        raise snippets.SnippetError("\n".join(problems))
    runs = execution.run_all(guide_modules())
    for module, run in runs.items():
        problems = check_against_pages(run)
        if problems:
            raise snippets.SnippetError(f"the notebook of '{module.stem}':\n" + "\n".join(problems))
    EXECUTED_DIR.mkdir(parents=True, exist_ok=True)
    with open(EXECUTED_DIR / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for module, run in runs.items():
            _publish(module.stem, run)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale notebooks")
    args = parser.parse_args(argv)
    if args.check:
        problems = stale()
        print("\n".join(problems) or "notebooks are up to date", file=sys.stderr)
        return 1 if problems else 0
    write_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
