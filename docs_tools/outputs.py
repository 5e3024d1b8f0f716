"""Rerun snippet modules and rewrite their output files (``nox -s outputs``).

    python -m docs_tools.outputs [MODULE ...]   # default: every module under snippets/

Each module runs top to bottom in one fresh namespace, in an empty working directory,
with network sockets blocked and datasets replaced by offline stand-ins
(docs_tools.offline); what each section prints goes to ``<module>.out``. Review
the diff: it is what the pages will show, in every language.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import device, execute, offline, snippets, versions


def run_module(module: Path, namespace: dict | None = None) -> dict[str, execute.Run]:
    """Run every section in order in ``namespace`` (default: a fresh one)."""
    namespace = execute.fresh_namespace() if namespace is None else namespace
    runs = {}
    with execute.scratch_directory():
        for name, section in snippets.sections(module).items():
            try:
                runs[name] = execute.run_section(section, namespace)
            except Exception as error:
                raise snippets.SnippetError(f"{section.ref} raised {type(error).__name__}: {error}") from error
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", type=Path, help="default: every snippet module")
    args = parser.parse_args(argv)
    offline.enter()
    pins = versions.pinned()
    for module in [m.resolve() for m in args.modules] or snippets.modules():
        started = time.perf_counter()
        try:
            runs = run_module(module)
        except snippets.SnippetError as error:
            print(error, file=sys.stderr)
            return 1
        snippets.write_outputs(module, {name: run.printed for name, run in runs.items()},
                               f"TensorFlow {pins['tensorflow']}, Keras {pins['keras']}, {device.kind()}")
        print(f"ran {snippets.relative(module)} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
