"""The README's "Project health" table is what a bench run measured, not typed by hand."""

from __future__ import annotations

import importlib.util
import json

from docs_tools.snippets import ROOT


def _bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_project_health_table_is_rendered_from_the_last_bench_run():
    bench = _bench()
    results = json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start, end = readme.index(bench.TABLE_START), readme.index(bench.TABLE_END) + len(bench.TABLE_END)
    assert readme[start:end] == bench.readme_table(results), (
        "README.md: the Project health table differs from benchmarks/results.json: run `nox -s bench` "
        "(or `python benchmarks/bench.py --readme` to re-render the last run); never edit it by hand")
