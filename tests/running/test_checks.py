"""The checks themselves: each must fail when it should, with a message that says what to do."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap

import pytest
import pytest_socket

from docs_tools.running import compare, in_process, execution
from docs_tools import snippets
from docs_tools.site.fence import expand
from docs_tools.running.page_checks import evaluate


# --- comparing outputs -----------------------------------------------------------------

def test_equal_output_passes():
    assert compare.difference("loss 0.1234", "loss 0.1234", rtol=1e-5, atol=1e-6) is None


def test_numbers_within_tolerance_pass_and_beyond_fail():
    assert compare.difference("w = 0.5000", "w = 0.500004", rtol=1e-5, atol=0) is None
    message = compare.difference("w = 0.5000", "w = 0.5001", rtol=1e-5, atol=0)
    assert message and "0.5001" in message and "rtol=1e-05" in message


def test_words_must_match_exactly():
    assert "loss" in compare.difference("loss 1.0", "lost 1.0", rtol=1, atol=1)


def test_alignment_spaces_do_not_matter_but_signs_do():
    shown = "[[ 0.5]\n [-1. ]]"
    assert compare.difference(shown, "[[0.5]\n[-1.]]", rtol=0, atol=0) is None
    assert compare.difference(shown, "[[ 0.5]\n [ 1. ]]", rtol=0, atol=0) is not None


def test_missing_or_extra_lines_fail():
    assert "more" in compare.difference("a 1\nb 2", "a 1", rtol=0, atol=0)
    assert "more" in compare.difference("a 1", "a 1\nb 2", rtol=0, atol=0)


# --- snippet modules -------------------------------------------------------------------

def _module(tmp_path, text: str):
    path = tmp_path / "mod.py"
    path.write_text(textwrap.dedent(text))
    return path


def test_sections_parse_with_options_hidden(tmp_path):
    path = _module(tmp_path, """\
        # --8<-- [start:first]
        #| rtol: 0.01
        x = 1
        print(x)
        # --8<-- [end:first]
        """)
    section = snippets.sections(path)["first"]
    assert section.code == "x = 1\nprint(x)\n"
    assert section.options["rtol"] == 0.01 and section.first_line == 3


@pytest.mark.parametrize("text, message", [
    ("x = 1\n", "line outside any section"),
    ("# --8<-- [start:a]\nx = 1\n", "never closed"),
    ("# --8<-- [start:a]\nx = 1\n# --8<-- [end:b]\n", "does not close"),
    ("# --8<-- [start:a]\n#| speed: 2\nx = 1\n# --8<-- [end:a]\n", "unknown option"),
    ("# --8<-- [start:a]\nx = 1\n# --8<-- [end:a]\n# --8<-- [start:a]\ny = 2\n# --8<-- [end:a]\n",
     "defined twice"),
])
def test_malformed_modules_are_reported_with_file_and_line(tmp_path, text, message):
    path = _module(tmp_path, text)
    with pytest.raises(snippets.SnippetError, match=message) as error:
        snippets.sections(path)
    assert "mod.py" in str(error.value)


def test_unknown_references_name_the_fix():
    with pytest.raises(snippets.SnippetError, match="does not exist"):
        snippets.resolve("nowhere.py:x")
    with pytest.raises(snippets.SnippetError, match="has no section 'nope'; it has: setup"):
        snippets.resolve("tensors.py:nope")
    with pytest.raises(snippets.SnippetError, match="not a snippet reference"):
        snippets.resolve("tensors:ones")


def test_a_bad_fence_stops_the_build():
    with pytest.raises(snippets.SnippetError, match="has no section"):
        expand("```snippet\ntensors.py:nope\n```\n", output_label="Output")


def test_tracebacks_point_at_the_snippet_module(tmp_path):
    path = _module(tmp_path, "# --8<-- [start:a]\nx = 1\nraise ValueError('boom')\n# --8<-- [end:a]\n")
    with pytest.raises(ValueError) as error:
        in_process.run_section(snippets.sections(path)["a"], in_process.fresh_namespace())
    assert any(entry.path == path and entry.lineno + 1 == 3 for entry in error.traceback)


# --- the sybil check of a page ---------------------------------------------------------

class _FakeExample:
    def __init__(self, ref: str, text: str):
        self.parsed = ref
        self.document = type("Doc", (), {"text": text})()
        self.region = type("Region", (), {"end": 0})()


def _ran_in_process(module) -> execution.Execution:
    """A stand-in for the guide's kernel run, made in this process (the kernel path itself
    is tested in tests/running/test_execution.py and used by every page check)."""
    namespace = in_process.fresh_namespace()
    cells = {}
    for name, section in snippets.sections(module).items():
        ran = in_process.run_section(section, namespace)
        cells[name] = execution.Cell(f"mod.py:{name}", ran.printed, ran.figures, [], 1)
    return execution.Execution(module, "key", cells, None, 0.0)


@pytest.fixture
def snippet_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(snippets, "SNIPPETS_DIR", tmp_path)
    monkeypatch.setattr(execution, "run", _ran_in_process)
    return tmp_path


def test_page_check_fails_when_output_drifted(snippet_dir):
    module = _module(snippet_dir, "# --8<-- [start:a]\nprint(2 + 2)\n# --8<-- [end:a]\n")
    snippets.output_path(module).write_text("=== a\n5\n")
    message = evaluate(_FakeExample("mod.py:a", ""))
    assert "the page shows 5.0, the code prints 4.0" in message and "nox -s outputs" in message
    snippets.output_path(module).write_text("=== a\n4\n")
    assert evaluate(_FakeExample("mod.py:a", "")) is None


def test_page_check_fails_when_a_figure_is_not_shown(snippet_dir):
    _module(snippet_dir, "# --8<-- [start:fig]\nimport matplotlib.pyplot as plt\nplt.plot([1, 2])\n"
                         "plt.show()\n# --8<-- [end:fig]\n")
    snippets.output_path(snippet_dir / "mod.py").write_text("=== fig\n")
    assert "does not show it" in evaluate(_FakeExample("mod.py:fig", "no image here"))
    assert evaluate(_FakeExample("mod.py:fig", "![a plot](../figures/mod/fig.png)")) is None


# --- hermetic runs ---------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore:A test tried to use socket")
def test_tests_cannot_open_network_connections():
    with pytest.raises(pytest_socket.SocketBlockedError):
        socket.create_connection(("127.0.0.1", 9), timeout=1)


def test_tool_processes_cannot_open_network_connections():
    code = ("from docs_tools.running import network; network.forbid(); import socket; "
            "socket.create_connection(('127.0.0.1', 9), timeout=1)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0 and "SocketBlockedError" in result.stderr


def test_a_decimal_comma_in_a_formula_stays_one_number():
    from docs_tools.site.mathml import to_mathml

    assert "<mn>9,8</mn>" in to_mathml("g = 9{,}8")
    assert "<mn>9.8</mn>" in to_mathml("g = 9.8")


# --- the suite's own process ---------------------------------------------------------------

_EXITS = '''\
import atexit


class Teardown:
    def __del__(self):
        print("interpreter teardown ran", flush=True)


KEPT = Teardown()


def test_passes():
    atexit.register(lambda: print("exit handler ran", flush=True))


def test_fails():
    assert False, "on purpose"
'''


@pytest.mark.parametrize("args, status, summary", [(["-k", "passes"], 0, "1 passed"),
                                                   ([], 1, "1 failed, 1 passed"),
                                                   (["--no-such-option"], 4, "unrecognized arguments")])
def test_a_run_skips_only_the_interpreter_teardown_and_keeps_pytests_status(tmp_path, args, status, summary):
    """docs_tools.running.fast_exit: the exit status and report are pytest's, the exit handlers run,
    and the interpreter's teardown (4 s of the suite's) does not, once a session has ended."""
    (tmp_path / "test_exits.py").write_text(_EXITS)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "docs_tools.running.fast_exit", *args, "."],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == status, result.stdout + result.stderr
    assert summary in result.stdout + result.stderr
    if status != 4:
        assert "exit handler ran" in result.stdout
        assert "interpreter teardown ran" not in result.stdout
