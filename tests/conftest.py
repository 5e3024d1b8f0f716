import time

import docs_tools.network  # noqa: F401  (before TensorFlow: see its docstring)
from docs_tools import datasets, execution

if not datasets.real_data_requested():  # nox -s realdata downloads the real datasets
    datasets.use_stand_ins()

_STARTED = time.time()


def _executions() -> dict[str, list[float]]:
    return execution.executions_logged(since=_STARTED)


def pytest_sessionfinish(session, exitstatus):
    """A suite run executes each guide at most once (once when its code changed, not at
    all when its cached execution still holds): every check reads that one run."""
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
