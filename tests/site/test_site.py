"""The built site, every language, as readers get it.

The site is built once per test session, strictly (a broken link, anchor or include
fails the build), into build/test-site.
"""

from __future__ import annotations

import functools
from html import unescape as html_unescape
import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlparse

import nbformat
import pytest
import lxml.html

from docs_tools.site import fingerprint, notebooks
from docs_tools import snippets
from docs_tools.site import build as site_tool
from docs_tools.snippets import ROOT
from docs_tools.translation import comments
from docs_tools.languages import followed
from markdown_pages import LANGUAGES, REFERENCE, pages

PREFIX = site_tool.languages()
PAGE_URLS = [str(p.relative_to(ROOT / "docs" / REFERENCE).with_suffix("")) for p in pages(REFERENCE)]
GUIDES = [url for url in PAGE_URLS if url.startswith("guides/")]


def _html_path(url: str) -> str:
    return "index.html" if url == "index" else f"{url}/index.html"


@pytest.fixture(scope="session")
def built(request, tmp_path_factory) -> Path:
    target = fingerprint.TEST_SITE
    fingerprint.build_recorded(target)  # the browser suite serves it while nothing changed (fingerprint.py)
    if any(item.name == test_a_warm_rebuild_of_serve_is_the_same_site_as_a_cold_build.__name__
           for item in request.session.items):
        _start_warm_rebuild(tmp_path_factory.mktemp("warm-rebuild"))  # runs while the other tests do
        request.addfinalizer(_WARM_REBUILD["process"].kill)  # if the run stops before its test
    return target


@functools.lru_cache(maxsize=None)
def parsed(path: Path) -> lxml.html.HtmlElement:
    """A built page, parsed once per session (tests only read it). lxml, not Beautiful Soup:
    building Beautiful Soup's tree took 6 of the site tests' 8 seconds."""
    assert path.is_file(), f"{path} was not built"
    return lxml.html.document_fromstring(path.read_text(encoding="utf-8"))


def soup(built: Path, lang: str, url: str) -> lxml.html.HtmlElement:
    return parsed(built / PREFIX[lang] / _html_path(url))


def first(element: lxml.html.HtmlElement, selector: str) -> lxml.html.HtmlElement | None:
    found = element.cssselect(selector)
    return found[0] if found else None


def text(element: lxml.html.HtmlElement) -> str:
    """What a reader can read of ``element``: its text, less scripts and styles."""
    return "".join(element.xpath(".//text()[not(ancestor::script or ancestor::style)]"))


def classes(element: lxml.html.HtmlElement) -> list[str]:
    return (element.get("class") or "").split()


def test_every_language_is_built_with_its_direction(built):
    for lang in LANGUAGES:
        page = soup(built, lang, "index")
        assert page.get("lang") == lang
        assert page.body.get("dir") == ("rtl" if lang == "he" else "ltr")


@pytest.mark.parametrize("url", PAGE_URLS)
def test_heading_anchors_are_the_same_in_every_language(built, url):
    def anchors(lang):
        article = first(soup(built, lang, url), "article")
        return [h.get("id") for h in article.cssselect("h1, h2, h3, h4, h5, h6") if h.get("id")]

    expected = anchors(REFERENCE)
    assert expected
    for lang in LANGUAGES:
        assert anchors(lang) == expected, f"{lang}/{url}: anchors differ from {REFERENCE}"


@pytest.mark.parametrize("url", PAGE_URLS)
def test_language_switcher_leads_to_the_same_page(built, url):
    for lang in LANGUAGES:
        base = "http://site/" + "/".join(p for p in (PREFIX[lang], _html_path(url)) if p)
        links = {a.get("hreflang"): a.get("href") for a in soup(built, lang, url).cssselect("a.md-select__link")}
        assert set(links) == set(LANGUAGES)
        for target, href in links.items():
            resolved = urlparse(urljoin(base, href)).path.lstrip("/")
            expected = "/".join(p for p in (PREFIX[target], "" if url == "index" else url) if p)
            assert resolved.rstrip("/") == expected, f"{lang}/{url}: switcher to {target} goes to {resolved}"


_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_RESOURCE_ATTRS = {"script": "src", "img": "src", "iframe": "src", "source": "src",
                   "video": "src", "audio": "src", "embed": "src", "object": "data"}


_LOADING_RELS = {"stylesheet", "preload", "preconnect", "icon", "modulepreload", "manifest", "dns-prefetch"}


def _external_resources(page: lxml.html.HtmlElement) -> list[str]:
    """The resources on other hosts that a page makes the browser load."""
    found = []
    for element in page.iter(*_RESOURCE_ATTRS, "link"):
        attribute = "href" if element.tag == "link" else _RESOURCE_ATTRS[element.tag]
        loads = element.tag != "link" or set((element.get("rel") or "").split()) & _LOADING_RELS
        if loads and _EXTERNAL.match(element.get(attribute) or ""):
            found.append(f"<{element.tag} {attribute}={element.get(attribute)}>")
    return found


