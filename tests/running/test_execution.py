"""The one execution of each guide: its cache key, when it reruns, what a failure reports."""

from __future__ import annotations

import ast
import os
import re
import shutil
import textwrap

import nbformat
import pytest

from docs_tools.running import execution
from docs_tools import snippets
from docs_tools.running.page_checks import evaluate

GUIDE = "print(1)\n"


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """A snippet module with its output file, probe, lock files and machinery, all copies in
    tmp_path, and a cache and log of its own."""
    snippet_dir = tmp_path / "snippets"
    snippet_dir.mkdir()
    module = snippet_dir / "mod.py"
    module.write_text("# --8<-- [start:a]\nprint(1)\n# --8<-- [end:a]\n"
                      "# --8<-- [start:b]\nprint(2)\n# --8<-- [end:b]\n")
    snippets.output_path(module).write_text("=== a\n1\n=== b\n2\n")
    probes = tmp_path / "probes"
    probes.mkdir()
    (probes / "mod.py").write_text("print('tfguides-probe:{\"x\": 1}')\n")
    locks = [tmp_path / "cpu.txt", tmp_path / "gpu.txt"]
    for lock in locks:
        lock.write_text("tensorflow-cpu==2.21.0\n")
    machinery = tmp_path / "docs_tools"
    shutil.copytree(execution.MACHINERY_DIR, machinery, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(snippets, "SNIPPETS_DIR", snippet_dir)
    monkeypatch.setattr(execution, "PROBES_DIR", probes)
    monkeypatch.setattr(execution, "LOCK_FILES", locks)
    monkeypatch.setattr(execution, "MACHINERY_DIR", machinery)
    monkeypatch.setattr(execution, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(execution, "LOG", tmp_path / "cache" / "log.txt")
    monkeypatch.setattr(execution, "RUN_DIR", tmp_path / "run")
    monkeypatch.setattr(execution, "_SESSION", {})
    # Not into a device run's recording (nox -s simulate records the real guides' outputs).
    monkeypatch.delenv(execution.RECORD_VARIABLE, raising=False)
    return {"module": module, "out": snippets.output_path(module), "probe": probes / "mod.py",
            "lock": locks[0], "machinery": machinery / "running" / "execution.py", "stand-ins": machinery / "running" / "datasets.py"}


def _touch(path):
    text = path.read_text()
    # Inside a section for the snippet module (every line of it belongs to one).
    path.write_text(text.replace("print(2)", "print(2)  # changed") if "print(2)" in text else text + "\n# changed\n")


DEPENDENCIES = ["module", "out", "probe", "lock", "machinery", "stand-ins"]


@pytest.mark.parametrize("what", DEPENDENCIES)
def test_the_key_changes_with_each_dependency(sandbox, what):
    before = execution.key(sandbox["module"])
    assert execution.key(sandbox["module"]) == before  # stable
    _touch(sandbox[what])
    assert execution.key(sandbox["module"]) != before, f"changing the {what} does not change the key"


@pytest.mark.parametrize("variable", execution.ENVIRONMENT)
def test_the_key_changes_with_the_environment_that_changes_results(sandbox, monkeypatch, variable):
    before = execution.key(sandbox["module"])
    monkeypatch.setenv(variable, "0" if os.environ.get(variable) == "1" else "1")
    assert execution.key(sandbox["module"]) != before


def test_prose_is_not_a_dependency(sandbox):
    """A prose edit, in any language, reruns no code: no page is among the dependencies."""
    assert not [p for p in execution.dependencies(sandbox["module"]) if p.suffix in (".md", ".ipynb", ".yml")]


def test_the_machinery_list_covers_what_the_kernel_imports():
    """The kernel runs ``offline.enter()`` before the guide: every project module it
    imports, directly or not, is part of the key."""
    seen, todo = set(), ["running/offline.py"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        tree = ast.parse((execution.MACHINERY_DIR / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("docs_tools"):
                package = node.module.removeprefix("docs_tools").strip(".").replace(".", "/")
                for alias in node.names:
                    module = f"{package}/{alias.name}.py".lstrip("/")
                    todo.append(module if (execution.MACHINERY_DIR / module).is_file() else f"{package}.py")
    missing = seen - set(execution.MACHINERY)
    assert not missing, f"add {sorted(missing)} to execution.MACHINERY"


def _fake_kernel(calls):
    def run_kernel(notebook, cwd, guide=None):
        calls.append(cwd.name)
        executed = nbformat.from_dict(notebook)
        for number, cell in enumerate(executed.cells, start=1):
            cell.execution_count = number
            printed = re.match(r"print\('?(.*?)'?\)", cell.source)  # what the one print() prints
            text = printed.group(1).replace('\\"', '"') + "\n"
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text)]
        return executed, None, True
    return run_kernel


@pytest.mark.parametrize("what", DEPENDENCIES)
def test_a_cached_execution_is_reused_until_a_dependency_changes(sandbox, monkeypatch, what):
    calls = []
    monkeypatch.setattr(execution, "_run_kernel", _fake_kernel(calls))
    first = execution.run_all([sandbox["module"]])[sandbox["module"]]
    assert calls == ["mod"] and not first.cached and first.probe == {"x": 1}
    assert first.cells["b"].printed == "2\n"
    monkeypatch.setattr(execution, "_SESSION", {})  # a new process: only the disk cache is left
    again = execution.run_all([sandbox["module"]])[sandbox["module"]]
    assert calls == ["mod"] and again.cached and again.cells["b"].printed == "2\n"
    _touch(sandbox[what])
    execution.run_all([sandbox["module"]])
    assert calls == ["mod", "mod"], f"changing the {what} did not re-execute"
    assert list(execution.executions_logged()) == ["mod"] and len(execution.executions_logged()["mod"]) == 2


def test_recorded_outputs_are_written_where_asked(sandbox, monkeypatch, tmp_path):
    monkeypatch.setattr(execution, "_run_kernel", _fake_kernel([]))
    monkeypatch.setenv(execution.RECORD_VARIABLE, str(tmp_path / "recorded"))
    execution.run_all([sandbox["module"]])
    text = (tmp_path / "recorded" / "mod.out").read_text()
    assert "=== a\n1\n=== b\n2" in text


def test_a_failing_section_is_reported_by_its_fence_and_stops_the_rest(sandbox):
    """A real kernel: the section that raised gets its traceback, later ones say they did not run."""
    sandbox["module"].write_text(textwrap.dedent("""\
        # --8<-- [start:a]
        print(1)
        # --8<-- [end:a]
        # --8<-- [start:b]
        raise ValueError("boom")
        # --8<-- [end:b]
        # --8<-- [start:c]
        print(3)
        # --8<-- [end:c]
        """))
    sandbox["probe"].unlink()
    snippets.output_path(sandbox["module"]).write_text("=== a\n1\n=== b\n=== c\n3\n")

    class Example:
        def __init__(self, ref):
            self.parsed = ref
            self.document = type("Doc", (), {"text": ""})()
            self.region = type("Region", (), {"end": 0})()

    run = execution.run_all([sandbox["module"]])[sandbox["module"]]
    assert run.error and execution._load(sandbox["module"], run.key).error == run.error, \
        "a failed section is cached with its error (the same inputs fail the same way)"
    assert evaluate(Example("mod.py:a")) is None
    failed = evaluate(Example("mod.py:b"))
    assert "mod.py:b failed in a fresh kernel" in failed and "ValueError: boom" in failed
    assert "mod.py:c did not run: the guide stopped at an earlier section" in evaluate(Example("mod.py:c"))


@pytest.mark.parametrize("args, where, read", [
    (["tests", "docs"], ".", True),                      # the suite (testpaths)
    (["."], ".", True),
    (["tests/running/test_guides.py::test_x"], ".", True),
    (["site/test_site.py"], "tests", True),              # relative to where pytest was started
    (["docs/en/guides/tensors.md"], ".", True),
    (["tests/running/test_checks.py", "tests/translation/test_derived.py"], ".", False),
    (["tests/test_commands.py::test_y"], ".", False),
    (["tests/site"], ".", True),
    (["tests/translation"], ".", False),
])
def test_the_suite_starts_the_kernels_early_only_for_paths_that_read_them(args, where, read):
    """tests/conftest.py starts the executions before collection when the paths asked for
    hold a test that reads them (execution.READERS), and once collected otherwise."""
    assert execution.may_be_read(args, execution.ROOT / where) is read
    assert execution.read_by("tests/site/test_site.py::test_a") and not execution.read_by("tests/site/test_serve.py::test_b")
