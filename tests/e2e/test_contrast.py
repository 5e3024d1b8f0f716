"""The colour contrast of code text, decided once per code style (tests/e2e/tour.py, CodeContrast),
reports what axe-core reports when it decides every element on every page.

One guide is read in English, then with a comment colour too pale to read put into its
Russian and Chinese pages (the same code, its comments translated). The Russian page's
axe-core run decides the new style (and only it) and reports its elements; the Chinese
page skips them and still reports them, as violated on the Russian one. On both, the
count reported is the count of elements a full axe-core run (every element decided)
finds violated, so the styles settled as passed hide no violation either.
"""

from __future__ import annotations


from tour import CodeContrast, serious_violations, start_axe

#: One guide in three languages: the same code, its comments translated.
FIRST, SECOND, THIRD = "guides/tensors/", "ru/guides/tensors/", "zh/guides/tensors/"
#: Light grey on the code blocks' light grey (#f5f5f5): far below 4.5:1.
PALE_COMMENTS = ".highlight .c1, .highlight-ipynb .c1 { color: #d0d0d0 !important; }"


def _full_axe_contrast(page) -> int:
    """Elements of code blocks that a full axe-core run (its default configuration, every
    element decided) finds violating colour contrast."""
    return page.evaluate("""async () => {
      document.querySelectorAll("[data-tour-contrast-known]").forEach(e => e.removeAttribute("data-tour-contrast-known"));
      axe.reset();
      const r = await axe.run(document, {runOnly: ["color-contrast"], resultTypes: ["violations"]});
      return r.violations.flatMap(v => v.nodes).filter(n => document.querySelector(n.target[0]).closest("pre")).length;
    }""")


def _pale(styles: dict) -> int:
    """How many elements of the page have the pale comment style."""
    return sum(count for style, count in zip(styles["styles"], styles["counts"]) if style.startswith("rgb(208, 208, 208)"))


def _tour_axe(page, contrast: CodeContrast, where: str) -> tuple[dict, list[str]]:
    styles = start_axe(page, contrast)
    return styles, serious_violations(page, contrast, styles, where)


def test_a_changed_style_is_decided_and_then_reported_on_every_page_without_deciding_it_again(context, base_url):
    from conftest import Visit

    contrast = CodeContrast()
    # The site as it is: every style of the guide's code passes and is settled.
    page = Visit(context, base_url).open(FIRST)
    _, found = _tour_axe(page, contrast, FIRST)
    assert found == [] and contrast.reused == 0 and len(contrast.settled) >= 5
    assert _full_axe_contrast(page) == 0
    decided_first = contrast.decided

    # The comments made pale on the next page: a new style, decided by axe-core there.
    page = Visit(context, base_url).open(SECOND)
    page.add_style_tag(content=PALE_COMMENTS)
    styles, found = _tour_axe(page, contrast, SECOND)
    assert _pale(styles) > 10 and _full_axe_contrast(page) == _pale(styles)
    assert [line for line in found if line.startswith("color-contrast (serious)")], found
    assert sum(styles["counts"]) - _pale(styles) == contrast.reused, "only the pale style is decided again"
    assert contrast.decided == decided_first + _pale(styles)

    # And on the page after: skipped by axe-core, and reported as violated on SECOND.
    page = Visit(context, base_url).open(THIRD)
    page.add_style_tag(content=PALE_COMMENTS)
    decided = contrast.decided
    styles, found = _tour_axe(page, contrast, THIRD)
    assert contrast.decided == decided, "a settled style was decided again"
    assert found == [line for line in found if "the same code style" in line] and len(found) == 1, found
    assert f"first at {SECOND}" in found[0] and f"the same code style: {_pale(styles)} elements here" in found[0]
    assert _pale(styles) > 10 and _full_axe_contrast(page) == _pale(styles)