def test_pages_load_nothing_from_other_hosts(built):
    problems = []
    for path in built.rglob("*.html"):
        problems += [f"{path.relative_to(built)}: {found}" for found in _external_resources(parsed(path))]
    for path in built.rglob("*.css"):
        for url in re.findall(r"(?:url\(|@import\s+)['\"]?([^'\")\s]+)", path.read_text(encoding="utf-8")):
            if _EXTERNAL.match(url):
                problems.append(f"{path.relative_to(built)}: {url}")
    assert not problems, "third-party resources:\n" + "\n".join(problems)


@pytest.mark.parametrize("url", GUIDES)
def test_guides_state_the_tested_versions(built, url):
    import keras
    import tensorflow as tf

    device = snippets.provenance(snippets.SNIPPETS_DIR / f"{url.split('/')[1]}.py")["device"]
    assert device.startswith("CPU, "), f"{url}: outputs produced on {device!r}"
    for lang in LANGUAGES:
        line = first(soup(built, lang, url), "p.tested-with")
        assert line is not None, f"{lang}/{url}: no 'tested with' line"
        assert tf.__version__ in text(line) and keras.__version__ in text(line)
        assert device in text(line), f"{lang}/{url}: the line does not say where the outputs were produced"
        # ... and links to the policy for other machines, a section of the running page.
        [policy] = line.cssselect("a")
        target = (built / PREFIX[lang] / url / policy.get("href").partition("#")[0] / "index.html").resolve()
        assert policy.get("href").endswith("#other-machines") and target.is_file()
        assert parsed(target).xpath("//*[@id='other-machines']")


@pytest.mark.parametrize("url", GUIDES)
def test_figures_load_lazily(built, url):
    for lang in LANGUAGES:
        figures = soup(built, lang, url).cssselect('article img[src*="figures/"]')
        assert figures and all(img.get("loading") == "lazy" and img.get("alt") for img in figures)


#: Pages whose source has a formula ($...$ outside code spans).
def _has_math(lang: str, url: str) -> bool:
    """Whether the page's source writes a formula (a derived language's: its source's)."""
    source = ROOT / "docs" / followed(lang) / f"{url}.md"
    return bool(notebooks._MATH.search(re.sub(r"`[^`]*`", "", source.read_text(encoding="utf-8"))))


# Per language: Hebrew writes a product of two different numbers as a formula ($784 \times 32$),
# so that right-to-left display keeps its order, where the English writes 784x32 in prose.
WITH_MATH = {lang: [url for url in PAGE_URLS if _has_math(lang, url)] for lang in LANGUAGES}


def test_some_pages_have_math():
    assert all(WITH_MATH.values())  # or the next test would check nothing


@pytest.mark.parametrize("url", PAGE_URLS)
def test_math_is_rendered_at_build_time(built, url):
    for lang in LANGUAGES:
        page = soup(built, lang, url)
        assert not page.cssselect(".arithmatex"), f"{lang}/{url}: a formula was not converted"
        assert bool(page.xpath("//math")) == (url in WITH_MATH[lang]), f"{lang}/{url}: math expected " \
            f"{'but missing' if url in WITH_MATH[lang] else 'nowhere, but found'}"


def copyable_code(page: lxml.html.HtmlElement) -> list[str]:
    """The text the copy button gives for each block that has one (Material skips .no-copy)."""
    blocks = []
    for block in page.cssselect("article div.highlight"):
        if any("no-copy" in classes(element) for element in (block, *block.iterancestors())):
            continue
        blocks.append(text(first(block, "pre code")))
    return blocks


@pytest.mark.parametrize("url", GUIDES)
def test_copied_code_runs_top_to_bottom_in_a_fresh_interpreter(built, url):
    """A reader who copies every block of the page, in order, into a new session succeeds.

    The build ran the guide's notebook top to bottom in a fresh kernel and stopped on any
    error. Here: what the copy buttons give, in every language, is exactly that language's
    notebook's code cells, in order, and they are the code that ran, token for token (only
    comments are translated: Python's tokenize without COMMENT and NL), so that run is the
    reader's run. Outputs cannot be copied.
    """
    guide = url.split("/")[1]
    executed = nbformat.read(notebooks.executed_path(REFERENCE, guide), as_version=4)
    ran = [cell.source.rstrip("\n") for cell in executed.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in executed.cells if cell.cell_type == "code")
    for lang in LANGUAGES:
        # Each language's notebook: the run's cells with the language's comments.
        notebook = nbformat.read(notebooks.executed_path(lang, guide), as_version=4)
        cells = [cell.source.rstrip("\n") for cell in notebook.cells if cell.cell_type == "code"]
        page = soup(built, lang, url)
        copied = [block.rstrip("\n") for block in copyable_code(page)]
        assert copied == cells, f"{lang}/{url}: the copyable code is not the notebook's code"
        different = [number for number, (block, code) in enumerate(zip(copied, ran, strict=True))
                     if comments.without_comments(block) != comments.without_comments(code)]
        assert not different, f"{lang}/{url}: blocks {different} differ from the code that ran beyond comments"
        assert not any(">>>" in block for block in copied)
        outputs = page.cssselect("article .snippet-output")
        assert outputs and all("no-copy" in classes(o) for o in outputs), "outputs must not be copyable"


