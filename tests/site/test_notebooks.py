"""Generated notebooks: committed, current, the same code in every language (comments aside), no outputs."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from docs_tools.site import notebooks
from docs_tools.translation import comments


def test_committed_notebooks_are_what_the_pages_generate():
    problems = notebooks.stale()
    assert not problems, "\n".join(problems)


def test_a_hand_edit_or_a_stray_notebook_is_reported(monkeypatch, tmp_path):
    copy = tmp_path / "notebooks"
    shutil.copytree(notebooks.NOTEBOOKS_DIR, copy)
    monkeypatch.setattr(notebooks, "NOTEBOOKS_DIR", copy)
    assert notebooks.stale() == []
    edited = copy / "ru" / f"{notebooks.guides()[0]}.ipynb"
    edited.write_text(edited.read_text(encoding="utf-8").replace("print(", "print (", 1), encoding="utf-8")
    (copy / "zh" / "old_guide.ipynb").write_text("{}", encoding="utf-8")
    problems = "\n".join(notebooks.stale())
    assert f"notebooks/ru/{notebooks.guides()[0]}.ipynb is stale or was edited by hand" in problems
    assert "old_guide.ipynb belongs to no guide" in problems
    # serve checks only the guides an edit can have changed (it rewrote their notebooks itself)
    others = "\n".join(notebooks.stale(set(notebooks.guides()[1:])))
    assert "is stale" not in others and "old_guide.ipynb belongs to no guide" in others
    assert f"ru/{notebooks.guides()[0]}.ipynb is stale" in "\n".join(notebooks.stale({notebooks.guides()[0]}))


@pytest.mark.parametrize("guide", notebooks.guides())
def test_every_language_has_the_same_code_cells(guide):
    """So executing one language's notebook executes them all: the cells are the same code,
    token for token; only their comments are in the notebook's language
    (docs_tools/translation/comments.py)."""
    cells = {lang: notebooks.code_cells(nbformat.read(notebooks.notebook_path(lang, guide), as_version=4))
             for lang in notebooks.languages()}
    reference = cells[notebooks.reference_language()]
    assert reference
    for lang, code in cells.items():
        assert [comments.without_comments(cell) for cell in code] == \
            [comments.without_comments(cell) for cell in reference], f"notebooks/{lang}/{guide}.ipynb: code cells differ"


@pytest.mark.parametrize("guide", notebooks.guides())
def test_committed_notebooks_hold_no_outputs(guide):
    for lang in notebooks.languages():
        data = json.loads(notebooks.notebook_path(lang, guide).read_text(encoding="utf-8"))
        for cell in data["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None


def test_notebook_prose_has_no_site_only_markup():
    for guide in notebooks.guides():
        for lang in notebooks.languages():
            notebook = nbformat.read(notebooks.notebook_path(lang, guide), as_version=4)
            prose = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
            assert "{#" not in prose and "figures/" not in prose and "{{" not in prose


@pytest.mark.parametrize("guide", notebooks.guides())
def test_generated_notebooks_are_valid(guide):
    """Generation skips nbformat's per-cell validation (for speed); the whole is validated here."""
    for lang in notebooks.languages():
        nbformat.validate(notebooks.generate(lang, guide))
