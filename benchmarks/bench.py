"""Measure what contributors and readers pay: `nox -s bench`.

Prints the figures, writes them to benchmarks/results.json (committed: the README's
"Project health" table is rendered from it, see --readme) and keeps raw runs there. Every
figure is the median of --runs runs (default 3), except `.ci/run`, run once (about a
quarter of an hour). The machine is shared and noisy: run it on a quiet one.

1. suite: the CPU test suite, warm (environment installed, execution and build caches
   present).
2. loop: what a contributor waits for after cloning, `nox -s test` with its environments
   installed: on a fresh clone of the committed tree (no caches), the CPU suite (every guide
   executes once, in parallel kernels), then the browser suite on the same clone, as `nox
   -s test` runs them. The CPU suite is set against its floor on this machine, the two-core
   critical path of the guides' executions measured in the same run: the longest guide's
   run, or the sum of the guides' runs divided by the cores, whichever is longer.
3. build: the strict build of every language (warm); per guide and language, the bytes a
   reader downloads (the guide page, its notebook page, figures).
4. serve: a prose edit saved -> page served, and a snippet edit saved -> page served, less
   the guide's own run (and until every language has it). A request held by a rebuild is
   part of the time measured.
5. pages: one guide page per language, served with gzip as any static host does: bytes by
   kind, transferred and uncompressed, and Lighthouse scores (mobile profile, Debian's
   Chromium). Lighthouse loads the page and does not search: its bytes are those before the
   first search, and the search index among them (kind "search index") should be none.
6. ci: `.ci/run` on a fresh clone, the whole of CI (test and simulate), once.

From the loop and build figures it prints what one more guide and one more language cost
(growth), so the cost at 20 or 50 guides can be read off.

It prints a line as each part and run starts and ends. Each part's figures are written as
it finishes, with the commit and the machine (CPU, memory, Python, TensorFlow, Keras) they
were measured on; a part that fails keeps the last run's figures, is recorded with its
error under "failed", and the run exits non-zero naming it.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.client
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
#: The edit in a language nobody has open, read from its search index (the code is indexed):
#: requesting a page of it would count as opening it, and serve would build it first.
OTHER_LANGUAGE_URL = "he/search/search_index.json"
TARGETS = {
    "suite_seconds": 120, "fresh_suite_over_critical_path": 1.3, "browser_seconds": 180, "whole_test_seconds": 300,
    "build_seconds": 20,
    "serve_rebuild_seconds": 2, "serve_snippet_extra_seconds": 2,
    "lighthouse_performance": 95, "lighthouse_accessibility": 100, "page_kb_before_figures": 400,
}
CHROMIUM_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                  "--disable-component-update --disable-sync --no-first-run")


_STARTED = time.perf_counter()


def progress(message: str) -> None:
    """One line per part and run as it starts and ends, with the seconds since the start."""
    print(f"[bench {time.perf_counter() - _STARTED:6.0f} s] {message}", file=sys.stderr, flush=True)


def machine() -> dict:
    """What the figures were measured on, so that two runs can be compared honestly."""
    from importlib import metadata

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown") if Path("/proc/cpuinfo").is_file() else "unknown"
    memory = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal:")), 0) if Path("/proc/meminfo").is_file() else 0

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    return {"cpu": cpu, "cpus": os.cpu_count(), "memory_gb": round(memory / 1024 ** 2, 1),
            "python": sys.version.split()[0], "tensorflow": version("tensorflow-cpu"),
            "keras": version("keras")}


#: The output of the last timed command that failed (the suite on a clone, whose folder goes).
FAILED_LOG = ROOT / "build" / "bench-failed.log"


def timed(command: list[str], cwd: Path = ROOT, **kwargs) -> float:
    """Seconds ``command`` took; its output is kept in FAILED_LOG if it fails."""
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kwargs)
    seconds = time.perf_counter() - started
    if done.returncode:
        FAILED_LOG.parent.mkdir(parents=True, exist_ok=True)
        FAILED_LOG.write_bytes(done.stdout)
        tail = done.stdout.decode(errors="replace")[-1500:]
        raise RuntimeError(f"{' '.join(command[1:])} failed (exit status {done.returncode}; its output is in "
                           f"{FAILED_LOG.relative_to(ROOT)}), ending:\n{tail}")
    return seconds


def _fresh_clone(tmp: Path) -> Path:
    """The committed tree, as a new contributor clones it: no build/, no caches."""
    clone = tmp / f"clone-{time.time_ns()}"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)], check=True)
    return clone


def _execution_seconds(clone: Path) -> dict[str, list[float]]:
    """guide -> the seconds of each of its executions in the clone (build/executions/log.txt)."""
    log = clone / "build" / "executions" / "log.txt"
    runs: dict[str, list[float]] = {}
    for line in (log.read_text().splitlines() if log.is_file() else []):
        guide, seconds = line.split("\t")[:2]
        runs.setdefault(guide, []).append(float(seconds))
    return runs


def critical_path(guide_seconds: dict[str, float], cores: int) -> float:
    """The least wall time the guides' executions can take on ``cores`` cores: the longest
    guide, or all of them shared evenly between the cores, whichever is longer."""
    if not guide_seconds:
        return 0.0
    return max(max(guide_seconds.values()), sum(guide_seconds.values()) / cores)


#: The suite, less the one test that checks the README against this very measurement.
SUITE = [sys.executable, "-m", "pytest", "-q", "-x",
         "--deselect", "tests/test_readme.py::test_project_health_table_is_rendered_from_the_last_bench_run"]
#: The browser suite as `nox -s e2e` runs it, with each test's seconds in a JUnit file.
BROWSER = [sys.executable, "-m", "pytest", "tests/e2e", "-m", "e2e", "--allow-hosts=127.0.0.1", "-q", "-x"]


def suite(runs: int) -> dict:
    times = []
    progress("suite: warm-up run (caches as a contributor has them)")
    timed(SUITE)
    for run in range(1, runs + 1):
        times.append(timed(SUITE))
        progress(f"suite: run {run} of {runs}: {times[-1]:.1f} s warm")
    return {"suite_seconds": statistics.median(times), "suite_runs": times}


def _tour_summary(output: str) -> dict:
    """The browser suite's own account of its page loads (tests/e2e/tour.py, end of its run)."""
    found: dict = {"languages": {}}
    for line in output.splitlines():
        if "pages loaded once each" in line:
            found["pages"] = int(line.split()[0])
            found["seconds"] = float(line.split(": ")[1].split(" s")[0])
        parts = line.split()
        if len(parts) == 5 and parts[2] == "pages" and parts[4] == "s":
            found["languages"][parts[0]] = {"pages": int(parts[1]), "seconds": float(parts[3])}
    return found