def _search_index(built: Path, lang: str) -> dict:
    return json.loads((built / PREFIX[lang] / "search" / "search_index.json").read_text(encoding="utf-8"))


def test_search_indexes_are_per_language(built):
    russian = _search_index(built, "ru")["config"]
    assert russian["lang"] == ["ru", "en"]
    for lang in LANGUAGES:
        config = _search_index(built, lang)["config"]
        # Material appends "*" to query terms and lunr does not stem wildcard terms: a stemmed
        # index would make whole-word queries miss (the browser tests check real queries).
        assert "stemmer" not in config["pipeline"], f"{lang}: stemming breaks Material's search"
        docs = _search_index(built, lang)["docs"]
        assert any(doc["location"].startswith("guides/") for doc in docs)


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if not comments.shows_english(lang)])
def test_search_finds_the_comments_in_the_page_language(built, lang):
    """The code blocks are in the page's HTML and so in its search index, with their
    comments translated: every translated comment of a guide is in its entry's text."""
    text = "\n".join(doc["text"] for doc in _search_index(built, lang)["docs"] if doc["location"].startswith("guides/"))
    def squeezed(found: str) -> str:
        # No spaces, word breaks of Chinese search or "#" of a comment wrapped onto more lines;
        # ё read as е (the Russian index folds it).
        return re.sub(r"[\s\u200b#]+", "", found).replace("ё", "е").replace("Ё", "Е")

    text = squeezed(html_unescape(re.sub(r"<[^>]+>", "", text)))
    shown = {comments.catalog(lang)[comment.text] for comment in comments.all_comments()}
    missing = [comment for comment in shown if squeezed(comment) not in text]
    assert not missing, f"{lang}: {len(missing)} of {len(shown)} translated comments are not in the search index: {missing[:3]}"


def test_search_never_finds_a_notebook_page(built):
    """A guide's rendered notebook repeats it: search leads to the guide (which links to it)."""
    for lang in LANGUAGES:
        notebook_entries = [doc["location"] for doc in _search_index(built, lang)["docs"]
                            if doc["location"].startswith("notebooks/")]
        assert not notebook_entries, f"{lang}: notebook pages in the search index: {notebook_entries[:3]}"


def test_indexes_carry_other_forms(built):
    """The hidden field of docs_tools.search.forms: declared in the index's config, on one
    entry per page (the page itself), never in the text readers see."""
    from docs_tools.search import forms as search_forms

    for lang in set(LANGUAGES) & set(search_forms.LANGUAGES):
        index = _search_index(built, lang)
        assert index["config"]["fields"][search_forms.FIELD] == {"boost": search_forms.FORMS_BOOST}
        with_forms = [doc["location"] for doc in index["docs"] if search_forms.FIELD in doc]
        assert any(location.startswith("guides/") for location in with_forms), f"{lang}: no forms indexed"
        assert all("#" not in location for location in with_forms), f"{lang}: forms on a section"
    for lang in set(LANGUAGES) - set(search_forms.LANGUAGES):
        assert search_forms.FIELD not in _search_index(built, lang)["config"]["fields"]


@pytest.mark.parametrize("lang, words", [("zh", {"张量", "方差"}), ("zh-TW", {"張量", "變異數", "雜訊"})])
def test_chinese_search_index_is_segmented_into_words(built, lang, words):
    """Traditional words too: zh-TW's index is cut with jieba's dictionary converted to
    Traditional, plus the words of its pages that dictionary lacks (docs_tools/search/chinese.py;
    tests/search/test_chinese.py measures the difference)."""
    index = _search_index(built, lang)
    assert "\\u200b" in index["config"]["separator"]
    text = " ".join(doc["text"] for doc in index["docs"])
    found = set(re.split(index["config"]["separator"], text))
    assert words <= found, f"{lang}: {sorted(words - found)} not segmented as words (is jieba installed?)"


