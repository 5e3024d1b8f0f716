"""The lock files pin contents, not only versions: every pin carries its sha256 hashes
(`nox -s lock` writes them), and every install the project does verifies them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LOCKS = sorted((ROOT / "requirements").glob("*.txt"))

_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?)==(\S+)")
_HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}$")


def problems(text: str) -> list[str]:
    """What keeps a lock file from pinning contents: a requirement not pinned with ``==``, a
    pin without a sha256 hash, a malformed hash (empty: every pin is hashed)."""
    found = []
    # A requirement with its continuation lines (`\` at the end of a line) is one entry.
    entries = re.sub(r"\\\n", " ", text).splitlines()
    for line in entries:
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        requirement, *options = line.split()
        if requirement.startswith("-"):
            found.append(f"{requirement}: an option, not a pin (a lock file holds only pins with hashes)")
            continue
        pin = _PIN.match(requirement)
        if not pin:
            found.append(f"{requirement}: not pinned to one version with ==")
            continue
        hashes = [option for option in options if option.startswith("--hash=")]
        if not hashes:
            found.append(f"{requirement}: no hash")
        found += [f"{requirement}: {option} is not a sha256 hash" for option in hashes if not _HASH.match(option)]
    return found


def test_the_lock_files_are_there():
    assert {path.name for path in LOCKS} == {"cpu.txt", "gpu.txt", "nox.txt"}


@pytest.mark.parametrize("lock", LOCKS, ids=lambda path: path.name)
def test_every_pin_of_a_lock_file_has_a_hash(lock):
    text = lock.read_text(encoding="utf-8")
    assert _PIN.search(text.splitlines()[2]), f"{lock.name} pins nothing"
    found = problems(text)
    assert not found, f"requirements/{lock.name}: run `nox -s lock`\n" + "\n".join(found)


@pytest.mark.parametrize("text, problem", [
    ("numpy==2.3.5\n", "numpy==2.3.5: no hash"),
    ("numpy==2.3.5 \\\n    --hash=sha256:" + "a" * 64 + "\nscipy==1.16.3\n", "scipy==1.16.3: no hash"),
    ("numpy>=2 \\\n    --hash=sha256:" + "a" * 64 + "\n", "numpy>=2: not pinned to one version"),
    ("numpy==2.3.5 \\\n    --hash=md5:0123\n", "--hash=md5:0123 is not a sha256 hash"),
    ("-e .\n", "-e: an option, not a pin"),
])
def test_a_pin_without_a_hash_is_found(text, problem):
    assert any(problem in found for found in problems(text)), problems(text)


def test_a_hashed_pin_passes():
    assert problems("# comment\nnox==2026.10.20 \\\n    --hash=sha256:" + "0" * 64
                    + " \\\n    --hash=sha256:" + "f" * 64 + "\n") == []


def _installs(tree: ast.AST) -> list[tuple[str, ast.Call]]:
    """Every ``session.install(...)`` call of noxfile.py, with the function it is in."""
    calls = []
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef):
            for node in ast.walk(function):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr == "install"):
                    calls.append((function.name, node))
    return calls


def test_every_install_of_the_sessions_verifies_hashes_but_the_project_itself():
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    calls = _installs(tree)
    assert len(calls) >= 4
    for function, call in calls:
        words = [arg.value for arg in call.args if isinstance(arg, ast.Constant)]
        if function == "install_project":  # the named exception: this working tree, editable
            assert words == ["--no-deps", "-e", "."]
        else:
            assert "--require-hashes" in words, f"noxfile.py, {function}(): an install without --require-hashes"


def test_ci_and_the_readme_install_nox_with_require_hashes():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, text in (("the CI script", ci), ("README.md", readme)):
        installs = re.findall(r"pip install[^\n&]*", text)
        assert installs, name
        for line in installs:
            if "requirements/" in line:
                assert "--require-hashes" in line, f"{name}: `{line}` does not verify hashes"
