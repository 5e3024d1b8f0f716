"""The TensorFlow and Keras versions the guides are tested with, read from the CPU lock file.

The lock (``requirements/cpu.txt``) is what ``nox -s test`` installs, so this is the single
source for every "tested with" line on the site. ``nox -s lock`` rewrites it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from docs_tools.snippets import ROOT

LOCK_FILE = ROOT / "requirements" / "cpu.txt"


@lru_cache(maxsize=None)
def pinned() -> dict[str, str]:
    text = LOCK_FILE.read_text(encoding="utf-8")
    found = {}
    for package, key in (("tensorflow-cpu", "tensorflow"), ("keras", "keras")):
        match = re.search(rf"^{re.escape(package)}==(\S+)", text, re.MULTILINE)
        if not match:
            raise RuntimeError(f"{LOCK_FILE.relative_to(ROOT)} does not pin {package}: "
                               "run `nox -s lock`")
        found[key] = match.group(1)
    return found
