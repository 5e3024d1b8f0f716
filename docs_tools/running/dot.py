"""``dot`` for Keras' ``plot_model``, backed by graphviz-pure (installed from PyPI).

Keras draws models with pydot, which runs a program named ``dot``. graphviz-pure, a
self-contained port of Graphviz's ``dot`` that installs with pip, deliberately installs
itself as ``graphviz-pure``, so that it never shadows a system Graphviz. The project's
environments get this ``dot`` command (a console script of this package) instead of
needing a system package: the README's two commands stay the whole set-up, and the
diagrams come out the same on every machine.

One difference is bridged: before drawing, Keras checks that Graphviz works by asking
pydot for an empty graph in PostScript, a format graphviz-pure does not write. That probe
only looks at the exit status, so ``-Tps`` is answered with SVG. Every other argument is
passed through unchanged; an unsupported format (``pdf``) fails with graphviz-pure's error.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

PROGRAM = "graphviz-pure"


def main() -> None:
    here = Path(sys.argv[0]).resolve().parent
    program = shutil.which(PROGRAM, path=str(here)) or shutil.which(PROGRAM)
    if program is None:
        sys.exit(f"dot: {PROGRAM} is not installed; install the project's requirements (nox does)")
    arguments = ["-Tsvg" if argument == "-Tps" else argument for argument in sys.argv[1:]]
    os.execv(program, [PROGRAM, *arguments])


if __name__ == "__main__":
    main()
