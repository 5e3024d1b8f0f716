import time
from pathlib import Path

import pytest

import docs_tools.running.network  # noqa: F401  (before TensorFlow: see its docstring)
from docs_tools.running import datasets, execution

_STARTED = time.time()
_BACKGROUND = {}


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    """Start the guides' executions (those not cached) first thing, in another process, so
    that the kernels run while this one imports TensorFlow, collects and runs the tests that
    need no execution; the first test that needs one waits for it."""
    if not (config.option.collectonly or config.option.keyword) \
            and execution.may_be_read(config.args, config.invocation_params.dir):
        _BACKGROUND["process"] = execution.start_in_background()
    if not datasets.real_data_requested() and not _browser_tests_only(config):  # nox -s realdata downloads
        datasets.use_stand_ins()


def _browser_tests_only(config) -> bool:
    """Whether pytest was given the browser tests only (``nox -s e2e``: ``tests/e2e``). Such a
    run loads no Keras data set in this process (its guides run in kernels, which enter the
    offline mode themselves: docs_tools/running/offline.py), and installing the stand-ins
    imports Keras: 3.6 s before its first page."""
    e2e = (Path(__file__).parent / "e2e").resolve()
    paths = [Path(config.invocation_params.dir, arg.split("::")[0]).resolve() for arg in config.args]
    return bool(paths) and all(path == e2e or e2e in path.parents for path in paths)


def pytest_collection_modifyitems(session, config, items):
    """The tests that need no execution first, so that they run while the kernels do."""
    items.sort(key=lambda item: execution.read_by(item.nodeid))  # stable: file order kept


def pytest_collection_finish(session):
    """Or once the tests are collected and selected (``-k``), if any reads an execution."""
    if "process" not in _BACKGROUND and any(execution.read_by(item.nodeid) for item in session.items):
        _BACKGROUND["process"] = execution.start_in_background()


def _executions() -> dict[str, list[float]]:
    return execution.executions_logged(since=_STARTED)


def pytest_sessionfinish(session, exitstatus):
    """A suite run executes each guide at most once (once when its code changed, not at
    all when its cached execution still holds): every check reads that one run."""
    process = _BACKGROUND.pop("process", None)
    if process is not None:
        process.wait(timeout=1800)
    again = {guide: runs for guide, runs in _executions().items() if len(runs) > 1}
    if again:
        session.exitstatus = 1
        session.config._tfguides_again = again


def pytest_terminal_summary(terminalreporter):
    runs = _executions()
    if runs:
        terminalreporter.write_line("guides executed in a fresh kernel by this run: " + ", ".join(
            f"{guide} ({' + '.join(f'{s:.1f} s' for s in seconds)})" for guide, seconds in sorted(runs.items())))
    else:
        terminalreporter.write_line("guides executed by this run: none (every execution came from the cache)")
    again = getattr(terminalreporter.config, "_tfguides_again", None)
    if again:
        terminalreporter.write_line(
            "FAILED: guides executed more than once in one suite run: " + ", ".join(sorted(again))
            + ". Every check must read the guide's one execution (docs_tools/running/execution.py).", red=True)
