"""Build or serve the whole site: one mkdocs build per language, in parallel, in one tree.

    python -m docs_tools.site build [--site-dir DIR]    # nox -s docs
    python -m docs_tools.site serve [--port N]          # nox -s serve

Each language has its own config: ``mkdocs.yml`` for the language served at ``/`` (and the
base the others inherit), ``docs/<lang>.yml`` for the others, served at ``/<lang>/``. Why
not one config with mkdocs-static-i18n: it drops mkdocs-jupyter's notebook pages, and
separate builds run in parallel and give each language its own search index.

Builds are strict: a warning (broken link or anchor, missing include) is an error.
While serving, an edit rebuilds only the languages it touches; an edited snippet first
reruns that module and rewrites its output file, and the notebooks are regenerated
(review both with ``git diff``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mkdocs.exceptions import PluginError

from . import languages as _languages
from . import notebooks, plugin, snippets

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
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, plugin.PREPARED: "1"})
    if result.returncode:
        raise BuildError(f"building '{lang}' ({config_file(lang).relative_to(ROOT)}) failed:\n"
                         f"{result.stderr.strip()}")
    return lang, time.perf_counter() - started


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
          quiet: bool = False) -> dict[str, float]:
    """Build ``langs`` (default: all) into ``site_dir``; returns seconds per language."""
    langs = langs or list(languages())
    # Notebooks are executed and figures drawn once here, not once per language.
    plugin.prepare()
    site_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tfguides-build-") as tmp, \
            ThreadPoolExecutor(max_workers=len(langs)) as pool:
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


def serve(host: str, port: int) -> None:
    import logging

    from mkdocs.livereload import LiveReloadServer

    logging.basicConfig(level=logging.INFO, format="%(message)s")  # "Serving on http://..."

    site_dir = Path(tempfile.mkdtemp(prefix="tfguides-serve-"))
    watched = [ROOT / "docs", snippets.SNIPPETS_DIR, plugin.THEME_DIR]
    notebooks.write_all()
    build(site_dir)
    state = {"seen": _snapshot(watched)}

    def rebuild() -> None:
        now = _snapshot(watched)
        changed = {p for p in now.keys() | state["seen"].keys() if now.get(p) != state["seen"].get(p)}
        state["seen"] = now
        langs = set(languages())
        touched: set[str] = set()
        for path in changed:
            rel = path.relative_to(ROOT).parts
            if rel[0] == "docs" and len(rel) > 2 and rel[1] in langs:
                touched.add(rel[1])
            elif rel[0] == "docs" and len(rel) == 2 and rel[1][:-4] in langs:
                touched.add(rel[1][:-4])
            else:
                touched = langs
                break
        if not changed:
            return  # our own writes (outputs of a rerun snippet) already built
        modules = sorted(p for p in changed if p.suffix == ".py" and p.is_relative_to(snippets.SNIPPETS_DIR))
        if modules:
            subprocess.run([sys.executable, "-m", "docs_tools.outputs", *map(str, modules)],
                           cwd=ROOT, check=True)
        notebooks.write_all()  # pages or snippets changed: the committed notebooks follow
        state["seen"] = _snapshot(watched)
        started = time.perf_counter()
        build(site_dir, [lang for lang in languages() if lang in touched], quiet=True)
        print(f"rebuilt {', '.join(sorted(touched))} in {time.perf_counter() - started:.1f} s",
              file=sys.stderr, flush=True)

    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(site_dir))
    for path in watched + [BASE_CONFIG]:
        server.watch(str(path))
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build or serve the four-language site.")
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
    except (BuildError, PluginError, snippets.SnippetError) as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
