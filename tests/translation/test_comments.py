"""Code comments in the reader's language (docs_tools/translation/comments.py): every comment
translated, only comments differ, a changed English comment fails and puts its pages behind."""

from __future__ import annotations

import re

import nbformat
import polib
import pytest

from docs_tools import snippets
from docs_tools.languages import languages, reference
from docs_tools.site import notebooks
from docs_tools.translation import comments, derived, freshness, glossary, typography

SECTIONS = [section for module in snippets.modules() for section in snippets.sections(module).values()]
LANGS = list(languages())
TRANSLATED = [lang for lang in LANGS if not comments.shows_english(lang)]
_WORDS = {"ru": re.compile(r"[А-Яа-яЁё]"), "zh": re.compile(r"[\u4e00-\u9fff]"), "zh-TW": re.compile(r"[\u4e00-\u9fff]")}


def _comments_of(code: str) -> list[str]:
    return [comments._strip(token.string) for token in comments._comment_tokens(code)]


def test_every_comment_is_translated():
    """A comment without a translation (or a fuzzy one) fails, naming file, line, comment and command."""
    assert comments.translated_languages(), "no language translates the comments"
    problems = comments.problems()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_only_comments_differ_in_every_section(lang):
    """The code of every section, as ``lang`` shows it, is the module's token for token
    (comments and the line breaks of comment lines aside); its lines fit the code width."""
    for section in SECTIONS:
        shown = comments.localize(section, lang)
        assert comments.without_comments(shown) == comments.without_comments(section.code), \
            f"{section.ref} in {lang}: the code differs from the module's beyond its comments"
        english, translated = _comments_of(section.code), _comments_of(shown)
        if comments.shows_english(lang):
            assert shown == section.code
            continue
        wide = [line for line in shown.splitlines() if comments.width(line) > comments.WIDTH
                and line not in section.code.splitlines()]
        assert not wide, f"{section.ref} in {lang}: a translated comment makes lines too wide: {wide}"
        known = comments.catalog(lang)
        want = [known[text] for text in english]
        assert _joined(translated) == _joined(want), \
            f"{section.ref} in {lang}: comments shown {translated}, translations {want}"
        english_left = [text for text in english if known[text] != text and not _WORDS[lang].search(known[text])]
        assert not english_left, f"{section.ref} in {lang}: comments not in {lang}: {english_left}"


def _joined(parts: list[str]) -> str:
    return re.sub(r"\s+", "", "".join(parts))


def test_long_translations_go_above_the_code():
    code = "x = compute_something(argument_one, argument_two)  # short\n"
    section = snippets.Section(snippets.SNIPPETS_DIR / "x.py", "s", code, 1, {})
    original = comments.catalog

    def fake(lang, catalogs=None):
        return {"short": "очень длинный комментарий, который не помещается в строку после кода"}

    comments.catalog = fake
    try:
        shown = comments.localize(section, "ru")
    finally:
        comments.catalog = original
    assert shown.splitlines() == ["# очень длинный комментарий, который не помещается в строку после кода",
                                  "x = compute_something(argument_one, argument_two)"]
    assert comments.without_comments(shown) == comments.without_comments(code)


def test_wide_characters_are_wrapped_by_their_width():
    text = "每个字符占两列" * 10
    lines = comments._wrap(text, 40)
    assert "".join(lines) == text and all(comments.width(line) <= 40 for line in lines)
    assert comments._wrap("one two three four", 9) == ["one two", "three", "four"]
    assert comments._wrap("срезы: 5\u00a0000 изображений", 10) == ["срезы:", "5\u00a0000", "изображений"]
    wrapped = comments._wrap("一二三四五。", 10)  # the full stop does not start a line alone
    assert wrapped == ["一二三四", "五。"]


def test_hebrew_keeps_the_english_comments():
    """The decision on the running page: he shows the English comments, and has no catalogue."""
    assert "he" in comments.ENGLISH_COMMENTS and not comments.catalog_path("he").exists()
    running = (freshness.DOCS / "en" / "running.md").read_text(encoding="utf-8")
    assert "The Hebrew pages keep the comments in English" in running


def test_traditional_chinese_comments_are_converted_from_simplified():
    """zh-TW's comments are zh's through the same conversion as its prose, and hold no
    Simplified character."""
    zh, tw = comments.catalog("zh"), comments.catalog("zh-TW")
    table = derived._table("zh-TW")
    assert tw and tw == {english: derived.convert(text, table) for english, text in zh.items()}
    left = [(english, text) for english, text in tw.items() if derived.simplified_left(text)]
    assert not left, f"Simplified characters left in zh-TW comments: {left}"


@pytest.mark.parametrize("guide", notebooks.guides())
def test_notebook_cells_differ_from_english_only_in_comments(guide):
    """Every code cell of every language's notebook is the English cell, token for token."""
    def cells(lang):
        notebook = nbformat.read(notebooks.notebook_path(lang, guide), as_version=4)
        return [cell.source for cell in notebook.cells if cell.cell_type == "code"]

    english = cells(reference())
    for lang in LANGS:
        shown = cells(lang)
        assert len(shown) == len(english)
        for number, (cell, want) in enumerate(zip(shown, english, strict=True)):
            assert comments.without_comments(cell) == comments.without_comments(want), \
                f"notebooks/{lang}/{guide}.ipynb: code cell {number} differs from English beyond comments"
            if lang in TRANSLATED:
                known = comments.catalog(lang)
                assert _joined(_comments_of(cell)) == _joined([known[c] for c in _comments_of(want)]), \
                    f"notebooks/{lang}/{guide}.ipynb: code cell {number} does not show the {lang} comments"


