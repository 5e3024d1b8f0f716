"""Every guide as a Jupyter notebook in every language: generated, executed, rendered.

    python -m docs_tools.notebooks          # rewrite notebooks/<lang>/<guide>.ipynb (nox -s outputs)
    python -m docs_tools.notebooks --check  # fail if a committed notebook is stale or hand-edited

Generation: a guide page becomes a notebook in page order: its prose as Markdown cells
(anchors and figure lines removed: the code cells draw the figures), each ``snippet``
fence as one code cell. The committed notebooks carry no outputs; they are what
"Open in Colab" opens.

Execution (``ensure_executed``, run by every build): each guide's notebook in the
reference language runs top to bottom in a fresh kernel, in an empty directory, with
network sockets blocked and datasets replaced by offline stand-ins; any error stops the
build. Code cells are identical in every language (checked here and by the tests), so the outputs are copied into the other
languages' notebooks. The executed notebooks (``build/notebooks``) are what the site
renders and offers for download, and the figures they draw become the pages' figures
(``build/figures/<module>/<section>.png``). Printed outputs must match ``snippets/*.out``.
"""

from __future__ import annotations

import argparse
import base64
import copy
import fcntl
import hashlib
import os
import posixpath
import re
import shutil
import sys
import tempfile
from pathlib import Path

import nbformat
from latex2mathml.converter import convert as latex_to_mathml

from . import compare, execute, markdown, snippets, versions
from . import languages as _languages

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
    return ROOT / "docs" / lang / GUIDES_DIR / f"{guide}.md"


def notebook_path(lang: str, guide: str) -> Path:
    return NOTEBOOKS_DIR / lang / f"{guide}.ipynb"


def executed_path(lang: str, guide: str) -> Path:
    """Laid out as the site's ``notebooks/<guide>.ipynb`` under ``build/notebooks/<lang>``."""
    return EXECUTED_DIR / lang / "notebooks" / f"{guide}.ipynb"


# --- generation ---------------------------------------------------------------------------

def _prose(text: str, lang: str, guide: str) -> str:
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


def generate(lang: str, guide: str) -> nbformat.NotebookNode:
    text = page_path(lang, guide).read_text(encoding="utf-8")
    cells = []
    position = 0
    for fence in markdown.FENCE.finditer(text):
        prose = _prose(text[position:fence.start()], lang, guide)
        if prose:
            cells.append(nbformat.v4.new_markdown_cell(prose))
        section = snippets.resolve(fence["ref"])
        cell = nbformat.v4.new_code_cell(section.code.rstrip("\n"))
        cell.metadata["tfguides"] = {"snippet": fence["ref"].strip()}
        cells.append(cell)
        position = fence.end()
    tail = _prose(text[position:], lang, guide)
    if tail:
        cells.append(nbformat.v4.new_markdown_cell(tail))
    if cells and cells[0].cell_type == "markdown":
        tested = languages()[lang].labels["tested_with"].format(**versions.pinned())
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
    return nbformat.writes(notebook) + "\n"


def _shown(path: Path) -> str:
    return f"notebooks/{path.relative_to(NOTEBOOKS_DIR).as_posix()}"


def stale() -> list[str]:
    """Committed notebooks that differ from what the pages and snippets generate now."""
    problems = []
    for guide in guides():
        for lang in languages():
            path = notebook_path(lang, guide)
            if not path.is_file() or path.read_text(encoding="utf-8") != serialize(generate(lang, guide)):
                problems.append(f"{_shown(path)} is stale or was edited by hand: "
                                "notebooks are generated; run `nox -s outputs`")
    known = {notebook_path(lang, guide) for guide in guides() for lang in languages()}
    problems += [f"{_shown(path)} belongs to no guide: delete it"
                 for path in NOTEBOOKS_DIR.glob("*/*.ipynb") if path not in known]
    return problems


def write_all() -> None:
    for guide in guides():
        for lang in languages():
            path = notebook_path(lang, guide)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(serialize(generate(lang, guide)), encoding="utf-8")


def code_cells(notebook: nbformat.NotebookNode) -> list[str]:
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


# --- execution ----------------------------------------------------------------------------

