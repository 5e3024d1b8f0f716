"""The tree shows the architecture: packages by concern, imports that run one way, no cycle.

``docs_tools/__init__.py`` states the rule this test holds the tree to: the two root modules
(``snippets``, ``languages``) are the model every package shares; ``running`` and
``translation`` build on them alone; ``search`` adds ``translation``; ``site`` sits on top.
An import a function makes late counts as much as one at the top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from docs_tools.snippets import ROOT

PACKAGE = ROOT / "docs_tools"
#: What each part of the tree may import from docs_tools, besides itself.
ALLOWED = {
    "root": {"root"},
    "running": {"root"},
    "translation": {"root"},
    "search": {"root", "translation"},
    "site": {"root", "running", "translation", "search"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ALLOWED) else "root"


def imports(module: str) -> set[str]:
    """The project modules ``module`` imports, at any depth of its code."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{MODULES[module]}: a relative import; write docs_tools.… in full"
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            found |= {name if name in MODULES else node.module for name in names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name in MODULES and name != module}


def test_every_module_sits_in_a_package_of_a_concern_or_is_one_of_the_two_root_modules():
    loose = [name for name in MODULES if name.count(".") == 1 and name.split(".")[1] not in
             {"snippets", "languages", *ALLOWED}]
    assert not loose, f"{loose}: put each in the package of its concern ({', '.join(sorted(set(ALLOWED) - {'root'}))})"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_one_way(module):
    upward = sorted(name for name in imports(module) if _part(name) != _part(module)
                    and _part(name) not in ALLOWED[_part(module)])
    assert not upward, (f"{MODULES[module].relative_to(ROOT)} ({_part(module)}) imports {upward}: "
                        f"{_part(module)} may import only {sorted(ALLOWED[_part(module)])}; move the piece "
                        "both need down to where they both may reach it")


def test_no_import_cycle():
    graph = {module: imports(module) for module in MODULES}
    for start in graph:
        todo, seen = list(graph[start]), set()
        while todo:
            name = todo.pop()
            assert name != start, f"{start} imports itself through {sorted(seen)}"
            if name not in seen:
                seen.add(name)
                todo += graph[name]


def test_the_rule_can_fail():
    """An import from ``site`` in ``running`` is seen (the check reads what it checks)."""
    assert "docs_tools.site.notebooks" in imports("docs_tools.site.plugins.notebooks")
    assert _part("docs_tools.site.notebooks") == "site" and "site" not in ALLOWED["running"]
