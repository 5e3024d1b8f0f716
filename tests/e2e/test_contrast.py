"""The colour contrast of text, decided once per text style (tests/e2e/tour.py, TextContrast),
reports what axe-core reports when it decides every element on every page.

One guide is read in English; then its Russian page, and the next Russian guide, are read
with the code comments and the paragraphs made too pale to read. The first Russian page's
axe-core run decides the new styles (and only the styles no earlier page settled) and
reports their elements; the next page skips them and still reports them, as violated on
the first. On both, the count reported is the count of elements a full axe-core run (every
element decided) finds violated, so the styles settled as passed hide no violation either.
"""

from __future__ import annotations

from collections import Counter

from tour import TextContrast, serious_violations, start_axe

FIRST, SECOND, THIRD = "guides/tensors/", "ru/guides/tensors/", "ru/guides/training_loops/"
#: Light grey on the code blocks' light grey (#f5f5f5) and on the page's white: far below 4.5:1.
PALE = ".highlight .c1, .highlight-ipynb .c1, article p { color: #d0d0d0 !important; }"


def _full_axe_contrast(page) -> dict[int, int]:
    """How many elements of each text style a full axe-core run (its default configuration,
    every element decided) finds violating colour contrast. Elements the tour leaves to
    axe-core on every page (MathML: its numbers inherit a pale paragraph's colour) are not
    counted."""
    styles = page.evaluate("""async () => {
      document.querySelectorAll("[data-tour-contrast-known]").forEach(e => e.removeAttribute("data-tour-contrast-known"));
      axe.reset();
      const r = await axe.run(document, {runOnly: ["color-contrast"], resultTypes: ["violations"]});
      return r.violations.flatMap(v => v.nodes).map(n => document.querySelector(n.target[0]).getAttribute("data-tour-style"));
    }""")
    return dict(Counter(int(style) for style in styles if style is not None))


def _read_by_the_rule(page) -> list[tuple[int | None, bool]]:
    """What the colour-contrast rule reads, configured as the tour left it: each element it
    passed, failed or left undecided, as (its text style, whether its style was settled)."""
    return [(None if style is None else int(style), known) for style, known in page.evaluate("""async () => {
      const r = await axe.run(document, {runOnly: ["color-contrast"], resultTypes: ["passes", "violations", "incomplete"],
                                         selectors: false, elementRef: true});
      return [...r.passes, ...r.violations, ...r.incomplete].flatMap(v => v.nodes).map(
        n => [n.element.getAttribute("data-tour-style"), n.element.hasAttribute("data-tour-contrast-known")]);
    }""")]


def _pale(styles: dict) -> list[int]:
    """The page's pale styles (their indexes)."""
    return [index for index, style in enumerate(styles["styles"]) if style.startswith("rgb(208, 208, 208)")]


def _elements(styles: dict, indexes) -> int:
    return sum(styles["counts"][index] for index in indexes)


#: A line of grey text (#c0c0c0 on white: 1.8:1) put at the end of the article: hidden from
#: axe-core on SECOND (clipped away: it passes such text without measuring it) and shown on
#: THIRD, with the same style key.
PROBE = """hidden => {
  const probe = document.createElement("span");
  probe.className = "tour-probe";
  probe.textContent = "grey text";
  probe.style.color = "#c0c0c0";
  if (hidden) Object.assign(probe.style, {position: "absolute", clipPath: "inset(50%)"});
  document.querySelector("article").append(probe);
}"""


def _read(context, base_url, contrast: TextContrast, where: str, pale: bool,
          probe: str | None = None) -> tuple[dict, list[str], list, dict]:
    """The page's styles, its serious violations as the tour finds them, what the rule read
    (``_read_by_the_rule``), and what a full axe-core run finds (``_full_axe_contrast``)."""
    from conftest import Visit

    page = Visit(context, base_url).open(where)
    if pale:
        page.add_style_tag(content=PALE)
    if probe:
        page.evaluate(PROBE, probe == "hidden")
    styles = start_axe(page, contrast)
    found = serious_violations(page, contrast, styles, where)
    return styles, found, _read_by_the_rule(page), _full_axe_contrast(page)


