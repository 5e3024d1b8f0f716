"""Checks on the sources alone (pages, snippet modules, output files): fast, no TensorFlow."""

from __future__ import annotations

import pytest

from docs_tools.site.plugins import pages as pages_plugin
from docs_tools import snippets
from markdown_pages import LANGUAGES, REFERENCE, pages, read, translations

#: The only fence languages a page may use. Python code comes from snippets/ through
#: ```snippet fences; a ```python block (or py, pycon, ...) written in a page is an error.
ALLOWED_FENCES = {"snippet", "bash"}

REFERENCE_PAGES = pages(REFERENCE)
ALL_PAGES = [page for lang in LANGUAGES for page in pages(lang)]


def _id(path):
    return str(path.relative_to(snippets.ROOT))


def test_every_page_exists_in_every_language():
    missing = pages_plugin.missing_pages(LANGUAGES)
    assert not missing, "\n".join(missing)


@pytest.mark.parametrize("path", ALL_PAGES, ids=_id)
def test_page_has_no_code_of_its_own(path):
    page = read(path)
    wrong = [f"{page.name}:{line}: a ```{info or '(no language)'} block. Pages carry no code of "
             "their own: put it in a section of a module under snippets/ and write a "
             "```snippet fence naming it"
             for line, info, _ in page.fences if info.split(" ")[0] not in ALLOWED_FENCES]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", ALL_PAGES, ids=_id)
def test_every_heading_has_an_explicit_anchor(path):
    page = read(path)
    bare = [f"{page.name}:{line}: heading without an explicit anchor: end it with "
            "{#an-id}, the same id in every language" for line, _, anchor in page.headings if not anchor]
    assert not bare, "\n".join(bare)


@pytest.mark.parametrize("reference", REFERENCE_PAGES, ids=_id)
def test_translations_have_the_same_structure(reference):
    """Same headings and anchors; the same fences and figures in the same order.

    This is what lets the page checks (docs/conftest.py) run the reference language only:
    every other language's page shows the same code, the same outputs (the fence expands
    identically) and the same figures at the same places.
    """
    expected = read(reference)
    for path in translations(reference).values():
        if not path.exists():
            continue  # reported by test_every_page_exists_in_every_language
        page = read(path)
        assert [(level, anchor) for _, level, anchor in page.headings] == \
            [(level, anchor) for _, level, anchor in expected.headings], \
            f"{page.name}: headings (level, anchor) differ from {expected.name}; keep the same " \
            "headings with the same {#anchors} so links and the language switcher land on the same section"
        assert page.sequence == expected.sequence, \
            f"{page.name}: its fenced blocks and figures differ from {expected.name} (first " \
            f"difference: {_first_difference(page.sequence, expected.sequence)}); every language " \
            "shows the same code, commands and figures, in the same order"


def _first_difference(got, want):
    for index, (a, b) in enumerate(zip(got, want, strict=False)):
        if a != b:
            return f"item {index + 1}: {a} instead of {b}"
    return f"{len(got)} items instead of {len(want)}"


def test_every_snippet_section_is_shown_on_a_page():
    shown = {body.strip() for path in REFERENCE_PAGES for _, info, body in read(path).fences
             if info == "snippet"}
    unused = [f"{snippets.relative(module)}:{name}" for module in snippets.modules()
              for name in snippets.sections(module)
              if f"{module.relative_to(snippets.SNIPPETS_DIR).as_posix()}:{name}" not in shown]
    assert not unused, ("sections no page shows (show them, or delete them): " + ", ".join(unused))


@pytest.mark.parametrize("module", snippets.modules(), ids=_id)
def test_output_file_matches_module_sections(module):
    outputs = snippets.read_outputs(module)
    assert list(outputs) == list(snippets.sections(module)), (
        f"{snippets.relative(snippets.output_path(module))} is out of date with "
        f"{snippets.relative(module)}: run `nox -s outputs`")


def test_parallel_language_builds_do_not_share_the_notebook_cache():
    """The languages build in parallel and mkdocs-jupyter prunes its cache after a build:
    a shared cache directory made one build delete another's files mid-build."""
    from mkdocs.utils.yaml import yaml_load

    from docs_tools import languages

    cache_dirs = []
    for language in languages.languages().values():
        with open(language.config, encoding="utf-8") as file:
            config = yaml_load(file)
        cache_dirs.append(config["plugins"]["mkdocs-jupyter"]["cache_dir"])
        assert config["plugins"]["mkdocs-jupyter"]["include"] == ["*.ipynb"], "INHERIT lost the options"
    assert len(set(cache_dirs)) == len(cache_dirs), cache_dirs


@pytest.mark.parametrize("reference", [p for p in REFERENCE_PAGES if p.parent.name == "guides"], ids=_id)
def test_a_guide_shows_its_module_section_by_section_in_order(reference):
    """The guide runs once, as its module top to bottom (docs_tools/running/execution.py), and that
    run is what the page checks read: so the page shows exactly the module's sections, each
    once, in file order (then the page's blocks, pasted in order, are that run)."""
    module = snippets.SNIPPETS_DIR / f"{reference.stem}.py"
    assert module.is_file(), f"{_id(reference)}: its code lives in snippets/{reference.stem}.py, which is missing"
    shown = [body.strip() for _, info, body in read(reference).fences if info == "snippet"]
    expected = [f"{module.name}:{name}" for name in snippets.sections(module)]
    assert shown == expected, (
        f"{_id(reference)} shows {_first_difference(shown, expected)} of snippets/{module.name}: "
        "a guide page shows every section of its module once, in the module's order")
