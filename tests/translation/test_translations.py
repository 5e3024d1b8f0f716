"""Translations cannot drift silently, and English prose numbers and inline code are tied to the code.

The first tests check the real pages: every translation is current (or accepted as behind),
says as much as the English section by section, uses its glossary's words, and every number
and every inline code span of English prose is one the page's code or outputs contain. The fixture tests below show,
on temporary copies of the pages, that each failure is caught with a message that says
what to do.
"""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from docs_tools.translation import glossary, parity, prose, prose_code, prose_numbers, freshness as translations
from docs_tools import snippets
from docs_tools.languages import languages
from docs_tools.site.plugins.translations import TranslationsPlugin
from markdown_pages import DOCS, LANGUAGES, REFERENCE, WRITTEN, english_of, language_of, pages, pages_dir

TRANSLATED = [page for lang in LANGUAGES if lang != REFERENCE for page in pages(lang)]


def _id(path: Path) -> str:
    lang = language_of(path)
    return f"{lang}/{path.relative_to(pages_dir(lang)).as_posix()}"


# The real pages ---------------------------------------------------------------------------

def test_every_translation_is_current_or_accepted_as_behind():
    problems = translations.problems()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", TRANSLATED, ids=_id)
def test_translation_says_as_much_as_the_english(page):
    problems = parity.compare(english_of(page), page)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if glossary.glossary_path(lang).exists()])
def test_pages_use_the_glossary_words(lang):
    problems = glossary.check([lang])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", pages(REFERENCE), ids=_id)
def test_numbers_in_english_prose_are_in_the_code(page):
    problems = prose_numbers.untied(page, _id(page))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", pages(REFERENCE), ids=_id)
def test_inline_code_in_english_prose_is_in_the_code(page):
    problems = prose_code.untied(page, _id(page))
    assert not problems, "\n".join(problems)


def test_spans_proven_by_claim_tests_are_still_on_their_pages_and_tested():
    problems = prose_code.stale_claims()
    assert not problems, "\n".join(problems)


# Fixtures: temporary copies ----------------------------------------------------------------

@pytest.fixture
def docs(tmp_path) -> Path:
    """A copy of docs/ (the written pages) whose translations are all marked fresh, in its own locks."""
    copy = tmp_path / "docs"
    for lang in WRITTEN:
        shutil.copytree(DOCS / lang, copy / lang)
    locks = tmp_path / "locks"
    targets = [(lang, page) for lang in WRITTEN if lang != REFERENCE for page in translations.english_pages(copy)]
    translations.mark_fresh(targets, copy, locks)
    assert translations.problems(copy, locks) == []
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {path}: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


ENGLISH_SENTENCE = "Here TensorFlow differs from NumPy: you cannot write into a tensor."


def test_a_changed_english_section_makes_every_translation_behind(docs):
    locks = docs.parent / "locks"
    _edit(docs / "en/guides/tensors.md", ENGLISH_SENTENCE, "Unlike a NumPy array, a tensor cannot be written into.")
    problems = translations.problems(docs, locks)
    assert len(problems) == len(WRITTEN) - 1, problems  # a derived language's pages are its source's
    ru = next(p for p in problems if p.startswith("docs/ru/guides/tensors.md"))
    assert "#variables (changed)" in ru and "#setup" not in ru
    assert "nox -s translations -- --mark-fresh ru/guides/tensors.md" in ru
    assert "--accept-behind ru/guides/tensors.md --why" in ru
    translations.mark_fresh([("ru", "guides/tensors.md")], docs, locks)
    assert not any(p.startswith("docs/ru/") for p in translations.problems(docs, locks))


def test_new_and_removed_sections_are_named(docs):
    locks = docs.parent / "locks"
    _edit(docs / "en/guides/tensors.md", "## Tensor math {#tensor-math}", "## Arithmetic {#arithmetic}")
    status = translations.status("he", "guides/tensors.md", docs, locks)
    assert [(c.anchor, c.kind) for c in status.changes] == [("arithmetic", "new"), ("tensor-math", "removed")]


def test_rewrapping_english_lines_or_marking_a_number_changes_nothing(docs):
    locks = docs.parent / "locks"
    _edit(docs / "en/guides/tensors.md", "differs from NumPy: you", "differs from NumPy:\nyou")
    _edit(docs / "en/guides/tensors.md", "= 19$", "= [[19]]$")
    assert translations.problems(docs, locks) == []


def test_a_page_accepted_as_behind_passes_until_the_english_changes_again(docs):
    locks = docs.parent / "locks"
    english = docs / "en/guides/tensors.md"
    _edit(english, ENGLISH_SENTENCE, "Unlike a NumPy array, a tensor cannot be written into.")
    translations.accept_behind("zh", "guides/tensors.md", "the new wording is being reviewed", docs, locks)
    status = translations.status("zh", "guides/tensors.md", docs, locks)
    assert (status.state, status.accepted) == ("accepted", "the new wording is being reviewed")
    assert not any(p.startswith("docs/zh/") for p in translations.problems(docs, locks))
    _edit(english, "Unlike a NumPy array", "Unlike an array of NumPy")
    assert any(p.startswith("docs/zh/guides/tensors.md") for p in translations.problems(docs, locks))


