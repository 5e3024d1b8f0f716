"""The project's Python is linted by ruff (pyproject.toml ``[tool.ruff]``), and the code
readers see is formatted by it (``snippets/ruff.toml``: the page's code width, 80 columns)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from docs_tools.snippets import ROOT

#: Formatted by ruff: the code readers see. The machinery (docs_tools/, tests/, benchmarks/)
#: keeps its hand layout for now: `ruff format` (line length 120) would rewrite about 2,550
#: lines of 90 files at once; that is a change of its own.
FORMATTED = ["snippets"]


def _ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", *args], cwd=ROOT, capture_output=True, text=True)


@pytest.mark.parametrize("args", [("check", "."), ("format", "--check", *FORMATTED)], ids=["check", "format"])
def test_ruff_passes(args):
    """Lint: all of the project's Python (pyproject.toml [tool.ruff]); format: snippets/."""
    result = _ruff(*args, "--no-cache")
    assert result.returncode == 0, (f"`ruff {' '.join(args)}` fails: fix it (`ruff format {' '.join(FORMATTED)}` "
                                     "formats; then run `nox -s outputs`):\n" + result.stdout + result.stderr)


def test_snippet_lines_fit_the_page():
    """No line of code a page shows is wider than the desktop code block (80 columns)."""
    from docs_tools.translation import comments

    wide = [f"{path.relative_to(ROOT)}:{number}" for path in sorted((ROOT / "snippets").glob("*.py"))
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
            if comments.width(line) > comments.WIDTH]
    assert not wide, f"lines wider than {comments.WIDTH} columns: {wide}"
