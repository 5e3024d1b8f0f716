"""Chinese queries cut into the words of the index: a patch of Material's search worker.

Material's worker (``assets/javascripts/workers/search.*.min.js``) replaces each run of
Han characters in a query by pieces found among the terms of its index before lunr reads
it, but its loop never tries a piece that ends at the run's last character: "中心" is
searched as "中*" and highlighted as 中, "正态分布" as "正态*" or less. ``tfguides/search``
rewrites that one call, after Material has copied the worker into the site, to call
``segment.js`` (written in front of the worker): the fewest pieces that are terms of the
index (jieba's words of the site, so query and index are cut with the same dictionary).

The patch is made on Material 9.8.1's minified worker; if the call it rewrites is not
there exactly once (an upgrade of Material), the build stops saying so.
"""

from __future__ import annotations

import re
from pathlib import Path

SEGMENT_JS = Path(__file__).with_name("segment.js")
#: Material 9.8.1: ``[...fe(s,this.index.invertedIndex)].join("* ")``, its segmenter called on a
#: run, the pieces joined with a "*" each (its query transform adds one more to every term, so
#: "中心*" became "中心**": lunr then matched the piece, Material's term list did not).
_CALL = re.compile(r"\[\.\.\.[A-Za-z_$][\w$]*\(([A-Za-z_$][\w$]*),this\.index\.invertedIndex\)\]\.join\(\"\* \"\)")
MARK = "/* tfguides/search: segment.js */"


def patch_source(source: str) -> str:
    """The worker's source with Material's segmenter call replaced by ``tfguidesSegment``."""
    if source.startswith(MARK):
        return source
    calls = _CALL.findall(source)
    if len(calls) != 1:
        raise RuntimeError(
            f"Material's search worker: expected one call of its Chinese segmenter on the index, found "
            f"{len(calls)}; docs_tools/search/worker.py was written for Material 9.8.1 (check it after an upgrade)")
    patched = _CALL.sub(lambda m: f'tfguidesSegment({m[1]},this.index.invertedIndex).join(" ")', source)
    # Its source map no longer matches its lines: not pointed at.
    patched = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", patched)
    return f"{MARK}\n{SEGMENT_JS.read_text(encoding='utf-8')}\n{patched}"


def patch(site_dir: Path) -> list[Path]:
    """Patch the search worker(s) Material copied into ``site_dir``; returns them."""
    workers = sorted((Path(site_dir) / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    for worker in workers:
        source = worker.read_text(encoding="utf-8")
        patched = patch_source(source)
        if patched != source:
            worker.write_text(patched, encoding="utf-8")
    return workers