def test_banner_of_an_accepted_page_shows_the_reason():
    labels = languages()["ru"].labels
    plugin = TranslationsPlugin()
    errors, warnings = plugin.load_config({"labels": labels["translations"]})
    assert not errors and not warnings
    changes = [translations.Change("variables", "Tensors are immutable", "changed")]
    plugin.statuses = {"ru": {"guides/tensors.md": translations.PageStatus(
        "ru", "guides/tensors.md", changes, "the new wording <is> being reviewed")}}
    config = SimpleNamespace(theme={"language": "ru"})
    page = SimpleNamespace(file=SimpleNamespace(src_uri="guides/tensors.md"), url="guides/tensors/")
    banner = plugin._translation_banner(page, config)
    assert labels["translations"]["banner"] in banner
    assert 'href="../../../guides/tensors/#variables"' in banner  # /ru/guides/tensors/ -> /guides/tensors/
    assert labels["translations"]["accepted"].format(why="<bdi>the new wording &lt;is&gt; being reviewed</bdi>") in banner
    plugin.statuses["ru"]["guides/tensors.md"].changes = []
    assert plugin._translation_banner(page, config) == ""


def test_a_dropped_paragraph_fails_naming_the_section(docs):
    page = docs / "ru/guides/tensors.md"
    text = page.read_text(encoding="utf-8")
    first = text.index("\n\n", text.index("{#variables}")) + 2  # the section's first paragraph
    end = text.index("\n\n", first) + 2
    assert not text[first:end].startswith("```")
    text = text[:first] + text[end:]
    page.write_text(text, encoding="utf-8")
    problems = parity.compare(docs / "en/guides/tensors.md", page, docs)
    assert any("section #variables" in p and "paragraphs, the English has" in p for p in problems), problems


def test_a_missing_number_fails_naming_the_section_and_the_sentence(docs):
    page = docs / "ru/guides/tensors.md"
    _edit(page, r"2 \cdot 9 = 19$", r"2 \cdot 9$")
    problems = parity.compare(docs / "en/guides/tensors.md", page, docs)
    assert any("section #tensor-math" in p and "the number 19 is missing" in p and "The first element of" in p
               for p in problems), problems


def test_a_missing_code_span_fails(docs):
    page = docs / "he/guides/tensors.md"
    _edit(page, "`tf.matmul`", "tf.matmul")
    problems = parity.compare(docs / "en/guides/tensors.md", page, docs)
    assert any("section #tensor-math" in p and "missing `tf.matmul`" in p for p in problems), problems


def test_numbers_are_normalised_across_locales():
    assert prose.numbers("2,000 · 2 000 · 2\u00a0000 · 2\u202f000 · 2000") == ["2000"] * 5
    assert prose.numbers("0.5 and 0,5; 1,5") == ["0.5", "0.5", "1.5"]
    assert prose.numbers("float32, 28x28, 2D, CIFAR-10, TensorFlow 2.21.0") == []
    # A no-break space ends a number unless a digit group follows it: 28 × 28 is two numbers.
    assert prose.numbers("28\u00a0×\u00a028 and 50\u00a0240") == ["28", "28", "50240"]
    assert prose.math_numbers(r"9{,}8 \cdot 2") == ["9.8", "2"]


def test_a_rejected_glossary_term_fails_with_line_and_word(tmp_path):
    tmp_path = tmp_path / "docs"
    (tmp_path / "glossary").mkdir(parents=True)
    (tmp_path / "glossary" / "zh.yml").write_text(
        "terms:\n  - term: accuracy\n    use: 准确率\n    reject: [正确率, 're:决策分界线?']\n", encoding="utf-8")
    (tmp_path / "zh").mkdir()
    (tmp_path / "zh" / "page.md").write_text(
        "# 标题 {#title}\n\n模型的准确率很高。\n第二行的正确率也很高，决策分界清楚。\n\n`正确率` 在代码里不算。\n"
        "[链接](https://example.com/正确率)\n", encoding="utf-8")
    problems = glossary.check(["zh"], tmp_path)
    assert problems == [
        'docs/zh/page.md:4: "正确率" (rejected variant \'正确率\' of "accuracy"): write "准确率"',
        'docs/zh/page.md:4: "决策分界" (rejected variant \'re:决策分界线?\' of "accuracy"): write "准确率"',
    ]


def test_a_malformed_glossary_names_the_file(tmp_path):
    tmp_path = tmp_path / "docs"
    (tmp_path / "glossary").mkdir(parents=True)
    (tmp_path / "glossary" / "ru.yml").write_text("terms:\n  - term: accuracy\n", encoding="utf-8")
    (tmp_path / "ru").mkdir()
    [problem] = glossary.check(["ru"], tmp_path)
    assert "ru.yml: term 1" in problem and "`use:`" in problem