def _execution_key(notebook: nbformat.NotebookNode) -> str:
    """What an execution depends on: the code, the expected outputs, the environment."""
    digest = hashlib.sha256("\0".join(code_cells(notebook)).encode())
    for path in [Path(__file__), versions.LOCK_FILE, *sorted(snippets.SNIPPETS_DIR.glob("**/*.out"))]:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _cached_execution(guide: str) -> Path:
    return EXECUTED_DIR / ".cache" / f"{guide}.ipynb"


def _kernel_env(ipython_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # inline figures
    env["IPYTHONDIR"] = ipython_dir
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    env["COLUMNS"] = execute.TERMINAL_COLUMNS  # summary tables as wide as on the pages
    return env


def run_directory(guide: str) -> Path:
    """The working directory of the guide's last execution: the files its code wrote
    (checkpoints, CSV files, TensorBoard logs) stay there for the browser tests."""
    return BUILD_DIR / "run" / guide


def _execute(notebook: nbformat.NotebookNode, guide: str) -> nbformat.NotebookNode:
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    executed = copy.deepcopy(notebook)
    with tempfile.TemporaryDirectory(prefix="tfguides-kernel-") as work:
        startup = Path(work, "ipython", "profile_default", "startup")
        startup.mkdir(parents=True)
        # Hermetic kernel: no sockets, offline datasets (docs_tools.offline), before any cell runs.
        (startup / "00-offline.py").write_text("from docs_tools import offline\noffline.enter()\n")
        cwd = run_directory(guide)
        shutil.rmtree(cwd, ignore_errors=True)
        cwd.mkdir(parents=True)
        # The kernel talks to us over Unix sockets in the scratch folder, not TCP ports.
        kernel = KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(work, "kernel")),
                               connection_file=str(Path(work, "kernel.json")))
        client = NotebookClient(executed, km=kernel, timeout=900, allow_errors=False,
                                resources={"metadata": {"path": str(cwd)}})
        try:
            client.execute(env=_kernel_env(str(Path(work, "ipython"))), cwd=str(cwd))
        finally:
            if kernel.has_kernel:  # nbclient leaves a kernel manager it did not create running
                kernel.shutdown_kernel(now=True)
    return executed


#: TensorFlow's C++ runtime writes start-up notices to stderr (absl's "All log messages
#: before absl::InitializeLog()", glog-style "I0000 ..." lines about oneDNN or CPU
#: features). They depend on the machine, not on the guide, so published notebooks drop
#: exactly these lines; any other stderr output is kept.
_RUNTIME_LOG = re.compile(r"^(?:WARNING: All log messages before absl::InitializeLog\(\) is called are "
                          r"written to STDERR|[IWEF]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ \S+:\d+\] .*)\n?",
                          re.MULTILINE)


#: Rich text that Keras prints through the ``rich`` library (``model.summary()``) reaches
#: a notebook as display outputs: styled HTML, and plain text with ANSI colour codes.
#: Published notebooks show it as the plain text a script prints, which is also what the
#: page shows (and rich's colours would fail the site's contrast checks).
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _rich_text(output) -> str | None:
    data = output.get("data", {})
    if output.output_type == "display_data" and set(data) == {"text/plain", "text/html"} \
            and data["text/html"].startswith("<pre style="):
        return _ANSI.sub("", data["text/plain"])
    return None


def _normalise_outputs(cell) -> None:
    """Drop the runtime's start-up notices, turn rich text into printed text, and merge
    consecutive printed outputs."""
    kept = []
    for output in cell.outputs:
        if output.output_type == "stream" and output.get("name") == "stderr":
            output.text = _RUNTIME_LOG.sub("", output.text)
            if not output.text.strip():
                continue
        text = _rich_text(output)
        if text is not None:
            output = nbformat.v4.new_output("stream", name="stdout", text=text)
        previous = kept[-1] if kept else None
        if (previous is not None and output.output_type == previous.output_type == "stream"
                and output.name == previous.name):
            previous.text += output.text
            continue
        kept.append(output)
    cell.outputs = kept


def _printed(cell) -> str:
    return "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream"
                   and out.get("name") == "stdout")


