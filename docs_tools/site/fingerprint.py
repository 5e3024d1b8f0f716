"""What a build of the site was made from, so that a later run can serve it instead of building again.

``nox -s test`` builds the whole site strictly in the CPU suite (``build/test-site``,
tests/site/test_site.py), then the browser suite serves the site. Both builds are made from
the same files with the same pinned packages (both sessions install requirements/cpu.txt),
so the browser suite serves the CPU suite's build when nothing it is made from has changed
since: 8 s (14 CPU-seconds) before its first page, on two cores. An edit in between (a page,
a snippet, the theme, a lock file) changes the fingerprint, and the browser suite builds its
own site as before.

The fingerprint is the path and content of every file of the project that git tracks or
would track (``git ls-files --cached --others --exclude-standard``: ``build/``, ``site/`` and
``.nox/`` are ignored; the guides' executions cached there are keyed by their sources), and
of every file under ``docs/`` even if git ignores it (mkdocs builds it), the installed
packages and Python's version, and the environment variables a build or an execution reads
(``BUILD_ENVIRONMENT``, ``execution.ENVIRONMENT``). Outside a git work tree there is none,
and nothing is reused. A site written over by another tool (``python -m docs_tools.site
build --site-dir build/test-site``) is not covered: build elsewhere.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from docs_tools.running import execution
from docs_tools.site import build as site_tool
from docs_tools.snippets import ROOT

#: Where the CPU suite builds the site (tests/site/test_site.py), recorded; the browser
#: suite serves it when it is ``current`` (tests/e2e/conftest.py).
TEST_SITE = ROOT / "build" / "test-site"

#: The environment variables docs_tools reads that may change what a build makes, besides
#: those of an execution's key (``execution.ENVIRONMENT``: the device simulation and its
#: profile, the real data): the simulation's check and recording, the network mode a guide's
#: kernel runs in, the locks the banners. (``nox -s simulate`` builds build/test-site too: its
#: record then says so, and a browser run afterwards builds its own.)
BUILD_ENVIRONMENT = ("TFGUIDES_DEVICE_CHECK", "TFGUIDES_RECORD_OUTPUTS", "TFGUIDES_NETWORK",
                     "TFGUIDES_TRANSLATION_LOCKS")


def fingerprint(root: Path = ROOT) -> str | None:
    """The project's files and build environment, hashed (see the module); None outside git."""
    listed = b""
    for listing in (["--cached", "--others", "--exclude-standard"],
                    ["--others", "--ignored", "--exclude-standard", "--", "docs"]):
        try:
            listed += subprocess.run(["git", "ls-files", "-z", *listing], cwd=root, capture_output=True,
                                     check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            return None
    digest = hashlib.sha256()
    for name in sorted(set(listed.split(b"\0")) - {b""}):
        path = root / os.fsdecode(name)
        digest.update(name + b"\0")
        if path.is_file():  # a tracked file deleted in the work tree counts by its name alone
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for variable in [*execution.ENVIRONMENT, *BUILD_ENVIRONMENT]:
        digest.update(f"{variable}={os.environ.get(variable, '')}\0".encode())
    digest.update(execution.installed().encode() + sys.version.encode())
    return digest.hexdigest()


def _stamp(site_dir: Path) -> Path:
    return site_dir.with_name(site_dir.name + ".fingerprint")


def build_recorded(site_dir: Path) -> None:
    """Build every language into ``site_dir`` and record beside it what the build was made from
    (taken before it starts: a file edited during the build makes the record stale)."""
    made_from = fingerprint()
    _stamp(site_dir).unlink(missing_ok=True)
    site_tool.build(site_dir)
    if made_from:
        _stamp(site_dir).write_text(made_from + "\n", encoding="utf-8")


def current(site_dir: Path) -> bool:
    """Whether ``site_dir`` was built (``build_recorded``) from the project's files as they are
    now, in the same build environment."""
    stamp = _stamp(site_dir)
    if not stamp.is_file() or not site_dir.is_dir():
        return False
    now = fingerprint()
    return now is not None and stamp.read_text(encoding="utf-8").strip() == now