def test_a_changed_style_is_decided_and_then_reported_on_every_page_without_deciding_it_again(context, base_url):
    contrast = TextContrast()
    # The site as it is: every text style of the page passes and is settled.
    styles, found, read, full = _read(context, base_url, contrast, FIRST, pale=False)
    assert found == [] and full == {} and contrast.reused == 0 and len(contrast.settled) >= 20
    assert read and not any(known for _, known in read), "nothing was settled before the first page"

    # Pale code comments and paragraphs on the next page: new styles, decided by axe-core there.
    styles, found, read, full = _read(context, base_url, contrast, SECOND, pale=True, probe="hidden")
    probe = _probe(styles)
    assert styles["styles"][probe] not in contrast.settled, "a style passed only where axe-core could not see it"
    pale = _pale(styles)
    assert any("monospace" in styles["styles"][i] for i in pale), "no pale code comment"
    assert any("monospace" not in styles["styles"][i] for i in pale), "no pale paragraph"
    assert not set(pale) & set(styles["known"]), "a pale style was settled before it was seen"
    assert full == {i: styles["counts"][i] for i in pale} and _elements(styles, pale) > 20
    assert [line for line in found if line.startswith("color-contrast (serious)")], found
    assert styles["known"], "no style of the first page was settled for the next"
    assert not any(known for _, known in read), "the rule read an element whose style was settled"
    assert sorted(style for style, _ in read if style in pale) == sorted(i for i in pale for _ in range(styles["counts"][i]))

    # And on the page after: skipped by axe-core, and reported as violated on SECOND.
    # The grey line shown: its style was not settled, so axe-core decides it and reports it.
    styles, found, read, full = _read(context, base_url, contrast, THIRD, pale=True, probe="shown")
    pale, probe = _pale(styles), _probe(styles)
    assert pale and set(pale) <= set(styles["known"]), "a pale style is decided again"
    assert probe not in styles["known"]
    assert not any(known or style in pale for style, known in read), "the rule read a settled style"
    # The settled styles' lines, each naming SECOND; and axe-core's own run found the grey line only.
    settled = [line for line in found if "(the same text style: " in line]
    assert len(settled) == len(pale) and all(f"first at {SECOND}" in line for line in settled), found
    assert sorted(line.rsplit("(the same text style: ", 1)[1] for line in settled) == \
        sorted(f"{styles['counts'][i]} elements here)" for i in pale), found
    others = [line for line in found if line not in settled]
    assert len(others) == 1 and others[0].startswith("color-contrast (serious)") and "tour-probe" in others[0], found
    assert full == {**{i: styles["counts"][i] for i in pale}, probe: 1} and _elements(styles, pale) > 20


def _probe(styles: dict) -> int:
    """The grey line's style."""
    [index] = [index for index, style in enumerate(styles["styles"]) if style.startswith("rgb(192, 192, 192)")]
    return index


def test_a_style_settles_only_on_what_axe_core_measured():
    """TextContrast's bookkeeping, without a browser: a style settles as passed only where
    axe-core measured one of its elements and found none violated; one violated is settled
    as violated, even if an earlier page passed it; one it never measured stays unsettled."""
    contrast = TextContrast()
    styles = {"styles": ["passed", "violated", "unmeasured"], "counts": [3, 2, 4], "known": []}
    violation = {"id": "color-contrast", "impact": "serious", "help": "Contrast", "targets": [["p"], ["em"]],
                 "styles": ["1", "1"]}
    found = contrast.settle(styles, {"violations": [violation], "passed": ["0", "0"]}, "page-1")
    assert contrast.settled == {"passed": None, "violated": "color-contrast (serious): Contrast, first at page-1 ['p']"}
    assert found == [] and contrast.decided == 9 and contrast.reused == 0
    # The next page: the two settled styles skipped and given their result; a passed style
    # violated after all is reported and stays violated.
    styles = {"styles": ["violated", "passed", "unmeasured", "new"], "counts": [1, 5, 2, 1], "known": [0, 1]}
    found = contrast.settle(styles, {"violations": [], "passed": []}, "page-2")
    assert found == ["color-contrast (serious): Contrast, first at page-1 ['p'] (the same text style: 1 elements here)"]
    assert "unmeasured" not in contrast.settled and "new" not in contrast.settled
    assert contrast.decided == 12 and contrast.reused == 6
    styles = {"styles": ["passed"], "counts": [1], "known": []}
    contrast.settle(styles, {"violations": [dict(violation, targets=[["b"]], styles=["0"])], "passed": []}, "page-3")
    assert contrast.settled["passed"].endswith("first at page-3 ['b']")
