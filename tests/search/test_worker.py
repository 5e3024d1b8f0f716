"""Chinese queries cut into the words of the index: docs_tools.search.worker's patch of
Material's search worker, run in Node where it is installed (Chromium runs it in
tests/e2e/test_search.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import material
import pytest

from docs_tools.search import worker

MATERIAL_WORKER = next((Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "workers")
                       .glob("search.*.min.js"))

#: Runs a worker in Node as a page does: a setup message with the index, then queries; prints
#: each query's pages and the words each result highlights (its ``terms``, the link's ?h=).
HARNESS = r"""
const fs = require("fs"), vm = require("vm")
const [file, index, queries] = process.argv.slice(2)
const source = fs.readFileSync(file, "utf8")
let listener, last
const ctx = {console, postMessage: m => { last = m }, addEventListener: (_, f) => { listener = f }, importScripts() {}}
ctx.self = ctx
vm.createContext(ctx)
vm.runInContext(source, ctx)
;(async () => {
  const {config, docs} = JSON.parse(index)
  await listener({data: {type: 0, data: {config, docs, options: {}}}})
  const out = []
  for (const query of JSON.parse(queries)) {
    await listener({data: {type: 2, data: query}})
    out.push(last.data.items.map(group => group.map(item =>
      [item.location, Object.keys(item.terms).filter(term => item.terms[term])])))
  }
  console.log(JSON.stringify(out))
})()
"""

#: Three pages, cut into words as Material cuts Chinese (U+200B between jieba's words); 中
#: stands alone on every page, as a first character does on every guide.
INDEX = {
    "config": {"lang": ["en"], "separator": r"[\s\u200b\-]+", "pipeline": ["stopWordFilter"],
               "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}},
    "docs": [{"location": "a/", "title": "一", "text": "在\u200b训练\u200b中\u200b，\u200b数据\u200b的\u200b中心"},
             {"location": "b/", "title": "二", "text": "正态分布\u200b的\u200b中心\u200b和\u200b方差"},
             {"location": "c/", "title": "三", "text": "层\u200b中\u200b的\u200b中文\u200b名字"}],
}


def _run(source: str, queries: list[str], tmp_path: Path) -> list:
    script, path = tmp_path / "harness.js", tmp_path / "worker.js"
    script.write_text(HARNESS, encoding="utf-8")
    path.write_text(source, encoding="utf-8")
    done = subprocess.run(["node", str(script), str(path), json.dumps(INDEX), json.dumps(queries)],
                          capture_output=True, text=True, check=True, timeout=60)
    return json.loads(done.stdout)


def test_the_patch_replaces_materials_one_call_and_is_made_once():
    source = MATERIAL_WORKER.read_text(encoding="utf-8")
    patched = worker.patch_source(source)
    assert patched.startswith(worker.MARK) and "tfguidesSegment(" in patched
    assert worker.patch_source(patched) == patched
    with pytest.raises(RuntimeError, match="Material 9.8.1"):
        worker.patch_source(source.replace("this.index.invertedIndex", "this.index.other"))


@pytest.mark.skipif(not shutil.which("node"), reason="no Node to run the worker in")
def test_a_chinese_word_is_searched_whole_not_by_its_first_character(tmp_path):
    source = MATERIAL_WORKER.read_text(encoding="utf-8")
    queries = ["中心", "正态分布方差", "中"]
    before, after = _run(source, queries, tmp_path), _run(worker.patch_source(source), queries, tmp_path)

    def pages(result):
        return [group[0][0] for group in result]

    def highlighted(result):
        return {term for group in result for _, terms in group for term in terms}

    # Material's own worker searches 中心 as 中*: every page, 中 highlighted.
    assert sorted(pages(before[0])) == ["a/", "b/", "c/"] and highlighted(before[0]) == {"中"}
    # Patched: the pages with the word, the word highlighted; two words typed together.
    assert sorted(pages(after[0])) == ["a/", "b/"] and highlighted(after[0]) == {"中心"}
    assert pages(after[1]) == ["b/"] and highlighted(after[1]) == {"正态分布", "方差"}
    assert sorted(pages(after[2])) == ["a/", "b/", "c/"]  # a character still begins words
