"""Build or serve the whole site: one mkdocs build per language, in parallel, in one tree.

    python -m docs_tools.site build [--site-dir DIR]    # nox -s docs
    python -m docs_tools.site serve [--port N]          # nox -s serve

Each language has its own config: ``mkdocs.yml`` for the language served at ``/`` (and the
base the others inherit), ``docs/<lang>.yml`` for the others, served at ``/<lang>/``. Why
not one config with mkdocs-static-i18n: it drops mkdocs-jupyter's notebook pages, and
separate builds run in parallel and give each language its own search index.

A language derived from another (``docs_tools.translation.derived``: zh-TW from zh) has no pages of its
own: each build first generates them into its docs_dir (``build/derived/<lang>/``), and
while serving, an edit of a source page or of the language's phrase table
(``docs/derived/<lang>.yml``) rebuilds it too.

Builds are strict: a warning (broken link or anchor, missing include) is an error.
While serving, an edit rebuilds only the languages it touches and reruns no code unless
code changed: an edited snippet module is executed once (in a fresh kernel), which
rewrites its output file and feeds the rebuild; the notebooks are regenerated (review
both with ``git diff``). The languages open in a browser are rebuilt and served first;
the others follow in the background, and a request for one of them waits for it.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import CancelledError, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

from mkdocs.exceptions import PluginError

from docs_tools import languages as _languages
from docs_tools.translation import derived
from docs_tools.site import notebooks
from docs_tools.site.plugins import pages, theme
from docs_tools.running import outputs
from docs_tools import snippets

ROOT = snippets.ROOT
BASE_CONFIG = _languages.BASE_CONFIG
DEFAULT_SITE_DIR = ROOT / "site"


class BuildError(Exception):
    pass


def languages() -> dict[str, str]:
    """Language code -> URL prefix ("" for the root language), in switcher order."""
    return {code: language.prefix for code, language in _languages.languages().items()}


def config_file(lang: str) -> Path:
    return _languages.languages()[lang].config


def _build_one(lang: str, out_dir: Path) -> tuple[str, float]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
         "--config-file", str(config_file(lang)), "--site-dir", str(out_dir)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, pages.PREPARED: "1"})
    if result.returncode:
        raise BuildError(f"building '{lang}' ({config_file(lang).relative_to(ROOT)}) failed:\n"
                         f"{result.stderr.strip()}")
    return lang, time.perf_counter() - started


def _build_here(lang: str, out_dir: Path) -> tuple[str, float]:
    """The same strict build, in this process (a warm builder of ``serve``)."""
    import logging

    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    started = time.perf_counter()
    logging.getLogger("mkdocs").setLevel(logging.WARNING)  # as --quiet: warnings (errors, being strict)
    try:
        config = load_config(str(config_file(lang)), site_dir=str(out_dir), strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except (MkDocsException, SystemExit) as error:
        raise BuildError(f"building '{lang}' ({config_file(lang).relative_to(ROOT)}) failed: {error} "
                         "(the warnings above say why)") from None
    return lang, time.perf_counter() - started


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)  # the server is gone (killed, not stopped): no builder outlives it


def _warm_up(parent: int | None = None) -> None:
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    os.environ[pages.PREPARED] = "1"
    # Imported once per builder process, so that a rebuild pays only for the build.
    import logging

    import jieba
    import material  # noqa: F401
    import mkdocs.commands.build  # noqa: F401
    import mkdocs_jupyter.plugin  # noqa: F401

    from docs_tools.site import warm_caches

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()  # its dictionary: else 0.8 s of each builder's first Chinese build
    warm_caches.install()  # a rebuild redoes only what its edit changed


def warm_builders() -> ProcessPoolExecutor:
    """Build processes that stay up while serving, with mkdocs, Material and mkdocs-jupyter
    imported once: a rebuild then costs the build, not a new interpreter's imports (about
    a second per language). One per core."""
    return ProcessPoolExecutor(max_workers=max(1, min(len(languages()), os.cpu_count() or 1)),
                               mp_context=multiprocessing.get_context("spawn"), initializer=_warm_up,
                               initargs=(os.getpid(),))


def _install(lang: str, built: Path, site_dir: Path) -> None:
    """Put one language's fresh build in place without touching the other languages."""
    prefix = languages()[lang]
    target = site_dir / prefix if prefix else site_dir
    keep = {p for p in languages().values() if p}
    target.mkdir(parents=True, exist_ok=True)
    for entry in target.iterdir():
        if prefix or entry.name not in keep:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    for entry in built.iterdir():
        shutil.move(str(entry), str(target / entry.name))