def _figures(cell) -> list[bytes]:
    """Images the cell showed: figures it drew, or the image its last expression returned."""
    return [base64.b64decode(out["data"]["image/png"]) for out in cell.outputs
            if out.output_type in ("display_data", "execute_result") and "image/png" in out.get("data", {})]


def _mathml(text: str) -> str:
    def convert(match: re.Match) -> str:
        if match["block"] is not None:
            return latex_to_mathml(match["block"].strip(), display="block")
        return latex_to_mathml(match["inline"], display="inline")

    # Formulas outside code spans become MathML, as on the pages: no MathJax from a CDN.
    parts = re.split(r"(`[^`]*`)", text)
    return "".join(part if part.startswith("`") else _MATH.sub(convert, part) for part in parts)


def _check_against_pages(guide: str, executed: nbformat.NotebookNode) -> list[str]:
    problems = []
    for cell in executed.cells:
        if cell.cell_type != "code":
            continue
        section = snippets.resolve(cell.metadata["tfguides"]["snippet"])
        diff = compare.difference(snippets.expected_output(section), _printed(cell), **section.options)
        if diff:
            problems.append(f"{section.ref}: in the notebook of '{guide}' the output differs from the "
                            f"page: {diff}. If the new output is right, run `nox -s outputs`.")
        figures = _figures(cell)
        if len(figures) > 1:
            problems.append(f"{section.ref} draws {len(figures)} figures; a section draws at most one")
    return problems


def _publish(guide: str, executed: nbformat.NotebookNode) -> None:
    reference = reference_language()
    for lang in languages():
        notebook = nbformat.read(notebook_path(lang, guide), as_version=4)
        if code_cells(notebook) != code_cells(executed):
            raise snippets.SnippetError(f"{notebook_path(lang, guide).relative_to(ROOT)} has other code "
                                        f"cells than the {reference} notebook: run `nox -s outputs`")
        runs = iter(cell for cell in executed.cells if cell.cell_type == "code")
        for cell in notebook.cells:
            if cell.cell_type == "code":
                run = next(runs)
                cell.outputs, cell.execution_count = run.outputs, run.execution_count
            else:
                cell.source = _mathml(cell.source)
        notebook.metadata.pop("tfguides_key", None)
        target = executed_path(lang, guide)
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, target)
    sections = [snippets.resolve(cell.metadata["tfguides"]["snippet"])
                for cell in executed.cells if cell.cell_type == "code"]
    for module in {section.module for section in sections}:
        shutil.rmtree(figures_dir(module), ignore_errors=True)
    for section, cell in zip(sections, (c for c in executed.cells if c.cell_type == "code"), strict=True):
        for image in _figures(cell):
            path = figures_dir(section.module) / f"{section.name}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(image)


def figures_dir(module: Path) -> Path:
    return FIGURES_DIR / module.relative_to(snippets.SNIPPETS_DIR).with_suffix("")


def ensure_executed() -> None:
    """Execute each guide whose code changed (cached otherwise), check its outputs against
    the pages, and publish the executed notebooks and figures. Raises on any error."""
    EXECUTED_DIR.mkdir(parents=True, exist_ok=True)
    with open(EXECUTED_DIR / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        problems = stale()
        if problems:
            raise snippets.SnippetError("\n".join(problems))
        for guide in guides():
            source = nbformat.read(notebook_path(reference_language(), guide), as_version=4)
            key = _execution_key(source)
            cached = _cached_execution(guide)
            if cached.is_file() and nbformat.read(cached, as_version=4).metadata.get("tfguides_key") == key:
                executed = nbformat.read(cached, as_version=4)
            else:
                try:
                    executed = _execute(source, guide)
                except Exception as error:  # nbclient's CellExecutionError carries the traceback
                    raise snippets.SnippetError(
                        f"the notebook of '{guide}' failed in a fresh kernel:\n{error}") from error
                for cell in executed.cells:
                    if cell.cell_type == "code":
                        _normalise_outputs(cell)
                problems = _check_against_pages(guide, executed)
                if problems:
                    raise snippets.SnippetError("\n".join(problems))
                executed.metadata["tfguides_key"] = key
                cached.parent.mkdir(parents=True, exist_ok=True)
                nbformat.write(executed, cached)
            _publish(guide, executed)


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