def _test_seconds(junit: Path) -> dict[str, float]:
    """Test id (file::name[params]) -> seconds, from a JUnit report."""
    import xml.etree.ElementTree as ElementTree

    seconds = {}
    for case in ElementTree.parse(junit).iter("testcase"):
        name = case.get("classname", "").replace(".", "/") + ".py::" + case.get("name", "")
        seconds[name] = float(case.get("time", 0))
    return seconds


def loop(runs: int, tmp: Path) -> dict:
    """Per run, a fresh clone: the CPU suite, then the browser suite, as `nox -s test` runs them."""
    cpu, browser, whole, paths, executed, tours, tests, guides = [], [], [], [], [], [], [], []
    cores = os.cpu_count() or 1
    for run in range(1, runs + 1):
        clone = _fresh_clone(tmp)
        progress(f"loop: run {run} of {runs}: CPU suite on a fresh clone")
        cpu.append(timed(SUITE, cwd=clone))
        runs_of = _execution_seconds(clone)
        executed.append({guide: len(seconds) for guide, seconds in runs_of.items()})
        guides.append({guide: sum(seconds) for guide, seconds in runs_of.items()})
        paths.append(critical_path(guides[-1], cores))
        progress(f"loop: run {run} of {runs}: browser suite ({cpu[-1]:.1f} s CPU suite, "
                 f"critical path {paths[-1]:.1f} s)")
        junit = clone / "build" / "e2e-junit.xml"
        started = time.perf_counter()
        done = subprocess.run([*BROWSER, f"--junitxml={junit}"], cwd=clone, text=True, capture_output=True)
        browser.append(time.perf_counter() - started)
        if done.returncode:
            raise RuntimeError(f"the browser suite failed on the clone:\n{done.stdout[-3000:]}")
        tours.append(_tour_summary(done.stdout))
        tests.append(_test_seconds(junit))
        whole.append(cpu[-1] + browser[-1])
        shutil.rmtree(clone, ignore_errors=True)
        progress(f"loop: run {run} of {runs} done ({browser[-1]:.1f} s browser, {whole[-1]:.1f} s in all)")
    ratios = [c / p for c, p in zip(cpu, paths, strict=True)]
    middle = sorted(range(runs), key=lambda i: browser[i])[runs // 2]  # the median browser run's details
    return {"fresh_suite_seconds": statistics.median(cpu), "critical_path_seconds": statistics.median(paths),
            "fresh_suite_over_critical_path": statistics.median(ratios), "browser_seconds": statistics.median(browser),
            "whole_test_seconds": statistics.median(whole), "fresh_suite_runs": cpu, "critical_path_runs": paths,
            "browser_runs": browser, "whole_test_runs": whole, "fresh_executions": executed,
            "guide_seconds": {guide: statistics.median(run.get(guide, 0.0) for run in guides) for guide in guides[0]},
            "tour": tours[middle], "browser_tests": tests[middle], "cores": cores}


def _outside_this_environment() -> dict[str, str]:
    """The environment a contributor's shell has: without this session's virtual environment
    (nox's bench session) on PATH, so `.ci/run` finds the system's python3 and pip as CI does."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH", "CONDA_PREFIX")}
    env["PATH"] = os.pathsep.join(entry for entry in env.get("PATH", "").split(os.pathsep)
                                  if entry and not Path(entry).resolve().is_relative_to(Path(sys.prefix).resolve()))
    return env


#: The last `.ci/run` the bench ran, whole (the README table keeps only a failure's end).
CI_LOG = ROOT / "build" / "bench-ci.log"


def ci(tmp: Path) -> dict:
    """`.ci/run` on a fresh clone, once, as CI runs it: what every landing costs."""
    clone = _fresh_clone(tmp)
    log = CI_LOG  # outside the clone, which goes: kept for a run that fails
    log.parent.mkdir(parents=True, exist_ok=True)
    progress(f"ci: .ci/run on a fresh clone (about a quarter of an hour; output in {log})")
    try:
        started = time.perf_counter()
        with log.open("w") as output:
            done = subprocess.run(["bash", ".ci/run"], cwd=clone, stdout=output, stderr=subprocess.STDOUT,
                                  env=_outside_this_environment())
        seconds = time.perf_counter() - started
        if done.returncode:
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
            raise RuntimeError(f".ci/run failed (exit {done.returncode}) after {seconds:.0f} s:\n{tail}")
    finally:
        shutil.rmtree(clone, ignore_errors=True)
    return {"ci_seconds": seconds}


def build(runs: int, site: Path) -> dict:
    command = [sys.executable, "-m", "docs_tools.site", "build", "--site-dir", str(site)]
    progress("build: warm-up build (notebook execution cache)")
    timed(command)
    times = []
    for run in range(1, runs + 1):
        times.append(timed(command))
        progress(f"build: run {run} of {runs}: {times[-1]:.1f} s")
    return {"build_seconds": statistics.median(times), "build_runs": times, "guide_bytes": guide_bytes(site)}


def guide_bytes(site: Path) -> dict[str, dict[str, int]]:
    """language -> guide -> bytes of the built site that are the guide's: its page, its
    notebook page and download, its figures (what one more guide adds to the site)."""
    from docs_tools.site.build import languages

    found: dict[str, dict[str, int]] = {}
    for lang, prefix in languages().items():
        root = site / prefix if prefix else site
        for page in sorted((root / "guides").iterdir()):
            if page.is_dir():
                found.setdefault(lang, {})[page.name] = sum(
                    f.stat().st_size for folder in ("guides", "notebooks", "figures")
                    for f in (root / folder / page.name).rglob("*") if f.is_file())
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: A request's socket timeout; a rebuild may hold a request much longer (mkdocs serve
#: answers only once the site is rebuilt), so a timeout is retried, up to DEADLINE.
SOCKET_TIMEOUT = 5.0
DEADLINE = 300.0


def _get(url: str, timeout: float = SOCKET_TIMEOUT) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8", "replace")


def _wait_for(url: str, marker: str, started: float, timeout: float = SOCKET_TIMEOUT,
              deadline: float = DEADLINE) -> float:
    """Seconds from ``started`` (the save) until ``url`` serves ``marker``. A request that
    times out or is refused while the server rebuilds is part of the time measured: it is
    retried until ``deadline`` seconds after the save, never an error before then."""
    while True:
        try:
            if marker in _get(url, timeout):
                return time.perf_counter() - started
        except (OSError, http.client.HTTPException) as error:  # timeouts, refusals, resets
            last = error
        else:
            last = None
        if time.perf_counter() - started > deadline:
            raise RuntimeError(f"the edit never showed up at {url} within {deadline:g} s"
                               + (f" (last error: {last!r})" if last else ""))
        time.sleep(0.05)


def _last_execution(guide: str) -> float:
    lines = (ROOT / "build" / "executions" / "log.txt").read_text().splitlines()
    return float([line for line in lines if line.startswith(guide + "\t")][-1].split("\t")[1])


def serve_rebuild(runs: int) -> dict:
    """Seconds from saving an edit to the server returning the new page: a prose edit, and a
    snippet edit (which executes its guide once: that run's own time is reported apart).
    The edited page is open (requested) before each edit, as a contributor has it; serve
    rebuilds the open languages first, so the time until every language has the edit is
    measured too."""
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "docs_tools.site", "serve", "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    page, snippet = EDITED_PAGE.read_text(encoding="utf-8"), EDITED_SNIPPET.read_text(encoding="utf-8")
    url = f"http://127.0.0.1:{port}/{EDITED_URL}"
    snippet_url = f"http://127.0.0.1:{port}/{EDITED_SNIPPET_URL}"
    other_url = f"http://127.0.0.1:{port}/{OTHER_LANGUAGE_URL}"
    prose, code, guide_runs, everywhere = [], [], [], []
    try:
        progress("serve: starting the server (first build)")
        _wait_for(url, "</html>", time.perf_counter())  # up, and built
        for run in range(runs + 1):  # the first edit warms the builders' caches: not counted
            progress(f"serve: prose edit {run} of {runs}" + (" (warm-up)" if not run else ""))
            marker = f"bench-marker-{run}-{time.time_ns()}"
            _get(url)  # the page is open
            time.sleep(2)  # let the file watcher settle
            started = time.perf_counter()
            EDITED_PAGE.write_text(page + f"\n{marker}\n", encoding="utf-8")
            seconds = _wait_for(url, marker, started)
            if run:
                prose.append(seconds)
            progress(f"serve: prose edit {run} of {runs}: {seconds:.1f} s")
        for run in range(1, runs + 1):
            progress(f"serve: snippet edit {run} of {runs}")
            marker = f"bench_marker_{run}_{time.time_ns()}"
            _get(snippet_url)  # the page is open
            time.sleep(2)
            started = time.perf_counter()
            # A comment in the first section: the code changes, what it prints does not.
            EDITED_SNIPPET.write_text(snippet.replace("\n# --8<-- [end:", f"\n# {marker}\n# --8<-- [end:", 1),
                                      encoding="utf-8")
            seconds = _wait_for(snippet_url, marker, started)
            everywhere.append(_wait_for(other_url, marker, started))
            guide_runs.append(_last_execution(EDITED_SNIPPET.stem))
            code.append(seconds - guide_runs[-1])
            progress(f"serve: snippet edit {run} of {runs}: {seconds:.1f} s, the guide's run "
                     f"{guide_runs[-1]:.1f} s, every language {everywhere[-1]:.1f} s")
    finally:
        EDITED_PAGE.write_text(page, encoding="utf-8")
        EDITED_SNIPPET.write_text(snippet, encoding="utf-8")
        time.sleep(2)  # the server executes the restored module once more, then stops
        server.terminate()
        server.wait(timeout=60)
        for tool in ("docs_tools.running.outputs", "docs_tools.site.notebooks"):  # as before the edits
            subprocess.run([sys.executable, "-m", tool], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return {"serve_rebuild_seconds": statistics.median(prose), "serve_rebuild_runs": prose,
            "serve_snippet_extra_seconds": statistics.median(code), "serve_snippet_extra_runs": code,
            "serve_snippet_guide_run_seconds": guide_runs,
            "serve_snippet_every_language_extra_seconds": statistics.median(
                e - g for e, g in zip(everywhere, guide_runs, strict=True)),
            "serve_snippet_every_language_runs": everywhere}


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
    if url.endswith("/search/search_index.json"):
        return "search index"
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
            for run in range(1, runs + 1):
                progress(f"pages: {lang}: Lighthouse run {run} of {runs}")
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
                "kb_search_index": round(weight.get("search index", {}).get("transferred", 0) / 1024, 1),
            }
    finally:
        server.shutdown()
    return results


PARTS = ("suite", "loop", "build", "serve", "pages", "ci")
#: Parts the README's table needs (it is rewritten once all have figures; `ci` is shown when
#: measured), and the parts measured when --only is not given: `.ci/run` (a quarter of an
#: hour) only on request.
TABLE_PARTS = DEFAULT_PARTS = tuple(part for part in PARTS if part != "ci")


def run_parts(measures: dict, results: dict, save) -> list[str]:
    """Run each part's measure in turn; ``save(results)`` after each one, so that a later
    failure loses nothing. A part that fails keeps its figures of the last run (with that
    run's commit) and is recorded under "failed" with its error; returns the failed parts."""
    failed = []
    results.pop("failed", None)
    for part, measure in measures.items():
        progress(f"{part}: started")
        started = time.perf_counter()
        try:
            results[part] = measure()
        except Exception as error:  # noqa: BLE001: recorded, reported, and the exit code says so
            failed.append(part)
            results.setdefault("failed", {})[part] = f"{type(error).__name__}: {error}"
            progress(f"{part}: FAILED after {time.perf_counter() - started:.0f} s: {type(error).__name__}: {error}")
        else:
            results.setdefault("commits", {})[part] = results["commit"]
            results.setdefault("measured_on", {})[part] = results["machine"]
            progress(f"{part}: done in {time.perf_counter() - started:.0f} s")
        save(results)
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=PARTS, action="append")
    parser.add_argument("--readme", action="store_true",
                        help="only rewrite the README's Project health table from benchmarks/results.json")
    args = parser.parse_args()
    if args.readme:
        write_readme(json.loads(RESULTS.read_text(encoding="utf-8")))
        return 0
    sys.path.insert(0, str(ROOT))
    from docs_tools.site.build import languages

    only = set(args.only or DEFAULT_PARTS)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, text=True,
                            capture_output=True).stdout.strip()
    # Parts not measured in this run (--only, or a part that fails) keep the figures of the
    # last run; each part says at which commit and on which machine it was measured.
    results: dict = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else {}
    results.update({"date": time.strftime("%Y-%m-%d"), "runs": args.runs, "cpus": os.cpu_count(),
                    "commit": commit, "machine": machine(), "targets": TARGETS})
    progress(f"measuring {', '.join(p for p in PARTS if p in only)} at commit {commit}, {args.runs} runs each, "
             f"on {results['machine']['cpu']} x {results['machine']['cpus']}")

    def save(results: dict) -> None:
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        if table_ready(results):
            write_readme(results)

    with tempfile.TemporaryDirectory(prefix="tfguides-bench-") as tmp:
        site = Path(tmp) / "site"
        measures = {
            "suite": lambda: suite(args.runs),
            "loop": lambda: loop(args.runs, Path(tmp)),
            "build": lambda: build(args.runs, site),  # the pages are measured on this build
            "serve": lambda: serve_rebuild(args.runs),
            "pages": lambda: page_weight_and_lighthouse(site, args.runs, languages()),
            "ci": lambda: ci(Path(tmp)),
        }
        wanted = only | ({"build"} if "pages" in only else set())
        failed = run_parts({part: measure for part, measure in measures.items() if part in wanted}, results, save)
    report(results)
    if table_ready(results):
        print(f"\n{README.relative_to(ROOT)}: Project health table rewritten from {RESULTS.relative_to(ROOT)}")
    if failed:
        print(f"\nFAILED: {', '.join(failed)} (the error is in {RESULTS.relative_to(ROOT)} under \"failed\"; "
              "the other parts' figures are kept)", file=sys.stderr)
        return 1
    return 0


def table_ready(results: dict) -> bool:
    """Whether every part the README's table reads has figures in today's format (a part
    measured before its format changed is measured again first)."""
    return (all(part in results for part in TABLE_PARTS) and "critical_path_seconds" in results["loop"]
            and "guide_bytes" in results["build"])


def _met(value: float, target: float, higher_is_better: bool = False) -> bool:
    return value >= target if higher_is_better else value <= target


def report(results: dict) -> None:
    def line(name: str, value: float, target: float, unit: str, higher_is_better: bool = False) -> str:
        met = _met(value, target, higher_is_better)
        return f"  {name:<44} {value:>8.1f} {unit:<3} target {'>=' if higher_is_better else '<='} {target:<6} {'ok' if met else 'MISSED'}"

    print(f"\nMedians of {results['runs']} runs on {describe(results.get('machine'))} "
          f"(raw runs in {RESULTS.relative_to(ROOT)}):")
    for part, error in results.get("failed", {}).items():
        print(f"  {part}: FAILED in this run ({error}); its figures below are from commit "
              f"{results.get('commits', {}).get(part, '?')}")
    if "suite" in results:
        print(line("CPU suite, warm", results["suite"]["suite_seconds"], TARGETS["suite_seconds"], "s"))
    if "loop" in results:
        lp = results["loop"]
        print(f"  {'CPU suite, fresh clone':<44} {lp['fresh_suite_seconds']:>8.1f} s")
        print(f"  {'its critical path (' + str(lp['cores']) + ' cores)':<44} {lp['critical_path_seconds']:>8.1f} s")
        print(line("fresh-clone CPU suite / critical path", lp["fresh_suite_over_critical_path"],
                   TARGETS["fresh_suite_over_critical_path"], "x"))
        print(line("browser suite, after it", lp["browser_seconds"], TARGETS["browser_seconds"], "s"))
        print(line("whole test (CPU + browser)", lp["whole_test_seconds"], TARGETS["whole_test_seconds"], "s"))
        print(f"  {'executions per guide, fresh clone':<44} {lp['fresh_executions']}")
    if "ci" in results:
        print(f"  {'.ci/run on a fresh clone (once)':<44} {results['ci']['ci_seconds']:>8.1f} s")
    if "loop" in results and "build" in results and "guide_bytes" in results["build"]:
        print("\nGrowth (tests/e2e and the executions log of the median run; see growth()):")
        for name, value, unit in growth(results):
            print(f"  {name:<60} {value:>8.1f} {unit}")
    if "build" in results:
        print(line("strict build, every language, warm", results["build"]["build_seconds"], TARGETS["build_seconds"], "s"))
    if "serve" in results:
        print(line("serve: prose edit saved -> page served", results["serve"]["serve_rebuild_seconds"],
                   TARGETS["serve_rebuild_seconds"], "s"))
        print(line("serve: snippet edit -> served, less guide run", results["serve"]["serve_snippet_extra_seconds"],
                   TARGETS["serve_snippet_extra_seconds"], "s"))
        if "serve_snippet_every_language_extra_seconds" in results["serve"]:
            print(f"  {'  ... in every language, less guide run':<44} "
                  f"{results['serve']['serve_snippet_every_language_extra_seconds']:>8.1f} s")
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


def _language_tests(tests: dict[str, float], lang: str) -> float:
    """Seconds of the browser tests parametrized by ``lang`` alone (or with a window size)."""
    ids = (f"[{lang}]", f"[{lang}-desktop]", f"[{lang}-phone]")
    return sum(seconds for name, seconds in tests.items() if name.endswith(ids))


def growth(results: dict) -> list[tuple[str, float, str]]:
    """What one more guide and one more language cost, from the median loop run and the
    build: (what, figure, unit). A guide is two pages per language (the guide and its
    notebook); the browser suite loads each page once (tests/e2e/tour.py), so a page costs
    the tour's seconds per page; a guide also adds its switcher and copy tests, a language
    its search, status, screenshot, width and direction tests (less its pages' tour time,
    which the first of them pays). The CPU suite adds the guide's execution, shared with the
    other guides' between the cores, and its share of the checks."""
    lp, build = results["loop"], results["build"]
    tour, tests, cores = lp["tour"], lp["browser_tests"], lp["cores"]
    guides = lp["guide_seconds"]
    languages = list(tour["languages"])
    per_page = tour["seconds"] / tour["pages"]
    per_guide_tests = statistics.mean(
        sum(seconds for name, seconds in tests.items() if name.endswith(f"[guides/{guide}/]"))
        for guide in guides)
    per_language_tests = statistics.mean(
        max(0.0, _language_tests(tests, lang) - tour["languages"][lang]["seconds"]) for lang in languages)
    pages_per_language = tour["pages"] / len(languages)
    checks = max(0.0, lp["fresh_suite_seconds"] - lp["critical_path_seconds"])
    cpu_per_guide = statistics.mean(guides.values()) / cores + checks / len(guides)
    browser_per_guide = 2 * len(languages) * per_page + per_guide_tests
    weights = [size for per_lang in build["guide_bytes"].values() for size in per_lang.values()]
    rows = [
        ("browser suite: one page, loaded once for every check", per_page, "s"),
        ("one more guide: CPU suite (execution / cores + checks' share)", cpu_per_guide, "s"),
        (f"one more guide: browser suite ({2 * len(languages)} pages + its own tests)", browser_per_guide, "s"),
        ("one more guide: strict build (build / guides, an upper bound)", build["build_seconds"] / len(guides), "s"),
        ("one more guide: KB of the site per language (pages, notebook, figures)",
         statistics.mean(weights) / 1024, "KB"),
        (f"one more language: browser suite ({pages_per_language:.0f} pages + its own tests)",
         pages_per_language * per_page + per_language_tests, "s"),
    ]
    for count in (20, 50):
        more = count - len(guides)
        rows.append((f"at {count} guides: CPU suite (fresh clone)", lp["fresh_suite_seconds"] + more * cpu_per_guide, "s"))
        rows.append((f"at {count} guides: browser suite", lp["browser_seconds"] + more * browser_per_guide, "s"))
    return rows


TABLE_START = "<!-- bench:start (written by `nox -s bench` from benchmarks/results.json; do not edit) -->"
TABLE_END = "<!-- bench:end -->"


def describe(machine: dict | None) -> str:
    if not machine:
        return "a machine not recorded"
    return (f"{machine['cpu']}, {machine['cpus']} cores, {machine['memory_gb']:g} GB, Python {machine['python']}, "
            f"TensorFlow {machine['tensorflow']}, Keras {machine['keras']}")


def readme_table(results: dict) -> str:
    """The README's Project health table, rendered from a bench run's results."""
    t = results["targets"]
    s, lp, b, v, pages = results["suite"], results["loop"], results["build"], results["serve"], results["pages"]

    def target(value: float, limit: float, text: str, higher: bool = False) -> str:
        return text + ("" if _met(value, limit, higher) else " (missed)")

    langs = list(pages)
    slash = " / ".join
    guide_runs = v["serve_snippet_guide_run_seconds"]
    rows = [
        ("CPU suite, warm (`pytest`, environment installed, executions cached)", f"{s['suite_seconds']:.1f} s",
         target(s["suite_seconds"], t["suite_seconds"], f"≤ {t['suite_seconds']} s")),
        ("CPU suite on a fresh clone (environments installed; each guide executes once)",
         f"{lp['fresh_suite_seconds']:.1f} s", ""),
        (f"… its floor: the guides' critical path on {lp['cores']} cores (longest guide, or all guides / cores)",
         f"{lp['critical_path_seconds']:.1f} s", ""),
        ("Fresh-clone CPU suite / critical path", f"{lp['fresh_suite_over_critical_path']:.2f}×",
         target(lp["fresh_suite_over_critical_path"], t["fresh_suite_over_critical_path"],
                f"≤ {t['fresh_suite_over_critical_path']}×")),
        ("Browser suite (`nox -s e2e`), after the CPU suite on the same clone", f"{lp['browser_seconds']:.1f} s",
         target(lp["browser_seconds"], t["browser_seconds"], f"≤ {t['browser_seconds']} s")),
        ("Whole `nox -s test` on a fresh clone: CPU + browser suites", f"{lp['whole_test_seconds']:.1f} s",
         target(lp["whole_test_seconds"], t["whole_test_seconds"], f"≤ {t['whole_test_seconds']} s")),
        *([("`.ci/run` on a fresh clone (test and simulate, environments and Chromium installed first; once)",
            f"{results['ci']['ci_seconds'] / 60:.1f} min", "< 90 min (CI's limit)")] if "ci" in results else []),
        *[(f"Growth: {what}", f"{value:.1f} {unit}", "") for what, value, unit in growth(results)],
        ("Strict build of every language, warm", f"{b['build_seconds']:.1f} s",
         target(b["build_seconds"], t["build_seconds"], f"≤ {t['build_seconds']} s")),
        ("Serve: prose edit saved → page served", f"{v['serve_rebuild_seconds']:.1f} s",
         target(v["serve_rebuild_seconds"], t["serve_rebuild_seconds"], f"≤ {t['serve_rebuild_seconds']} s")),
        (f"Serve: snippet edit saved → page served, less the guide's own run "
         f"({statistics.median(guide_runs):.1f} s)", f"{v['serve_snippet_extra_seconds']:.1f} s",
         target(v["serve_snippet_extra_seconds"], t["serve_snippet_extra_seconds"],
                f"≤ {t['serve_snippet_extra_seconds']} s")),
        *([("… the same edit in every language (serve builds the open languages first)",
            f"{v['serve_snippet_every_language_extra_seconds']:.1f} s", "")]
          if "serve_snippet_every_language_extra_seconds" in v else []),
        (f"Tensors guide, KB transferred before figures and before any search (gzip): {slash(langs)}",
         slash(f"{pages[lang]['kb_before_figures']:.0f}" for lang in langs), f"≤ {t['page_kb_before_figures']}"),
        *([(f"… of which the search index: {slash(langs)}",
            slash(f"{pages[lang]['kb_search_index']:.0f}" for lang in langs), "0 (fetched when search is used)")]
          if all("kb_search_index" in pages[lang] for lang in langs) else []),
        (f"Lighthouse performance (mobile profile): {slash(langs)}",
         slash(f"{pages[lang]['lighthouse']['performance']:.0f}" for lang in langs),
         target(min(pages[lang]["lighthouse"]["performance"] for lang in langs), t["lighthouse_performance"],
                f"≥ {t['lighthouse_performance']}", True)),
        (f"Lighthouse accessibility, best practices: {slash(langs)}",
         slash(f"{pages[lang]['lighthouse']['accessibility']:.0f}, {pages[lang]['lighthouse']['best-practices']:.0f}"
               for lang in langs), f"{t['lighthouse_accessibility']}"),
    ]
    commits = {part: results.get("commits", {}).get(part, results["commit"])
               for part in TABLE_PARTS + (("ci",) if "ci" in results else ())}
    at = (f"at commit {results['commit']}" if len(set(commits.values())) == 1 else
          "at commits " + ", ".join(f"{c} ({', '.join(p for p in commits if commits[p] == c)})"
                                    for c in dict.fromkeys(commits.values())))
    measured_on = {describe(results.get("measured_on", {}).get(part)) for part in commits}
    on = (f"on {measured_on.pop()}" if len(measured_on) == 1 else
          f"on {describe(results.get('machine'))} (some parts on other machines: see benchmarks/results.json)")
    lines = [TABLE_START,
             f"Run of {results['date']} {at}, {on}; medians of {results['runs']} runs:",
             "", "| What | Figure | Target |", "| --- | --- | --- |"]
    lines += [f"| {what} | {figure} | {goal} |" for what, figure, goal in rows]
    for part, error in results.get("failed", {}).items():
        lines += ["", f"The last run's {part} measurement failed ({error.splitlines()[0]}); "
                      + (f"its figures are from commit {commits[part]}." if part in results else "it has no figures yet.")]
    return "\n".join(lines + [TABLE_END])


def write_readme(results: dict) -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.index(TABLE_START), text.index(TABLE_END) + len(TABLE_END)
    README.write_text(text[:start] + readme_table(results) + text[end:], encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