def build(site_dir: Path = DEFAULT_SITE_DIR, langs: list[str] | None = None,
          quiet: bool = False, builders: ProcessPoolExecutor | None = None,
          guides: set[str] | None = None) -> dict[str, float]:
    """Build ``langs`` (default: all) into ``site_dir``, in parallel, each in a new process
    or on one of ``builders`` (``warm_builders()``); returns seconds per language.
    ``guides``: the guides whose notebooks may have changed since the last build (default all)."""
    langs = langs or list(languages())
    # Notebooks are executed and figures drawn once here, not once per language.
    pages.prepare(guides)
    site_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tfguides-build-") as tmp, \
            ThreadPoolExecutor(max_workers=len(langs)) as pool:
        if builders is not None:
            jobs = [builders.submit(_build_here, lang, Path(tmp) / lang) for lang in langs]
        else:
            jobs = [pool.submit(_build_one, lang, Path(tmp) / lang) for lang in langs]
        errors, times = [], {}
        for job in jobs:
            try:
                lang, seconds = job.result()
                times[lang] = seconds
            except BuildError as error:
                errors.append(str(error))
        if errors:
            raise BuildError("\n\n".join(errors))
        for lang in langs:
            _install(lang, Path(tmp) / lang, site_dir)
    if not quiet:
        print("built " + ", ".join(f"{lang} in {s:.1f} s" for lang, s in times.items())
              + f" -> {site_dir}", file=sys.stderr)
    return times


def _snapshot(paths: list[Path]) -> dict[Path, int]:
    found = {}
    for root in paths:
        for path in root.rglob("*"):
            if path.is_file():
                found[path] = path.stat().st_mtime_ns
    return found


def language_of(path: str) -> str:
    """The language a URL path of the site belongs to (its prefix; the root language else)."""
    first = path.lstrip("/").split("/", 1)[0]
    by_prefix = {prefix: lang for lang, prefix in languages().items()}
    return by_prefix.get(first, by_prefix[""])


#: A page counts as open in a browser this long after its last request or live-reload poll
#: (an open tab polls at least once a minute: mkdocs' poll_response_timeout is 60 s).
OPEN_SECONDS = 75


class _Viewers:
    """Which languages someone is looking at, and which languages are being rebuilt.

    A rebuild builds the languages open in a browser first and serves them at once; the
    others follow in the background, and a request for one of those waits until it is
    built, so nobody is ever served a stale page."""

    def __init__(self) -> None:
        self.seen: dict[str, float] = {}
        self.pending: set[str] = set()
        self.condition = threading.Condition()

    def request(self, path: str, referer: str | None) -> None:
        """Note a request; wait while its language is being rebuilt (a page or an asset)."""
        if path.startswith("/livereload/"):  # an open tab's poll: its page is the referer
            if referer:
                self.seen[language_of(urllib.parse.urlsplit(referer).path)] = time.monotonic()
            return
        lang = language_of(path)
        if path.endswith("/") or path.endswith(".html"):
            self.seen[lang] = time.monotonic()
        with self.condition:
            self.condition.wait_for(lambda: lang not in self.pending, timeout=600)

    def open_languages(self) -> set[str]:
        now = time.monotonic()
        return {lang for lang, when in self.seen.items() if now - when < OPEN_SECONDS}

    def set_pending(self, langs: set[str]) -> None:
        with self.condition:
            self.pending = set(langs)
            self.condition.notify_all()


def touched_languages(changed: set[Path]) -> set[str]:
    """The languages an edit of ``changed`` files affects: a page, a config or a catalogue
    of code comments its language, a phrase table its derived language, a zh page (or
    catalogue) zh and the languages derived from it;
    anything else (a snippet, the theme, mkdocs.yml) every language."""
    langs = set(languages())
    touched: set[str] = set()
    for path in changed:
        rel = path.relative_to(ROOT).parts
        if rel[0] == "docs" and len(rel) > 2 and rel[1] in langs:
            touched.add(rel[1])                     # docs/<lang>/...: a page
        elif rel[0] == "docs" and len(rel) == 2 and rel[1][:-4] in langs:
            touched.add(rel[1][:-4])                # docs/<lang>.yml
        elif rel[:2] == ("docs", "derived") and len(rel) == 3 and rel[2][:-4] in langs:
            touched.add(rel[2][:-4])                # docs/derived/<lang>.yml: a phrase table
        elif rel[:2] == ("docs", "comments") and len(rel) == 3 and rel[2][:-3] in langs:
            touched.add(rel[2][:-3])                # docs/comments/<lang>.po: code comments
        else:
            return langs
    # A derived language's pages are its source's, converted (the build regenerates them).
    return touched | {lang for lang in langs if _languages.languages()[lang].derived_from in touched}


def _guides_of(changed: set[Path]) -> set[str] | None:
    """The guides whose notebooks ``changed`` files can change: a guide's page (any
    language), its snippet module or output file; None (every guide) for anything else."""
    guides, found = set(notebooks.guides()), set()
    for path in changed:
        rel = path.relative_to(ROOT).parts
        module = path.suffix in (".py", ".out") and path.is_relative_to(snippets.SNIPPETS_DIR)
        page = rel[0] == "docs" and len(rel) == 4 and rel[2] == "guides" and path.suffix == ".md"
        if not (module or page) or path.stem not in guides:
            return None
        found.add(path.stem)
    return found