def test_a_changed_english_comment_fails_and_puts_the_page_behind(monkeypatch):
    """Changing an English comment: the comment is untranslated in every language (named,
    with file, line and command), and its section is behind in every translation."""
    page = "guides/tensors.md"
    before = freshness.fingerprints(page)
    assert not [p for p in freshness.problems() if "guides/tensors.md" in p], "tensors is behind already"
    real = comments.section_comments

    def changed(section):
        found = real(section)
        if section.name == "ones" or not found:
            return found
        return [found[0].__class__(c.module, c.line, c.text + " (changed)", c.section) for c in found]

    monkeypatch.setattr(comments, "section_comments", changed)
    after = freshness.fingerprints(page)
    moved = [anchor for anchor in before if before[anchor] != after[anchor]]
    assert moved, "changing comments changed no section's fingerprint"
    behind = [p for p in freshness.problems() if "guides/tensors.md" in p]
    assert len(behind) == len([lang for lang in LANGS if lang != reference() and not languages()[lang].derived])
    assert all(freshness.status(lang, page).state == "behind" for lang in LANGS if lang != reference())
    missing = comments.missing("ru", comments.module_comments(snippets.SNIPPETS_DIR / "tensors.py"))
    assert missing and all("(changed)" in m and comments.COMMAND in m and "snippets/tensors.py:" in m
                           for m in missing)


def test_update_marks_new_changed_and_removed_comments(tmp_path):
    module = snippets.SNIPPETS_DIR / "x.py"

    def comment(text, line):
        return comments.Comment(module, line, text, "s")

    first = [comment("seeds everything", 1), comment("one vector per title", 2)]
    assert comments.update("ru", tmp_path, first) == {"new": 2, "fuzzy": 0, "obsolete": 0, "kept": 0}
    po = polib.pofile(str(tmp_path / "ru.po"))
    for entry in po:
        entry.msgstr = {"seeds everything": "фиксирует всё", "one vector per title": "вектор на заголовок"}[entry.msgid]
    po.save()
    second = [comment("seeds everything at once", 1), comment("size of the vocabulary", 3)]
    counts = comments.update("ru", tmp_path, second)
    assert counts == {"new": 1, "fuzzy": 1, "obsolete": 1, "kept": 0}
    entries = {e.msgid: e for e in polib.pofile(str(tmp_path / "ru.po"))}
    fuzzy = entries["seeds everything at once"]
    assert "fuzzy" in fuzzy.flags and fuzzy.previous_msgid == "seeds everything" and fuzzy.msgstr == "фиксирует всё"
    assert fuzzy.occurrences == [("snippets/x.py", "1")]
    assert entries["one vector per title"].obsolete and entries["size of the vocabulary"].msgstr == ""
    assert comments.update("ru", tmp_path, second) == {"new": 0, "fuzzy": 0, "obsolete": 0, "kept": 2}


def test_glossary_and_typography_read_the_comments(tmp_path):
    docs = tmp_path / "docs"
    (docs / "ru").mkdir(parents=True)
    (docs / "glossary").mkdir()
    (docs / "glossary" / "ru.yml").write_text('terms:\n  - {term: batch, use: батч, reject: ["пакет"]}\n',
                                               encoding="utf-8")
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="four batches", msgstr='четыре пакета, "как" в `fit("a")`'))
    (docs / "comments").mkdir()
    po.save(str(docs / "comments" / "ru.po"))
    found = glossary.check(["ru"], docs)
    assert len(found) == 1 and "comments/ru.po" in found[0] and "батч" in found[0]
    found = typography.check(["ru"], docs)
    assert found and all("straight quotes" in f and "comments/ru.po" in f for f in found)  # not the code's



def test_an_untranslated_comment_stops_the_build(monkeypatch):
    """The fence and the notebooks of a language fail on a comment it has no translation for,
    naming the file, the line and the command."""
    from docs_tools.site import fence

    monkeypatch.setattr(comments, "catalog", lambda lang, catalogs=None: {})
    expected = r"snippets/tensors\.py:\d+: the comment \".+\" has no ru translation .*comments update"
    with pytest.raises(snippets.SnippetError, match=expected):
        fence.expand("```snippet\ntensors.py:setup\n```\n", "Output", "ru")
    with pytest.raises(snippets.SnippetError, match=expected):
        notebooks.generate("ru", "tensors")
    assert "одни и те же" not in fence.expand("```snippet\ntensors.py:setup\n```\n", "Output", "he")


def test_serve_rebuilds_a_catalogues_language_and_those_derived_from_it():
    from docs_tools.site import build as site

    assert site.touched_languages({snippets.ROOT / "docs/comments/zh.po"}) == {"zh", "zh-TW"}
    assert site.touched_languages({snippets.ROOT / "docs/comments/ru.po"}) == {"ru"}
