"""The built site, all four languages, as readers get it.

The site is built once per test session, strictly (a broken link, anchor or include
fails the build), into build/test-site.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from bs4 import BeautifulSoup

from docs_tools import site as site_tool
from docs_tools.snippets import ROOT
from markdown_pages import LANGUAGES, REFERENCE, pages

PREFIX = site_tool.languages()
PAGE_URLS = [str(p.relative_to(ROOT / "docs" / REFERENCE).with_suffix("")) for p in pages(REFERENCE)]
GUIDES = [url for url in PAGE_URLS if url.startswith("guides/")]


def _html_path(url: str) -> str:
    return "index.html" if url == "index" else f"{url}/index.html"


@pytest.fixture(scope="session")
def built() -> Path:
    target = ROOT / "build" / "test-site"
    site_tool.build(target)
    return target


def soup(built: Path, lang: str, url: str) -> BeautifulSoup:
    path = built / PREFIX[lang] / _html_path(url)
    assert path.is_file(), f"{path} was not built"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_every_language_is_built_with_its_direction(built):
    for lang in LANGUAGES:
        page = soup(built, lang, "index")
        assert page.html["lang"] == lang
        assert page.body["dir"] == ("rtl" if lang == "he" else "ltr")


@pytest.mark.parametrize("url", PAGE_URLS)
def test_heading_anchors_are_the_same_in_every_language(built, url):
    def anchors(lang):
        article = soup(built, lang, url).select_one("article")
        return [h["id"] for h in article.find_all(re.compile("^h[1-6]$")) if h.get("id")]

    expected = anchors(REFERENCE)
    assert expected
    for lang in LANGUAGES:
        assert anchors(lang) == expected, f"{lang}/{url}: anchors differ from {REFERENCE}"


@pytest.mark.parametrize("url", PAGE_URLS)
def test_language_switcher_leads_to_the_same_page(built, url):
    for lang in LANGUAGES:
        base = "http://site/" + "/".join(p for p in (PREFIX[lang], _html_path(url)) if p)
        links = {a["hreflang"]: a["href"] for a in soup(built, lang, url).select("a.md-select__link")}
        assert set(links) == set(LANGUAGES)
        for target, href in links.items():
            resolved = urlparse(urljoin(base, href)).path.lstrip("/")
            expected = "/".join(p for p in (PREFIX[target], "" if url == "index" else url) if p)
            assert resolved.rstrip("/") == expected, f"{lang}/{url}: switcher to {target} goes to {resolved}"


_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_RESOURCE_ATTRS = {"script": "src", "img": "src", "iframe": "src", "source": "src",
                   "video": "src", "audio": "src", "embed": "src", "object": "data"}


def test_pages_load_nothing_from_other_hosts(built):
    problems = []
    for path in built.rglob("*.html"):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in _RESOURCE_ATTRS.items():
            for element in page.find_all(tag):
                value = element.get(attr, "")
                if _EXTERNAL.match(value):
                    problems.append(f"{path.relative_to(built)}: <{tag} {attr}={value}>")
        for link in page.find_all("link"):
            if set(link.get("rel", [])) & {"stylesheet", "preload", "preconnect", "icon",
                                          "modulepreload", "manifest", "dns-prefetch"} \
                    and _EXTERNAL.match(link.get("href", "")):
                problems.append(f"{path.relative_to(built)}: <link href={link['href']}>")
    for path in built.rglob("*.css"):
        for url in re.findall(r"(?:url\(|@import\s+)['\"]?([^'\")\s]+)", path.read_text(encoding="utf-8")):
            if _EXTERNAL.match(url):
                problems.append(f"{path.relative_to(built)}: {url}")
    assert not problems, "third-party resources:\n" + "\n".join(problems)


@pytest.mark.parametrize("url", GUIDES)
def test_guides_state_the_tested_versions(built, url):
    import keras
    import tensorflow as tf

    for lang in LANGUAGES:
        line = soup(built, lang, url).select_one("p.tested-with")
        assert line is not None, f"{lang}/{url}: no 'tested with' line"
        assert tf.__version__ in line.text and keras.__version__ in line.text


@pytest.mark.parametrize("url", GUIDES)
def test_math_is_rendered_at_build_time(built, url):
    for lang in LANGUAGES:
        page = soup(built, lang, url)
        assert not page.select(".arithmatex"), f"{lang}/{url}: a formula was not converted"
        assert page.find("math") is not None


def copyable_code(page: BeautifulSoup) -> list[str]:
    """The text the copy button gives for each block that has one (Material skips .no-copy)."""
    blocks = []
    for block in page.select("article div.highlight"):
        if block.find_parent(class_="no-copy") or "no-copy" in block.get("class", []):
            continue
        blocks.append(block.select_one("pre code").get_text())
    return blocks


@pytest.mark.parametrize("url", GUIDES)
def test_copied_code_runs_top_to_bottom_in_a_fresh_interpreter(built, url, tmp_path):
    """A reader who copies every block of the page, in order, into a new session succeeds.

    The copied code is the same in every language, so running one copy proves all four.
    """
    copies = {lang: copyable_code(soup(built, lang, url)) for lang in LANGUAGES}
    for lang, blocks in copies.items():
        assert blocks == copies[REFERENCE], f"{lang}/{url}: copyable code differs from {REFERENCE}"
    outputs = soup(built, REFERENCE, url).select("article .snippet-output")
    assert outputs and all("no-copy" in o["class"] for o in outputs), "outputs must not be copyable"
    script = tmp_path / "copied.py"
    script.write_text("\n".join(copies[REFERENCE]), encoding="utf-8")
    assert ">>>" not in script.read_text()
    runner = ("from docs_tools import network; network.forbid(); import runpy; "
              f"runpy.run_path({str(script)!r}, run_name='__main__')")
    result = subprocess.run([sys.executable, "-c", runner], capture_output=True, text=True, cwd=tmp_path,
                            env={**os.environ, "MPLBACKEND": "Agg"}, timeout=600)
    assert result.returncode == 0, f"{url}: the copied code failed:\n{result.stderr[-3000:]}"


def _search_index(built: Path, lang: str) -> dict:
    return json.loads((built / PREFIX[lang] / "search" / "search_index.json").read_text(encoding="utf-8"))


def test_search_indexes_are_per_language(built):
    russian = _search_index(built, "ru")["config"]
    assert russian["lang"] == ["ru", "en"] and "stemmer" in russian["pipeline"], \
        "Russian search must stem, so that inflected forms are found"
    for lang in LANGUAGES:
        docs = _search_index(built, lang)["docs"]
        assert any(doc["location"].startswith("guides/") for doc in docs)


def test_chinese_search_index_is_segmented_into_words(built):
    index = _search_index(built, "zh")
    assert "\\u200b" in index["config"]["separator"]
    text = " ".join(doc["text"] for doc in index["docs"])
    words = set(re.split(index["config"]["separator"], text))
    assert "张量" in words, "Chinese text was not segmented (is jieba installed?)"


def test_version_placeholders_are_filled(built):
    import tensorflow as tf

    for path in built.rglob("*.html"):
        assert "{{ versions." not in path.read_text(encoding="utf-8"), f"{path}: unfilled placeholder"
    for lang in LANGUAGES:
        assert f"tensorflow=={tf.__version__}" in soup(built, lang, "running").get_text()