def test_russian_search_reads_yo_as_ye(built):
    """The Russian pages write ё (docs_tools.translation.typography); readers mostly type е. The index is
    folded, and each page folds the query as it is typed (docs_tools.search.fold)."""
    text = " ".join(doc["title"] + " " + doc["text"] for doc in _search_index(built, "ru")["docs"])
    assert "ё" not in text.lower() and "слоев" in text
    page = (built / PREFIX["ru"] / _html_path("guides/functional_api")).read_text(encoding="utf-8")
    assert "слоёв" in page and "fold[c]" in page, "the page keeps ё and folds the query"
    english = (built / _html_path("guides/functional_api")).read_text(encoding="utf-8")
    assert "md-search__input" in english and "fold[c]" not in english


def test_version_placeholders_are_filled(built):
    import tensorflow as tf

    for path in built.rglob("*.html"):
        assert "{{ versions." not in path.read_text(encoding="utf-8"), f"{path}: unfilled placeholder"
    for lang in LANGUAGES:
        assert f"tensorflow=={tf.__version__}" in text(soup(built, lang, "running"))


@pytest.mark.parametrize("url", GUIDES)
def test_guides_link_to_their_notebook(built, url):
    guide = url.split("/")[1]
    for lang in LANGUAGES:
        links = soup(built, lang, url).cssselect("p.notebook-links a")
        assert len(links) == 3, f"{lang}/{url}: expected links to the notebook, its file and Colab"
        page_dir = built / PREFIX[lang] / url
        rendered, download, colab = (a.get("href") for a in links)
        assert (page_dir / rendered / "index.html").resolve().is_file()
        assert (page_dir / download).resolve().is_file() and download.endswith(f"{guide}.ipynb")
        assert colab.startswith("https://colab.research.google.com/github/") \
            and colab.endswith(f"/blob/main/notebooks/{lang}/{guide}.ipynb")
        assert (ROOT / "notebooks" / lang / f"{guide}.ipynb").is_file(), "Colab's target is not committed"


@pytest.mark.parametrize("guide", notebooks.guides())
def test_rendered_notebooks_show_the_executed_outputs(built, guide):
    executed = nbformat.read(notebooks.executed_path(REFERENCE, guide), as_version=4)
    printed = [out["text"] for cell in executed.cells if cell.cell_type == "code"
               for out in cell.outputs if out.get("name") == "stdout"]
    figures = sum("image/png" in out.get("data", {}) for cell in executed.cells
                  if cell.cell_type == "code" for out in cell.outputs)
    assert printed and figures
    for lang in LANGUAGES:
        page = soup(built, lang, f"notebooks/{guide}")
        readable = text(page)
        assert all(line in readable for chunk in printed for line in chunk.splitlines() if line.strip()), \
            f"{lang}: rendered notebook lacks outputs of the execution"
        assert len(page.cssselect("article img")) == figures, f"{lang}: figures missing in the rendered notebook"
        assert page.body.get("dir") == ("rtl" if lang == "he" else "ltr")
        assert not page.cssselect(".arithmatex") and "$$" not in readable


#: serve's builders memoize highlighting and search indexing (docs_tools/site/warm_caches.py):
#: their second build, served from the memos, must be byte for byte the strict cold build.
WARM_REBUILT = "he"
_WARM_REBUILD: dict = {}


def _start_warm_rebuild(out: Path) -> None:
    code = ("import sys; from pathlib import Path; from docs_tools.site import build as site\n"
            "if __name__ == '__main__':\n"
            "    site._warm_up()\n"
            "    [site._build_here(sys.argv[1], Path(sys.argv[2]) / str(i)) for i in range(2)]\n"
            "    from docs_tools.site import warm_caches; print(warm_caches.HITS)")
    _WARM_REBUILD.update(out=out, process=subprocess.Popen(
        [sys.executable, "-c", code, WARM_REBUILT, str(out)], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True))


def test_a_warm_rebuild_of_serve_is_the_same_site_as_a_cold_build(built):
    lang, process, out = WARM_REBUILT, _WARM_REBUILD["process"], _WARM_REBUILD["out"]  # started by built
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, f"the warm rebuild failed:\n{stderr}"
    hits = eval(stdout.strip().splitlines()[-1])  # noqa: S307: our own dict of counts
    assert hits["highlight"] > 100 and hits["search"] > 5, f"the memos were not used: {hits}"
    cold, warm = built / PREFIX[lang], out / "1"
    files = sorted(p.relative_to(cold) for p in cold.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(warm) for p in warm.rglob("*") if p.is_file())
    differ = [str(f) for f in files if (cold / f).read_bytes() != (warm / f).read_bytes()]
    assert not differ, f"a warm rebuild differs from the cold build in: {differ[:10]}"
