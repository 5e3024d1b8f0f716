"""Rewrite the snippets' output files from their execution (``nox -s outputs``).

    python -m docs_tools.running.outputs [MODULE ...]   # default: every module under snippets/

Each module is executed top to bottom in a fresh Jupyter kernel (``docs_tools.running.execution``:
sockets blocked, datasets replaced by offline stand-ins, an empty working directory), or
taken from the execution cache when nothing it depends on changed; what each section
printed goes to ``<module>.out``. That same execution then serves the page checks and the
build, so the guide is not run again. Review the diff: it is what the pages will show, in
every language.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from docs_tools.running import execution
from docs_tools import snippets


def regenerate(modules: list[Path]) -> list[str]:
    """Execute ``modules`` (in parallel kernels) and rewrite their output files; returns
    the problems found (an error in a section, a section that shows a value it should print)."""
    problems = []
    for module, run in execution.run_all(modules).items():
        found = run.problems()
        if found:
            problems += found
            continue
        execution.write_outputs(run)
        execution.rekey(run)
        out = snippets.relative(snippets.output_path(module))
        how = (f"nothing it depends on changed since its cached execution; {out} as it was" if run.cached
               else f"executed in a fresh kernel in {run.seconds:.1f} s; {out} written")
        print(f"{snippets.relative(module)}: {how}",
              file=sys.stderr)
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", type=Path, help="default: every snippet module")
    args = parser.parse_args(argv)
    problems = regenerate([m.resolve() for m in args.modules] or snippets.modules())
    print("\n".join(problems), file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