def test_a_quoted_result_the_code_no_longer_prints_fails_naming_the_sentence(tmp_path):
    page = DOCS / "en/guides/tensors.md"

    def changed_output(section):  # as if the code changed: the matrix product no longer gives 19
        printed = snippets.expected_output(section)
        return printed.replace("19", "23") if section.name == "math" else printed

    def changed_code(ref):  # the comment in that section lists 9 among the squares: as if it changed too
        section = snippets.resolve(ref)
        return section if section.name != "math" else dataclasses.replace(section, code=section.code.replace("9", "7"))

    assert prose_numbers.untied(page, "tensors.md") == []
    problems = prose_numbers.untied(page, "tensors.md", resolve=changed_code, output=changed_output)
    assert any("section #tensor-math: 19 in \"The first element of" in p for p in problems), problems
    marked = tmp_path / "tensors.md"
    marked.write_text(page.read_text(encoding="utf-8").replace("= 19$", "= [[19]]$"), encoding="utf-8")
    assert not any(": 19 in" in p for p in prose_numbers.untied(marked, resolve=changed_code, output=changed_output))


def test_prose_only_markers_are_invisible_but_not_in_code():
    text = "The set holds [[70,000]] digits; `x[[1]]` stays.\n\n```text\n[[5]]\n```\n"
    assert prose.strip_markers(text) == "The set holds 70,000 digits; `x[[1]]` stays.\n\n```text\n[[5]]\n```\n"


def test_a_decimal_comma_before_three_digits_is_not_a_thousands_group():
    from docs_tools.translation import prose

    assert prose.numbers("0,001 и 0.001") == ["0.001", "0.001"]
    assert prose.numbers("1,234 и 50 240") == ["1234", "50240"]


CRAFTED = """# Callbacks {#callbacks}

`CSVLogger` writes one row per epoch. Read back: the names of its columns, then the
`epoch` and `lr` of each row; `learning` is no column either, and [[`ReduceLROnPlateau`]] is
not used here. See [the `ModelCheckpoint` guide](other.md).

```snippet
customizing_keras.py:lr_schedule
```

```snippet
customizing_keras.py:csv_logger
```
"""


def test_a_span_naming_a_column_the_code_does_not_print_fails_with_line_and_fix(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(CRAFTED, encoding="utf-8")
    problems = prose_code.untied(page, "page.md")
    # `epoch` and `CSVLogger` are in the code and its output; `learning` only inside learning_rate;
    # the marked span and the link text are not about this code
    assert [p.split(" is neither")[0] for p in problems] == [
        "page.md:4: section #callbacks: `lr`", "page.md:4: section #callbacks: `learning`"], problems
    assert "mark it: [[`lr`]]" in problems[0] and "correct the sentence (and its translations)" in problems[0]
    page.write_text(CRAFTED.replace("`lr`", "`learning_rate`").replace("`learning`", "[[`learning`]]"), encoding="utf-8")
    assert prose_code.untied(page, "page.md") == []


def test_a_span_is_found_only_as_a_whole_name_a_call_or_a_pattern():
    code = 'model.add(layers.Dense(64))\nrow["epoch"]\nSimpleDense(32, activation="relu")\nval_loss\non_test_begin'
    found = {span: bool(prose_code._pattern(span).search(code)) for span in [
        "epoch", "epochs", "add()", "add", "Dense(64)", "SimpleDense(32)", "SimpleDense(3)", "val_", "val",
        "on_test_*", "on_predict_*", "layers.Dense(...)", "(64)", "loss"]}
    assert found == {"epoch": True, "epochs": False, "add()": True, "add": True, "Dense(64)": True,
                     "SimpleDense(32)": True, "SimpleDense(3)": False, "val_": True, "val": False,
                     "on_test_*": True, "on_predict_*": False, "layers.Dense(...)": True, "(64)": True,
                     "loss": False}


def test_a_call_the_formatter_split_over_lines_is_still_found():
    code = 'files.interleave(\n    read_file, cycle_length=4, num_parallel_calls=AUTOTUNE\n)\nf(a,\n  b,\n)'
    assert prose_code._pattern("interleave(read_file, cycle_length=4, num_parallel_calls=AUTOTUNE)").search(code)
    assert prose_code._pattern("f(a, b)").search(code)
    assert not prose_code._pattern("interleave(read_file, cycle_length=2)").search(code)


def test_a_marked_span_is_invisible_and_changes_no_fingerprint():
    marked = "Use [[`ReduceLROnPlateau`]] here; `` [[`x`]] `` stays.\n"
    assert prose.strip_markers(marked) == "Use `ReduceLROnPlateau` here; `` [[`x`]] `` stays.\n"
    assert prose.fingerprint(marked) == prose.fingerprint(prose.strip_markers(marked))


def test_a_stale_claimed_span_fails(tmp_path, monkeypatch):
    monkeypatch.setitem(prose_code.CLAIMED, ("guides/tensors.md", "(3, 7)"), "test_no_such_claim")
    problems = prose_code.stale_claims()
    assert any("`(3, 7)` is not on guides/tensors.md any more" in p for p in problems), problems
    assert any("names test_no_such_claim" in p and "does not define" in p for p in problems), problems
