"""Measure what contributors and readers pay: `nox -s bench`.

Prints the figures, writes them to benchmarks/results.json (committed: the README's
"Project health" table is rendered from it, see --readme) and keeps raw runs there. Every
figure is the median of --runs runs (default 3); the machine is shared and noisy, so the
ratios (suite / floor) are computed from runs made in the same session, interleaved.

1. The CPU test suite, warm (environment installed, execution and build caches present),
   and on a fresh clone of the committed tree (no caches: every guide executes once, in
   parallel kernels), against its floor: the snippets' own code run once, in one process.
2. The full four-language strict build (warm), and while serving: a prose edit saved ->
   page served, and a snippet edit saved -> page served, less the guide's own run.
3. One guide page per language, served with gzip as any static host does: bytes by kind,
   transferred and uncompressed, and Lighthouse scores (mobile profile, Debian's Chromium).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results.json"
README = ROOT / "README.md"
LIGHTHOUSE = ROOT / "benchmarks" / "node_modules" / ".bin" / "lighthouse"
GUIDE = "guides/tensors/"
EDITED_PAGE = ROOT / "docs" / "ru" / "running.md"
EDITED_URL = "ru/running/"
EDITED_SNIPPET = ROOT / "snippets" / "tensors.py"
EDITED_SNIPPET_URL = "zh/guides/tensors/"
TARGETS = {
    "suite_seconds": 120, "suite_over_floor": 1.25, "fresh_suite_over_floor": 1.6, "build_seconds": 20,
    "serve_rebuild_seconds": 2, "serve_snippet_extra_seconds": 2,
    "lighthouse_performance": 95, "lighthouse_accessibility": 100, "page_kb_before_figures": 400,
}
CHROMIUM_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                  "--disable-component-update --disable-sync --no-first-run")


def timed(command: list[str], cwd: Path = ROOT, **kwargs) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - started


FLOOR = ("from docs_tools import execute, offline, snippets; offline.enter(); "
         "[execute.run_module(m) for m in snippets.modules()]")


def _fresh_clone(tmp: Path) -> Path:
    """The committed tree, as a new contributor clones it: no build/, no caches."""
    clone = tmp / f"clone-{time.time_ns()}"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True)
    return clone


def _executions(clone: Path) -> dict[str, int]:
    log = clone / "build" / "executions" / "log.txt"
    counts: dict[str, int] = {}
    for line in (log.read_text().splitlines() if log.is_file() else []):
        counts[line.split("\t")[0]] = counts.get(line.split("\t")[0], 0) + 1
    return counts


#: The suite, less the one test that checks the README against this very measurement.
SUITE = [sys.executable, "-m", "pytest", "-q", "-x",
         "--deselect", "tests/test_readme.py::test_project_health_table_is_rendered_from_the_last_bench_run"]


def suite_and_floor(runs: int, tmp: Path) -> dict:
    suite, floor, fresh, executed = [], [], [], []
    timed(SUITE)  # warm-up: caches as a contributor has them
    for _ in range(runs):
        suite.append(timed(SUITE))
        floor.append(timed([sys.executable, "-c", FLOOR]))
        clone = _fresh_clone(tmp)
        fresh.append(timed(SUITE, cwd=clone))
        executed.append(_executions(clone))
        shutil.rmtree(clone, ignore_errors=True)
    ratios = [s / f for s, f in zip(suite, floor, strict=True)]
    fresh_ratios = [s / f for s, f in zip(fresh, floor, strict=True)]
    return {"suite_seconds": statistics.median(suite), "floor_seconds": statistics.median(floor),
            "suite_over_floor": statistics.median(ratios), "fresh_suite_seconds": statistics.median(fresh),
            "fresh_suite_over_floor": statistics.median(fresh_ratios), "suite_runs": suite,
            "floor_runs": floor, "fresh_suite_runs": fresh, "fresh_executions": executed}


def build(runs: int, site: Path) -> dict:
    command = [sys.executable, "-m", "docs_tools.site", "build", "--site-dir", str(site)]
    timed(command)  # warm-up: notebook execution cache
    times = [timed(command) for _ in range(runs)]
    return {"build_seconds": statistics.median(times), "build_runs": times}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    # The server holds requests while it rebuilds (a snippet edit executes its guide first).
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.read().decode("utf-8", "replace")


def _wait_for(url: str, marker: str, started: float) -> float:
    while marker not in _get(url):
        if time.perf_counter() - started > 300:
            raise RuntimeError(f"the edit never showed up at {url}")
        time.sleep(0.05)
    return time.perf_counter() - started


def _last_execution(guide: str) -> float:
    lines = (ROOT / "build" / "executions" / "log.txt").read_text().splitlines()
    return float([line for line in lines if line.startswith(guide + "\t")][-1].split("\t")[1])


def serve_rebuild(runs: int) -> dict:
    """Seconds from saving an edit to the server returning the new page: a prose edit, and a
    snippet edit (which executes its guide once: that run's own time is reported apart)."""
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "docs_tools.site", "serve", "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    page, snippet = EDITED_PAGE.read_text(encoding="utf-8"), EDITED_SNIPPET.read_text(encoding="utf-8")
    url = f"http://127.0.0.1:{port}/{EDITED_URL}"
    snippet_url = f"http://127.0.0.1:{port}/{EDITED_SNIPPET_URL}"
    prose, code, guide_runs = [], [], []
    try:
        deadline = time.time() + 300
        while True:
            try:
                _get(url)
                break
            except OSError as error:
                if time.time() > deadline:
                    raise RuntimeError("serve did not start") from error
                time.sleep(0.5)
        for run in range(runs + 1):  # the first edit warms the builders' caches: not counted
            marker = f"bench-marker-{run}-{time.time_ns()}"
            time.sleep(2)  # let the file watcher settle
            started = time.perf_counter()
            EDITED_PAGE.write_text(page + f"\n{marker}\n", encoding="utf-8")
            seconds = _wait_for(url, marker, started)
            if run:
                prose.append(seconds)
        for run in range(runs):
            marker = f"bench_marker_{run}_{time.time_ns()}"
            time.sleep(2)
            started = time.perf_counter()
            # A comment in the first section: the code changes, what it prints does not.
            EDITED_SNIPPET.write_text(snippet.replace("\n# --8<-- [end:", f"\n# {marker}\n# --8<-- [end:", 1),
                                      encoding="utf-8")
            seconds = _wait_for(snippet_url, marker, started)
            guide_runs.append(_last_execution(EDITED_SNIPPET.stem))
            code.append(seconds - guide_runs[-1])
    finally:
        EDITED_PAGE.write_text(page, encoding="utf-8")
        EDITED_SNIPPET.write_text(snippet, encoding="utf-8")
        time.sleep(2)  # the server executes the restored module once more, then stops
        server.terminate()
        server.wait(timeout=60)
        for tool in ("docs_tools.outputs", "docs_tools.notebooks"):  # as before the edits
            subprocess.run([sys.executable, "-m", tool], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return {"serve_rebuild_seconds": statistics.median(prose), "serve_rebuild_runs": prose,
            "serve_snippet_extra_seconds": statistics.median(code), "serve_snippet_extra_runs": code,
            "serve_snippet_guide_run_seconds": guide_runs}


class _GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with gzip for text, as a static host serves them."""

    COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".ipynb")

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix in self.COMPRESSIBLE and path.is_file() and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return _Body(body)
        return super().send_head()

    def log_message(self, *args):
        pass


class _Body:
    def __init__(self, data: bytes):
        self.data = data

    def read(self, *_):
        data, self.data = self.data, b""
        return data

    def close(self):
        pass


def _serve_static(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _kind(resource_type: str, url: str) -> str:
    if resource_type in ("Document",):
        return "html"
    if resource_type in ("Stylesheet",):
        return "css"
    if resource_type in ("Script",):
        return "js"
    if resource_type in ("Font",):
        return "fonts"
    if resource_type in ("Image",):
        return "figures" if "/figures/" in url else "images"
    return "other"


def page_weight_and_lighthouse(site: Path, runs: int, languages: dict[str, str]) -> dict:
    if not LIGHTHOUSE.exists():
        raise RuntimeError("Lighthouse is not installed: run `npm ci --prefix benchmarks`")
    server, base = _serve_static(site)
    results = {}
    try:
        for lang, prefix in languages.items():
            url = base + (f"{prefix}/" if prefix else "") + GUIDE
            scores = {"performance": [], "accessibility": [], "best-practices": []}
            weight = None
            for _ in range(runs):
                with tempfile.TemporaryDirectory() as tmp:
                    report = Path(tmp) / "report.json"
                    subprocess.run([str(LIGHTHOUSE), url, "--chrome-path", os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                                    f"--chrome-flags={CHROMIUM_FLAGS}", "--quiet", "--output=json",
                                    f"--output-path={report}",
                                    "--only-categories=performance,accessibility,best-practices"],
                                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    data = json.loads(report.read_text())
                for name in scores:
                    scores[name].append(round(data["categories"][name]["score"] * 100))
                if weight is None:
                    weight = {}
                    for item in data["audits"]["network-requests"]["details"]["items"]:
                        kind = _kind(item.get("resourceType", ""), item["url"])
                        entry = weight.setdefault(kind, {"transferred": 0, "uncompressed": 0})
                        entry["transferred"] += item.get("transferSize", 0)
                        entry["uncompressed"] += item.get("resourceSize", 0)
            before_figures = sum(v["transferred"] for k, v in weight.items() if k != "figures")
            results[lang] = {
                "lighthouse": {name: statistics.median(values) for name, values in scores.items()},
                "lighthouse_runs": scores,
                "bytes": weight,
                "kb_before_figures": round(before_figures / 1024, 1),
            }
    finally:
        server.shutdown()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=["suite", "build", "serve", "pages"], action="append")
    parser.add_argument("--readme", action="store_true",
                        help="only rewrite the README's Project health table from benchmarks/results.json")
    args = parser.parse_args()
    if args.readme:
        write_readme(json.loads(RESULTS.read_text(encoding="utf-8")))
        return 0
    sys.path.insert(0, str(ROOT))
    from docs_tools.site import languages

    only = set(args.only or ["suite", "build", "serve", "pages"])
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                            capture_output=True).stdout.strip()
    # --only measures some parts again and keeps the others from the last run; each part
    # says at which commit it was measured.
    results: dict = json.loads(RESULTS.read_text(encoding="utf-8")) if args.only and RESULTS.is_file() else {}
    results.update({"date": time.strftime("%Y-%m-%d"), "runs": args.runs, "cpus": os.cpu_count(),
                    "commit": commit, "targets": TARGETS})
    with tempfile.TemporaryDirectory(prefix="tfguides-bench-") as tmp:
        site = Path(tmp) / "site"
        if "suite" in only:
            results["suite"] = suite_and_floor(args.runs, Path(tmp))
        if "build" in only or "pages" in only:
            results["build"] = build(args.runs, site)
        if "serve" in only:
            results["serve"] = serve_rebuild(args.runs)
        if "pages" in only:
            results["pages"] = page_weight_and_lighthouse(site, args.runs, languages())
    results.setdefault("commits", {})
    for part in only | ({"build"} if "pages" in only else set()):
        results["commits"][part] = commit
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    report(results)
    if all(part in results for part in ("suite", "build", "serve", "pages")):
        write_readme(results)
        print(f"\n{README.relative_to(ROOT)}: Project health table rewritten from this run")
    return 0


def _met(value: float, target: float, higher_is_better: bool = False) -> bool:
    return value >= target if higher_is_better else value <= target


def report(results: dict) -> None:
    def line(name: str, value: float, target: float, unit: str, higher_is_better: bool = False) -> str:
        met = _met(value, target, higher_is_better)
        return f"  {name:<44} {value:>8.1f} {unit:<3} target {'>=' if higher_is_better else '<='} {target:<6} {'ok' if met else 'MISSED'}"

    print(f"\nMedians of {results['runs']} runs on {results['cpus']} CPUs (raw runs in {RESULTS.relative_to(ROOT)}):")
    if "suite" in results:
        s = results["suite"]
        print(line("CPU suite, warm", s["suite_seconds"], TARGETS["suite_seconds"], "s"))
        print(f"  {'floor: snippets run once, one process':<44} {s['floor_seconds']:>8.1f} s")
        print(line("suite / floor", s["suite_over_floor"], TARGETS["suite_over_floor"], "x"))
        print(f"  {'CPU suite, fresh clone':<44} {s['fresh_suite_seconds']:>8.1f} s")
        print(line("fresh-clone suite / floor", s["fresh_suite_over_floor"], TARGETS["fresh_suite_over_floor"], "x"))
        print(f"  {'executions per guide, fresh clone':<44} {s['fresh_executions']}")
    if "build" in results:
        print(line("four-language strict build, warm", results["build"]["build_seconds"], TARGETS["build_seconds"], "s"))
    if "serve" in results:
        print(line("serve: prose edit saved -> page served", results["serve"]["serve_rebuild_seconds"],
                   TARGETS["serve_rebuild_seconds"], "s"))
        print(line("serve: snippet edit -> served, less guide run", results["serve"]["serve_snippet_extra_seconds"],
                   TARGETS["serve_snippet_extra_seconds"], "s"))
    for lang, page in results.get("pages", {}).items():
        kinds = ", ".join(f"{k} {v['transferred'] / 1024:.0f}/{v['uncompressed'] / 1024:.0f}"
                          for k, v in sorted(page["bytes"].items()))
        print(f"  {lang}/{GUIDE}: KB transferred/uncompressed: {kinds}")
        print(line(f"  {lang}: KB before figures", page["kb_before_figures"], TARGETS["page_kb_before_figures"], "KB"))
        print(line(f"  {lang}: Lighthouse performance", page["lighthouse"]["performance"],
                   TARGETS["lighthouse_performance"], "", True))
        print(line(f"  {lang}: Lighthouse accessibility", page["lighthouse"]["accessibility"],
                   TARGETS["lighthouse_accessibility"], "", True))
        print(f"  {lang + ': Lighthouse best practices':<44} {page['lighthouse']['best-practices']:>8.1f}")


TABLE_START = "<!-- bench:start (written by `nox -s bench` from benchmarks/results.json; do not edit) -->"
TABLE_END = "<!-- bench:end -->"


def readme_table(results: dict) -> str:
    """The README's Project health table, rendered from a bench run's results."""
    t = results["targets"]
    s, b, v, pages = results["suite"], results["build"], results["serve"], results["pages"]

    def target(value: float, limit: float, text: str, higher: bool = False) -> str:
        return text + ("" if _met(value, limit, higher) else " (missed)")

    langs = list(pages)
    slash = " / ".join
    guide_runs = v["serve_snippet_guide_run_seconds"]
    rows = [
        ("CPU suite, warm (`pytest`, environment installed, executions cached)", f"{s['suite_seconds']:.1f} s",
         target(s["suite_seconds"], t["suite_seconds"], f"≤ {t['suite_seconds']} s")),
        ("Floor: the snippets' code run once in one process", f"{s['floor_seconds']:.1f} s", ""),
        ("Warm suite / floor", f"{s['suite_over_floor']:.2f}×",
         target(s["suite_over_floor"], t["suite_over_floor"], f"≤ {t['suite_over_floor']}×")),
        ("CPU suite on a fresh clone (environment installed; each guide executes once)",
         f"{s['fresh_suite_seconds']:.1f} s", ""),
        ("Fresh-clone suite / floor", f"{s['fresh_suite_over_floor']:.2f}×",
         target(s["fresh_suite_over_floor"], t["fresh_suite_over_floor"], f"≤ {t['fresh_suite_over_floor']}×")),
        ("Strict four-language build, warm", f"{b['build_seconds']:.1f} s",
         target(b["build_seconds"], t["build_seconds"], f"≤ {t['build_seconds']} s")),
        ("Serve: prose edit saved → page served", f"{v['serve_rebuild_seconds']:.1f} s",
         target(v["serve_rebuild_seconds"], t["serve_rebuild_seconds"], f"≤ {t['serve_rebuild_seconds']} s")),
        (f"Serve: snippet edit saved → page served, less the guide's own run "
         f"({statistics.median(guide_runs):.1f} s)", f"{v['serve_snippet_extra_seconds']:.1f} s",
         target(v["serve_snippet_extra_seconds"], t["serve_snippet_extra_seconds"],
                f"≤ {t['serve_snippet_extra_seconds']} s")),
        (f"Tensors guide, KB transferred before figures (gzip): {slash(langs)}",
         slash(f"{pages[lang]['kb_before_figures']:.0f}" for lang in langs), f"≤ {t['page_kb_before_figures']}"),
        (f"Lighthouse performance (mobile profile): {slash(langs)}",
         slash(f"{pages[lang]['lighthouse']['performance']:.0f}" for lang in langs),
         target(min(pages[lang]["lighthouse"]["performance"] for lang in langs), t["lighthouse_performance"],
                f"≥ {t['lighthouse_performance']}", True)),
        (f"Lighthouse accessibility, best practices: {slash(langs)}",
         slash(f"{pages[lang]['lighthouse']['accessibility']:.0f}, {pages[lang]['lighthouse']['best-practices']:.0f}"
               for lang in langs), f"{t['lighthouse_accessibility']}"),
    ]
    commits = {part: results.get("commits", {}).get(part, results["commit"])
               for part in ("suite", "build", "serve", "pages")}
    at = (f"at commit {results['commit']}" if len(set(commits.values())) == 1 else
          "at commits " + ", ".join(f"{c} ({', '.join(p for p in commits if commits[p] == c)})"
                                    for c in dict.fromkeys(commits.values())))
    lines = [TABLE_START,
             f"Run of {results['date']} {at}, {results['cpus']} cores, medians of "
             f"{results['runs']} runs:", "", "| What | Figure | Target |", "| --- | --- | --- |"]
    lines += [f"| {what} | {figure} | {goal} |" for what, figure, goal in rows]
    return "\n".join(lines + [TABLE_END])


def write_readme(results: dict) -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.index(TABLE_START), text.index(TABLE_END) + len(TABLE_END)
    README.write_text(text[:start] + readme_table(results) + text[end:], encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
