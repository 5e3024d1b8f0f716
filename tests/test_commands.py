"""The commands the README and the running pages tell people to paste work as pasted.

Each line of their ```bash blocks is split into commands and arguments by bash itself
(with no program found on PATH, bash hands every command to ``command_not_found_handle``,
which prints the words instead of running anything), then checked: nox sessions exist and
nothing else lands among their names, pip's requirement files exist, packages named for
readers are the pinned ones.
"""

from __future__ import annotations

import ast
import re
import subprocess

import pytest

from docs_tools.running import versions
from docs_tools.snippets import ROOT
from markdown_pages import LANGUAGES, pages_dir, read

DOCUMENTS = [ROOT / "README.md", *[pages_dir(lang) / "running.md" for lang in LANGUAGES]]


def shell_commands(line: str) -> list[list[str]]:
    """The commands ``line`` runs, each as the words bash passes to the program."""
    script = ('command_not_found_handle() { printf "%s\\0" "$@"; printf "\\1"; return 0; }\n'
              f"PATH=/nonexistent\n{line}\n")
    result = subprocess.run(["/bin/bash", "-c", script], capture_output=True, text=True, check=True)
    return [command.split("\0")[:-1] for command in result.stdout.split("\1")[:-1]]


def nox_sessions() -> set[str]:
    """Session names defined in noxfile.py (``@nox.session`` functions or their ``name=``)."""
    tree = ast.parse((ROOT / "noxfile.py").read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef):
            continue
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if isinstance(target, ast.Attribute) and target.attr == "session":
                named = [k.value.value for k in getattr(decorator, "keywords", []) if k.arg == "name"]
                names.add(named[0] if named else node.name)
    return names


def problems_of(words: list[str]) -> list[str]:
    if words[:3] in (["python3", "-m", "nox"], ["python", "-m", "nox"]) or words[:1] == ["nox"]:
        args = words[3:] if words[0].startswith("python") else words[1:]
        return _nox_problems(args)
    if words[:4] in (["python3", "-m", "pip", "install"], ["python", "-m", "pip", "install"]):
        return _pip_problems(words[4:])
    return []


_NOX_FLAGS = {"-l", "--list", "-r", "-R", "--reuse-existing-virtualenvs", "--no-install", "--install-only",
              "--no-venv", "-x", "--stop-on-first-error"}


def _nox_problems(args: list[str]) -> list[str]:
    known = nox_sessions()
    if "--" in args:
        args = args[:args.index("--")]  # what follows goes to the session
    found, index = [], 0
    while index < len(args):
        word = args[index]
        if word in ("-s", "--session", "--sessions", "-e"):
            index += 1
            named = []
            while index < len(args) and not args[index].startswith("-"):
                named.append(args[index])
                index += 1
            if not named:
                found.append(f"`{word}` names no session")
            for name in named:
                if re.sub(r"\(.*\)$", "", name) not in known:
                    found.append(f"nox would look for a session {name!r}, and there is none "
                                 f"(sessions: {', '.join(sorted(known))}); a comment needs a space before '#'")
            continue
        if word not in _NOX_FLAGS:
            found.append(f"nox gets {word!r}, which is not an option these pages use (put session "
                         "arguments after `--`)")
        index += 1
    return found


def _pip_problems(args: list[str]) -> list[str]:
    found = []
    pinned = versions.pinned()
    base = (ROOT / "requirements" / "base.in").read_text(encoding="utf-8")
    words = iter(args)
    for word in words:
        if word == "-r":
            path = next(words, "")
            if not (ROOT / path).is_file():
                found.append(f"pip -r {path}: no such file in the repository")
        elif word.startswith("-"):
            continue
        else:
            name, _, version = word.partition("==")
            if name == "tensorflow":
                if version != pinned["tensorflow"]:
                    found.append(f"{word}: the guides are tested with tensorflow=={pinned['tensorflow']}")
            elif not re.search(rf"^{re.escape(name)}\b", base, re.MULTILINE | re.IGNORECASE):
                found.append(f"{word}: not a package of requirements/base.in, so nothing tests it")
    return found


def _lines(path) -> list[str]:
    lines = []
    for _, info, body in read(path).fences:
        if info == "bash":
            text = body
            for name, version in versions.pinned().items():
                text = text.replace(f"{{{{ versions.{name} }}}}", version)
            lines += [line for line in text.splitlines() if line.strip()]
    return lines


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_commands_work_as_pasted(path):
    lines = _lines(path)
    assert lines, f"{path.relative_to(ROOT)} shows no commands"
    problems = [f"{path.relative_to(ROOT)}: `{line}`: {problem}"
                for line in lines for words in shell_commands(line) for problem in problems_of(words)]
    assert not problems, "\n".join(problems)


def test_the_readme_gives_the_test_and_serve_commands():
    commands = [words for line in _lines(ROOT / "README.md") for words in shell_commands(line)]
    sessions = [words[words.index("-s") + 1] for words in commands if "-s" in words]
    assert "test" in sessions and "serve" in sessions, sessions


@pytest.mark.parametrize("line, message", [
    ("python3 -m nox -s serve# the site", "session 'serve#'"),
    ("python3 -m nox -s test the suite", "session 'the'"),
    ("python3 -m pip install -r requirements/nope.txt", "no such file"),
    ("python3 -m nox -s tset", "session 'tset'"),
])
def test_a_command_that_would_fail_is_reported(line, message):
    problems = [problem for words in shell_commands(line) for problem in problems_of(words)]
    assert any(message in problem for problem in problems), problems


def test_bash_splits_as_bash_does():
    assert shell_commands("a b#c && d 'e f' # comment") == [["a", "b#c"], ["d", "e f"]]
