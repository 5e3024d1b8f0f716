"""Run snippet modules: regenerate their output files, check them, and draw their figures.

    python -m docs_tools.outputs            # rewrite snippets/*.out and the figures (nox -s outputs)
    python -m docs_tools.outputs --check    # fail if an output drifted; draw the figures (the build)
    ... --if-stale                          # skip modules whose figures are up to date

Figures go to ``build/figures/<module>/<section>.png`` (ignored by git): they are drawn by
the snippet code on every machine that builds the site, never committed or pasted in.
A section draws at most one figure; pages show it with
``![alt text](<relative path>/figures/<module>/<section>.png)``.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import time
from pathlib import Path

from . import compare, execute, network, snippets, versions

FIGURES_DIR = snippets.ROOT / "build" / "figures"


def figures_dir(module: Path) -> Path:
    return FIGURES_DIR / module.relative_to(snippets.SNIPPETS_DIR).with_suffix("")


def _stamp(module: Path) -> str:
    digest = hashlib.sha256()
    for path in (module, snippets.output_path(module), Path(execute.__file__), versions.LOCK_FILE):
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()


def figures_fresh(module: Path) -> bool:
    stamp = figures_dir(module) / ".stamp"
    return stamp.is_file() and stamp.read_text() == _stamp(module)


def run_module(module: Path) -> dict[str, execute.Run]:
    namespace = execute.fresh_namespace()
    runs = {}
    with execute.scratch_directory():
        for name, section in snippets.sections(module).items():
            try:
                runs[name] = execute.run_section(section, namespace)
            except Exception as error:
                raise snippets.SnippetError(f"{section.ref} raised {type(error).__name__}: {error}") from error
    return runs


def _write_figures(module: Path, runs: dict[str, execute.Run]) -> None:
    target = figures_dir(module)
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for name, run in runs.items():
        if len(run.figures) > 1:
            raise snippets.SnippetError(f"{snippets.relative(module)}:{name} draws {len(run.figures)} "
                                        "figures; split it so that each section draws at most one")
        if run.figures:
            (target / f"{name}.png").write_bytes(run.figures[0])
    (target / ".stamp").write_text(_stamp(module))


def drift(module: Path, runs: dict[str, execute.Run]) -> list[str]:
    """Sections whose printed output no longer matches the module's output file."""
    shown = snippets.read_outputs(module)
    problems = []
    if list(shown) != list(runs):
        problems.append(f"{snippets.relative(snippets.output_path(module))} lists sections "
                        f"{list(shown)}, the module has {list(runs)}")
    for name, run in runs.items():
        section = snippets.sections(module)[name]
        if name in shown:
            diff = compare.difference(shown[name], run.printed, **section.options)
            if diff:
                problems.append(f"{section.ref}: output drifted: {diff}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", type=Path, help="default: every snippet module")
    parser.add_argument("--check", action="store_true",
                        help="fail on drifted output instead of rewriting the output files")
    parser.add_argument("--if-stale", action="store_true",
                        help="skip modules whose figures are up to date")
    args = parser.parse_args(argv)
    network.forbid()
    modules = [m.resolve() for m in args.modules] or snippets.modules()
    problems: list[str] = []
    for module in modules:
        if args.if_stale and figures_fresh(module):
            continue
        started = time.perf_counter()
        try:
            runs = run_module(module)
        except snippets.SnippetError as error:
            problems.append(str(error))
            continue
        if args.check:
            problems += drift(module, runs)
        else:
            pins = versions.pinned()
            snippets.write_outputs(module, {name: run.printed for name, run in runs.items()},
                                   f"TensorFlow {pins['tensorflow']}, Keras {pins['keras']}, CPU")
        _write_figures(module, runs)
        print(f"ran {snippets.relative(module)} in {time.perf_counter() - started:.1f} s",
              file=sys.stderr)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        if args.check:
            print("If the new output is right, run `nox -s outputs` and review the diff of "
                  "snippets/*.out (and the prose that describes it).", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
