"""Measure what contributors and readers pay: `nox -s bench`.

Prints the figures and writes them to .bench/results.json. Every figure is the median of
--runs runs (default 3); the machine is shared and noisy, so the ratio (suite / floor) is
computed from runs made in the same session, interleaved.

1. The CPU test suite, warm (environment installed, build caches present), against its
   floor: the snippets' own code run once, in one process.
2. The full four-language strict build (warm), and while serving, the time from saving an
   edited page to the rebuilt page being served.
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
RESULTS = ROOT / ".bench" / "results.json"
LIGHTHOUSE = ROOT / "benchmarks" / "node_modules" / ".bin" / "lighthouse"
GUIDE = "guides/tensors/"
EDITED_PAGE = ROOT / "docs" / "ru" / "running.md"
EDITED_URL = "ru/running/"
TARGETS = {
    "suite_seconds": 120, "suite_over_floor": 1.5, "build_seconds": 20, "serve_rebuild_seconds": 3,
    "lighthouse_performance": 95, "lighthouse_accessibility": 100, "page_kb_before_figures": 400,
}
CHROMIUM_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                  "--disable-component-update --disable-sync --no-first-run")


def timed(command: list[str], **kwargs) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - started


FLOOR = ("from docs_tools import offline, outputs, snippets; offline.enter(); "
         "[outputs.run_module(m) for m in snippets.modules()]")


def suite_and_floor(runs: int) -> dict:
    suite, floor = [], []
    timed([sys.executable, "-m", "pytest", "-q", "-x"])  # warm-up: caches as a contributor has them
    for _ in range(runs):
        suite.append(timed([sys.executable, "-m", "pytest", "-q", "-x"]))
        floor.append(timed([sys.executable, "-c", FLOOR]))
    ratios = [s / f for s, f in zip(suite, floor, strict=True)]
    return {"suite_seconds": statistics.median(suite), "floor_seconds": statistics.median(floor),
            "suite_over_floor": statistics.median(ratios), "suite_runs": suite, "floor_runs": floor}


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
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8", "replace")


def serve_rebuild(runs: int) -> dict:
    """Seconds from saving an edited page to the server returning the new page."""
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "docs_tools.site", "serve", "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    original = EDITED_PAGE.read_text(encoding="utf-8")
    url = f"http://127.0.0.1:{port}/{EDITED_URL}"
    times = []
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
        for run in range(runs + 1):  # the first edit warms mkdocs-jupyter's cache: not counted
            marker = f"bench-marker-{run}-{time.time_ns()}"
            time.sleep(1.5)  # let the file watcher settle
            started = time.perf_counter()
            EDITED_PAGE.write_text(original + f"\n{marker}\n", encoding="utf-8")
            while marker not in _get(url):
                if time.perf_counter() - started > 120:
                    raise RuntimeError("the edit never showed up")
                time.sleep(0.05)
            if run:
                times.append(time.perf_counter() - started)
    finally:
        EDITED_PAGE.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)
    return {"serve_rebuild_seconds": statistics.median(times), "serve_rebuild_runs": times}


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
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from docs_tools.site import languages

    only = set(args.only or ["suite", "build", "serve", "pages"])
    results: dict = {"runs": args.runs, "cpus": os.cpu_count(), "targets": TARGETS}
    with tempfile.TemporaryDirectory(prefix="tfguides-bench-") as tmp:
        site = Path(tmp) / "site"
        if "suite" in only:
            results["suite"] = suite_and_floor(args.runs)
        if "build" in only or "pages" in only:
            results["build"] = build(args.runs, site)
        if "serve" in only:
            results["serve"] = serve_rebuild(args.runs)
        if "pages" in only:
            results["pages"] = page_weight_and_lighthouse(site, args.runs, languages())
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    report(results)
    return 0


def report(results: dict) -> None:
    def line(name: str, value: float, target: float, unit: str, higher_is_better: bool = False) -> str:
        met = value >= target if higher_is_better else value <= target
        return f"  {name:<38} {value:>8.1f} {unit:<3} target {'>=' if higher_is_better else '<='} {target:<6} {'ok' if met else 'MISSED'}"

    print(f"\nMedians of {results['runs']} runs on {results['cpus']} CPUs (raw runs in {RESULTS.relative_to(ROOT)}):")
    if "suite" in results:
        s = results["suite"]
        print(line("CPU suite, warm", s["suite_seconds"], TARGETS["suite_seconds"], "s"))
        print(f"  {'floor: snippets run once, one process':<38} {s['floor_seconds']:>8.1f} s")
        print(line("suite / floor", s["suite_over_floor"], TARGETS["suite_over_floor"], "x"))
    if "build" in results:
        print(line("four-language strict build, warm", results["build"]["build_seconds"], TARGETS["build_seconds"], "s"))
    if "serve" in results:
        print(line("serve: edit saved -> page served", results["serve"]["serve_rebuild_seconds"],
                   TARGETS["serve_rebuild_seconds"], "s"))
    for lang, page in results.get("pages", {}).items():
        kinds = ", ".join(f"{k} {v['transferred'] / 1024:.0f}/{v['uncompressed'] / 1024:.0f}"
                          for k, v in sorted(page["bytes"].items()))
        print(f"  {lang}/{GUIDE}: KB transferred/uncompressed: {kinds}")
        print(line(f"  {lang}: KB before figures", page["kb_before_figures"], TARGETS["page_kb_before_figures"], "KB"))
        print(line(f"  {lang}: Lighthouse performance", page["lighthouse"]["performance"],
                   TARGETS["lighthouse_performance"], "", True))
        print(line(f"  {lang}: Lighthouse accessibility", page["lighthouse"]["accessibility"],
                   TARGETS["lighthouse_accessibility"], "", True))
        print(f"  {lang + ': Lighthouse best practices':<38} {page['lighthouse']['best-practices']:>8.1f}")


if __name__ == "__main__":
    sys.exit(main())
