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
