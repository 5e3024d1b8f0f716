"""`nox -s serve`: the languages open in a browser are rebuilt first, no page is served stale."""

from __future__ import annotations

import threading
import time

from docs_tools.site import build as site


def test_a_url_belongs_to_the_language_of_its_prefix():
    langs = site.languages()
    root = next(lang for lang, prefix in langs.items() if not prefix)
    for lang, prefix in langs.items():
        if prefix:
            assert site.language_of(f"/{prefix}/guides/tensors/") == lang
            assert site.language_of(f"/{prefix}/assets/stylesheets/guides.css") == lang
    assert site.language_of("/") == site.language_of("/guides/tensors/") == site.language_of("/assets/x.js") == root


def test_pages_and_live_reload_polls_say_which_languages_are_open():
    viewers = site._Viewers()
    assert viewers.open_languages() == set()
    viewers.request("/ru/running/", None)
    viewers.request("/livereload/123/456", "http://127.0.0.1:8000/zh/guides/tensors/")
    viewers.request("/he/assets/stylesheets/guides.css", None)  # an asset opens no page
    assert viewers.open_languages() == {"ru", "zh"}
    viewers.seen["ru"] -= site.OPEN_SECONDS + 1  # a tab closed long ago stops polling
    assert viewers.open_languages() == {"zh"}


def test_a_request_for_a_language_being_rebuilt_waits_for_it():
    viewers = site._Viewers()
    viewers.set_pending({"he"})
    served = []

    def get(path):
        viewers.request(path, None)
        served.append((path, time.monotonic()))

    threads = [threading.Thread(target=get, args=(path,)) for path in ("/he/guides/tensors/", "/zh/")]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    assert [path for path, _ in served] == ["/zh/"], "only the language being rebuilt waits"
    released = time.monotonic()
    viewers.set_pending(set())
    for thread in threads:
        thread.join(timeout=5)
    assert [path for path, _ in served] == ["/zh/", "/he/guides/tensors/"]
    assert served[1][1] >= released


def test_no_builder_outlives_a_killed_server(tmp_path):
    import os
    import signal
    import subprocess
    import sys

    from docs_tools.snippets import ROOT

    code = ("import os, sys, time\nfrom docs_tools.site import build as site\nif __name__ == '__main__':\n"
            "    pool = site.warm_builders()\n"
            "    [job.result() for job in [pool.submit(time.sleep, 0.3) for _ in range(4)]]\n"
            "    print(*pool._processes, flush=True)\n"
            "    time.sleep(600)\n")
    server = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        builders = [int(pid) for pid in server.stdout.readline().split()]
        assert builders and server.pid not in builders
    finally:
        server.send_signal(signal.SIGKILL)  # no clean-up runs in the server
        server.wait()

    def alive(pid):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        with open(f"/proc/{pid}/stat") as stat:  # a zombie is gone, awaiting its reaper
            return stat.read().split()[2] != "Z"

    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in builders) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(pid) for pid in builders), "a builder process outlived its server"


def test_an_edit_rewrites_the_notebooks_of_its_guide_only():
    from docs_tools.snippets import ROOT, SNIPPETS_DIR

    assert site._guides_of({SNIPPETS_DIR / "tensors.py"}) == {"tensors"}
    assert site._guides_of({ROOT / "docs" / "ru" / "guides" / "functional_api.md",
                            SNIPPETS_DIR / "tensors.out"}) == {"functional_api", "tensors"}
    # Anything that is not a guide's page or module may change every notebook.
    assert site._guides_of({ROOT / "docs" / "ru" / "index.md"}) is None
    assert site._guides_of({ROOT / "docs" / "glossary" / "ru.yml"}) is None
    assert site._guides_of({ROOT / "docs" / "derived" / "zh-TW.yml"}) is None
    assert site._guides_of({ROOT / "mkdocs.yml"}) is None
