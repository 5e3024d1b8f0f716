import time

import docs_tools.network  # noqa: F401  (before TensorFlow: see its docstring)
from docs_tools import datasets, execution

if not datasets.real_data_requested():  # nox -s realdata downloads the real datasets
    datasets.use_stand_ins()

_STARTED = time.time()
_BACKGROUND = {}
#: Tests that read the guides' execution: the page checks, the claim tests, the built site.
_NEED_EXECUTIONS = ("docs/", "tests/test_guides.py", "tests/test_site.py", "tests/e2e/")


def pytest_collection_finish(session):
    """Start the guides' executions (those not cached) now, in another process, so that
    they run while the tests that need none do; the first test that needs one waits."""
    if any(item.nodeid.startswith(_NEED_EXECUTIONS) for item in session.items):
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
            + ". Every check must read the guide's one execution (docs_tools/execution.py).", red=True)
