"""The benchmark's own machinery: it survives a slow rebuild and loses nothing to a failure."""

from __future__ import annotations

import http.server
import importlib.util
import threading
import time

import pytest

from docs_tools.snippets import ROOT


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _RebuildingServer:
    """A stand-in for `mkdocs serve`: after an edit it holds every request for ``stall``
    seconds (a rebuild), then serves the new page, as mkdocs serve does."""

    def __init__(self, stall: float):
        self.stall, self.saved, self.requests = stall, None, 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests += 1
                if outer.saved is not None and time.perf_counter() - outer.saved < outer.stall:
                    time.sleep(outer.stall - (time.perf_counter() - outer.saved))
                body = b"<html>new page: marker</html>" if outer.saved is not None else b"<html>old</html>"
                try:
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and went away: as a browser would

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


#: The stand-in server is on loopback; any other host stays blocked.
loopback = pytest.mark.allow_hosts(["127.0.0.1"])


@loopback
def test_a_rebuild_longer_than_the_socket_timeout_is_measured_not_fatal(bench):
    server = _RebuildingServer(stall=0.8)
    try:
        started = time.perf_counter()
        server.saved = started  # the edit is saved: the "rebuild" holds requests for 0.8 s
        seconds = bench._wait_for(server.url, "marker", started, timeout=0.2, deadline=30)
    finally:
        server.close()
    # Every request in the stall timed out (0.2 s < 0.8 s) and was retried; the figure
    # counts from the save and includes the whole stall.
    assert server.requests >= 3
    assert 0.8 <= seconds < 10


@loopback
def test_an_edit_that_never_shows_up_fails_at_the_deadline_naming_the_url(bench):
    server = _RebuildingServer(stall=0)
    try:
        with pytest.raises(RuntimeError, match=r"never showed up at http://127\.0\.0\.1:\d+/ within 0.4 s"):
            bench._wait_for(server.url, "marker", time.perf_counter(), timeout=0.2, deadline=0.4)
    finally:
        server.close()


def test_a_failed_part_keeps_the_others_and_the_last_figures(bench):
    saved = []
    results = {"commit": "new", "machine": {"cpu": "test"}, "serve": {"old": 1}, "commits": {"serve": "old"}}

    def broken():
        raise TimeoutError("timed out")

    failed = bench.run_parts({"suite": lambda: {"suite_seconds": 1.0}, "serve": broken,
                              "pages": lambda: {"en": {}}}, results, lambda r: saved.append(dict(r)))
    assert failed == ["serve"]
    assert len(saved) == 3, "results are written after every part"
    assert saved[0]["suite"] == {"suite_seconds": 1.0}, "the first part is on disk before the second runs"
    assert results["serve"] == {"old": 1} and results["commits"]["serve"] == "old"
    assert results["failed"] == {"serve": "TimeoutError: timed out"}
    assert results["commits"]["suite"] == results["commits"]["pages"] == "new"
    assert results["measured_on"]["suite"] == {"cpu": "test"}


def test_the_machine_is_described(bench):
    machine = bench.machine()
    assert machine["cpus"] >= 1 and machine["memory_gb"] > 0
    assert machine["tensorflow"] != "not installed" and machine["keras"] != "not installed"
    assert "cores" in bench.describe(machine)


def test_the_critical_path_is_the_longest_guide_or_the_guides_shared_between_the_cores(bench):
    assert bench.critical_path({"a": 30.0, "b": 5.0, "c": 5.0}, 2) == 30.0  # one guide dominates
    assert bench.critical_path({"a": 10.0, "b": 10.0, "c": 10.0}, 2) == 15.0  # the cores are the limit
    assert bench.critical_path({}, 2) == 0.0


TOUR_OUTPUT = """\
========================= browser: what the pages cost =========================
70 pages loaded once each for every check that reads them, 2 at a time: 300.6 s, 4.29 s per page
en        14 pages   53.4 s
zh-TW     14 pages   64.9 s
a page's wall seconds by stage, summed over the pages (two pages overlap): context 5.7, load 10.7
"""


def test_the_browser_suites_account_of_its_pages_is_read(bench):
    assert bench._tour_summary(TOUR_OUTPUT) == {
        "pages": 70, "seconds": 300.6,
        "languages": {"en": {"pages": 14, "seconds": 53.4}, "zh-TW": {"pages": 14, "seconds": 64.9}}}


def test_growth_charges_a_guide_its_pages_and_its_tests_and_a_language_its_own(bench):
    results = {
        "loop": {"cores": 2, "fresh_suite_seconds": 50.0, "critical_path_seconds": 40.0, "browser_seconds": 200.0,
                 "guide_seconds": {"a": 20.0, "b": 20.0},
                 "tour": {"pages": 8, "seconds": 16.0, "languages": {"en": {"pages": 4, "seconds": 8.0},
                                                                    "zh": {"pages": 4, "seconds": 8.0}}},
                 "browser_tests": {"tests/e2e/test_browser.py::test_language_switcher_keeps_the_page[guides/a/]": 3.0,
                                   "tests/e2e/test_browser.py::test_language_switcher_keeps_the_page[guides/b/]": 5.0,
                                   "tests/e2e/test_bidi.py::test_inline_code[en]": 10.0,  # pays en's tour (8 s)
                                   "tests/e2e/test_code_width.py::test_widths[en-phone]": 1.0,
                                   "tests/e2e/test_bidi.py::test_inline_code[zh]": 9.0,
                                   "tests/e2e/test_bidi.py::test_inline_code[zh-TW]": 100.0}},  # not zh's
        "build": {"build_seconds": 10.0, "guide_bytes": {"en": {"a": 1024, "b": 3072}}},
    }
    rows = {what: value for what, value, _ in bench.growth(results)}
    assert rows["browser suite: one page, loaded once for every check"] == 2.0
    assert rows["one more guide: CPU suite (execution / cores + checks' share)"] == 20.0 / 2 + 10.0 / 2
    assert rows["one more guide: browser suite (4 pages + its own tests)"] == 4 * 2.0 + 4.0
    assert rows["one more language: browser suite (4 pages + its own tests)"] == 4 * 2.0 + (3.0 + 1.0) / 2
    assert rows["one more guide: KB of the site per language (pages, notebook, figures)"] == 2.0
    assert rows["at 20 guides: browser suite"] == 200.0 + 18 * 12.0


def test_the_readme_table_waits_for_every_part_in_todays_format(bench):
    old_build = {"suite": {}, "loop": {"critical_path_seconds": 1.0}, "build": {"build_seconds": 9.0},
                 "serve": {}, "pages": {}}
    assert not bench.table_ready(old_build), "a build measured before guide_bytes existed"
    assert bench.table_ready({**old_build, "build": {"build_seconds": 9.0, "guide_bytes": {}}})
    assert not bench.table_ready({"suite": {}, "build": {"guide_bytes": {}}})
