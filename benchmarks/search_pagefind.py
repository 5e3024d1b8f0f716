"""Pagefind on our site, measured with the queries of the search tests (issue 20's decision).

    pip install "pagefind[extended]"   # not one of the project's dependencies; "extended"
                                       # is the build that segments Chinese
    python benchmarks/search_pagefind.py SITE_DIR [--pagefind "python -m pagefind"]

SITE_DIR is a site built by `nox -s docs` (or build/e2e-site). The notebook pages are left
out, as from Material's index. Pagefind indexes the article of every page
(``--root-selector article``) of each language, one language at a time in a copy of its
own; then each language's home page is opened in headless Chromium, Pagefind's own search API is asked each query of
``docs_tools.search.queries`` (generated from the same built site), and a query hits when
its guide is among the first five pages, as in tests/e2e/test_search.py. Prints the hit
rates per kind, the bundle size per language (all its files; Pagefind's are gzip already,
and a reader downloads only the parts a query needs) and the indexing time.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docs_tools.search import queries as search_queries  # noqa: E402
from docs_tools.languages import languages  # noqa: E402


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--pagefind", default=f"{sys.executable} -m pagefind")
    args = parser.parse_args()
    langs = languages()
    prefixes = {language.prefix for language in langs.values() if language.prefix}
    rows, sizes, downloaded, seconds = [], {}, {}, 0.0
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM") or shutil.which("chromium"),
                                             args=["--no-sandbox"])
        for lang, language in langs.items():
            # One language at the root of its own copy: its own bundle, whose size is its readers'.
            site = Path(tmp) / lang
            source = args.site / language.prefix if language.prefix else args.site
            shutil.copytree(source, site, ignore=lambda d, names: [n for n in names if n == "notebooks" or (
                Path(d) == source and n in prefixes)])
            started = time.perf_counter()
            subprocess.run([*shlex.split(args.pagefind), "--site", str(site), "--root-selector", "article",
                            "--silent"], check=True)
            seconds += time.perf_counter() - started
            bundle = [f for f in (site / "pagefind").rglob("*") if f.is_file()]
            sizes[lang] = (sum(f.stat().st_size for f in bundle), len(bundle))
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
            threading.Thread(target=server.serve_forever, daemon=True).start()
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
            loaded = []
            page.on("response", lambda r: "/pagefind/" in r.url and loaded.append(len(r.body())))
            page.evaluate("async () => { window.pf = await import('/pagefind/pagefind.js'); await pf.init(); }")
            hits: dict[str, list[int]] = {}
            for query in search_queries.queries(args.site, lang):
                urls = page.evaluate("""async q => {
                    const found = await pf.search(q);
                    return Promise.all(found.results.slice(0, 5).map(r => r.data().then(d => d.url)));
                }""", query.text)
                entry = hits.setdefault(query.kind, [0, 0])
                entry[0] += "/" + query.page in urls
                entry[1] += 1
            page.close()
            downloaded[lang] = sum(loaded)
            server.shutdown()
            rows += [(lang, kind, h, n) for kind, (h, n) in hits.items()]
        browser.close()
    for lang, (size, count) in sizes.items():
        print(f"{lang}: Pagefind bundle {size} bytes in {count} files; "
              f"{downloaded[lang]} bytes downloaded to load it and run every query")
    print(f"Pagefind indexed the four languages in {seconds:.1f} s")
    for lang, kind, h, n in rows:
        print(f"{lang:8} {kind:16} {h:3} of {n:3}  {100 * h / n:5.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