def serve(host: str, port: int) -> None:
    import logging

    from mkdocs.livereload import LiveReloadServer

    logging.basicConfig(level=logging.INFO, format="%(message)s")  # "Serving on http://..."

    site_dir = Path(tempfile.mkdtemp(prefix="tfguides-serve-"))
    watched = [ROOT / "docs", snippets.SNIPPETS_DIR, theme.THEME_DIR]
    notebooks.write_all()
    builders = warm_builders()
    build(site_dir, builders=builders)
    state: dict = {"seen": _snapshot(watched), "background": None}
    viewers = _Viewers()

    def build_rest(langs: list[str], started: float, guides: set[str] | None) -> None:
        try:
            build(site_dir, langs, quiet=True, builders=builders, guides=guides)
            print(f"rebuilt {', '.join(langs)} in the background, {time.perf_counter() - started:.1f} s "
                  "after the change was seen", file=sys.stderr, flush=True)
        except CancelledError:
            pass  # the server is stopping
        except (BuildError, PluginError, snippets.SnippetError, derived.DerivedError) as error:
            if _snapshot(watched) != state["seen"]:  # edited again meanwhile: the next rebuild has it
                print(f"{', '.join(langs)}: superseded by a newer change", file=sys.stderr, flush=True)
            else:
                print(f"not rebuilt: {error}", file=sys.stderr, flush=True)
        finally:
            viewers.set_pending(set())

    def rebuild() -> None:
        now = _snapshot(watched)
        changed = {p for p in now.keys() | state["seen"].keys() if now.get(p) != state["seen"].get(p)}
        state["seen"] = now
        touched = touched_languages(changed)
        if not changed:
            return  # our own writes (outputs of a rerun snippet) already built: hold nothing
        if state["background"] is not None:  # the previous change's other languages first
            state["background"].join()
            state["background"] = None
        started = time.perf_counter()
        modules = sorted(p for p in changed if p.suffix == ".py" and p.is_relative_to(snippets.SNIPPETS_DIR))
        guides = _guides_of(changed)
        try:
            notebooks.write_all(guides)  # the committed notebooks follow
        except (snippets.SnippetError, derived.DerivedError) as error:  # e.g. a malformed phrase table
            print(f"not rebuilt: {error}", file=sys.stderr, flush=True)
            return
        if modules:  # one execution each: it rewrites the output file and serves the build
            problems = outputs.regenerate(modules)
            if problems:
                print("\n".join(problems), file=sys.stderr, flush=True)
                return
        state["seen"] = _snapshot(watched)
        ordered = [lang for lang in languages() if lang in touched]
        first = [lang for lang in ordered if lang in viewers.open_languages()] or ordered
        rest = [lang for lang in ordered if lang not in first]
        viewers.set_pending(set(rest))  # requests for them wait: never a stale page
        try:
            build(site_dir, first, quiet=True, builders=builders, guides=guides)
        except (BuildError, PluginError, snippets.SnippetError, derived.DerivedError) as error:
            viewers.set_pending(set())
            print(f"not rebuilt: {error}", file=sys.stderr, flush=True)
            return
        print(f"rebuilt {', '.join(first)} in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
        if rest:
            state["background"] = threading.Thread(target=build_rest, args=(rest, started, guides), daemon=True)
            state["background"].start()

    class Server(LiveReloadServer):
        def serve_request(self, environ, start_response):
            viewers.request(environ.get("PATH_INFO", "/"), environ.get("HTTP_REFERER"))
            return super().serve_request(environ, start_response)

    # Poll the watched files every 0.1 s (mkdocs' default, 0.5 s, is up to half a second
    # of every edit's wait); the trees are small.
    server = Server(builder=rebuild, host=host, port=port, root=str(site_dir), polling_interval=0.1)

    def stop(signum, frame):
        raise KeyboardInterrupt  # `kill` stops the server as Ctrl-C does: builders and all

    signal.signal(signal.SIGTERM, stop)
    for path in watched + [BASE_CONFIG]:
        server.watch(str(path))
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        builders.shutdown(cancel_futures=True)
        shutil.rmtree(site_dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build or serve the site, every language.")
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build")
    build_cmd.add_argument("--site-dir", type=Path, default=DEFAULT_SITE_DIR)
    serve_cmd = commands.add_parser("serve")
    serve_cmd.add_argument("--host", default="127.0.0.1")
    serve_cmd.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    args = parser.parse_args(argv)
    try:
        if args.command == "build":
            build(args.site_dir.resolve())
        else:
            serve(args.host, args.port)
    except (BuildError, PluginError, snippets.SnippetError, derived.DerivedError) as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
