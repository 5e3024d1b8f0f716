"""TensorBoard, the real program, on the logs the customizing-Keras guide wrote.

The guide's code writes its TensorBoard logs into its working directory, which the build
keeps at ``build/run/customizing_keras/`` (``execution.run_directory``). This test starts
``tensorboard --logdir`` on them, on 127.0.0.1 only, opens the Scalars dashboard in
headless Chromium and checks that it lists the runs and the tags the page says Keras
wrote. No request may go to any other address (the context refuses them).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from docs_tools.running import execution

GUIDE = "customizing_keras"
LOGDIR = "logs/digits"  # as in snippets/customizing_keras.py:tensorboard
RUNS = ["train", "validation"]
TAGS = ["epoch_loss", "epoch_accuracy"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def tensorboard_url(base_url):  # base_url builds the site, which executes the guide
    logdir = execution.run_directory(GUIDE) / LOGDIR
    runs = sorted(path.name for path in logdir.iterdir()) if logdir.is_dir() else []
    if runs != RUNS:
        pytest.fail(f"{logdir} should hold the runs {RUNS} written by the guide, found {runs}. "
                    "(the guide's execution keeps its working directory there, docs_tools/running/execution.py; "
                    f"deleting build/run/{GUIDE} makes the next build execute the guide again)")
    program = Path(sys.executable).with_name("tensorboard")
    port = _free_port()
    server = subprocess.Popen(
        [str(program), "--logdir", str(logdir), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"tensorboard exited with {server.returncode}:\n{server.stdout.read()}")
            try:
                with urllib.request.urlopen(url + "data/runs", timeout=2) as response:
                    if sorted(json.load(response)) == RUNS:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"tensorboard did not serve the runs {RUNS} at {url} within 60 s")
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_scalars_dashboard_lists_the_guides_runs_and_tags(make_context, tensorboard_url):
    # The context refuses every address but TensorBoard's (tests/e2e/conftest.py, new_context).
    page = make_context(site=tensorboard_url).new_page()
    outside, failed = [], []
    local = urlparse(tensorboard_url).netloc
    page.on("request", lambda r: urlparse(r.url).netloc not in (local, "") and outside.append(r.url))
    page.on("response", lambda r: r.status >= 400 and failed.append(f"HTTP {r.status}: {r.url}"))
    page.goto(tensorboard_url + "#scalars", wait_until="networkidle")
    for kind, text in [("run", run) for run in RUNS] + [("tag", tag) for tag in TAGS]:
        try:
            page.get_by_text(text, exact=True).first.wait_for(timeout=30_000)
        except PlaywrightTimeout:
            pytest.fail(f"the Scalars dashboard at {tensorboard_url} does not show the {kind} {text!r}")
    assert not outside, f"requests for another address (refused): {outside}"
    assert not failed, "\n".join(failed)
