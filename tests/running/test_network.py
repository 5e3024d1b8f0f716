"""The network guard (docs_tools/running/network.py): every guide's kernel, and every process
its code starts, refuses internet sockets; the one guide allowed loopback (the distributed
guide, whose workers talk on 127.0.0.1) may connect to 127.0.0.1 and to nothing else.

Addresses tried: 127.0.0.1 (a listener of the process itself), 10.255.255.1 (private, never
routed here), 8.8.8.8 (a public DNS server), ::1 (IPv6 loopback: not allowed either, the
guide uses 127.0.0.1 only) and a host name (its lookup is refused before any DNS query).
"""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest

from docs_tools import snippets
from docs_tools.running import device, execution, network

HOSTS = ["127.0.0.1", "10.255.255.1", "8.8.8.8", "::1", "example.org"]

#: Tries each host given on the command line; prints what happened, as JSON.
ATTEMPT = '''
import json, socket, sys

def attempt(host):
    try:
        port = 9
        if host == "127.0.0.1":  # a listener of our own: a connection can succeed
            server = socket.socket()
            server.bind(("127.0.0.1", 0))
            server.listen(1)
            port = server.getsockname()[1]
        socket.create_connection((host, port), timeout=1).close()
        return "connected"
    except Exception as error:
        return type(error).__name__

print("attempts:" + json.dumps({host: attempt(host) for host in sys.argv[1:]}))
'''

LOOPBACK_ONLY = {"127.0.0.1": "connected", **{host: "SocketConnectBlockedError" for host in HOSTS[1:]}}
NOTHING = {host: "SocketBlockedError" for host in HOSTS}


def _attempts(printed: str) -> list[dict]:
    return [json.loads(line.removeprefix("attempts:")) for line in printed.splitlines()
            if line.startswith("attempts:")]


@pytest.mark.parametrize("mode, expected", [("loopback", LOOPBACK_ONLY), ("none", NOTHING)])
def test_a_process_in_each_mode(mode, expected):
    code = f"from docs_tools.running import network; network.forbid({mode!r})\n" + ATTEMPT
    result = subprocess.run([sys.executable, "-c", code, *HOSTS], capture_output=True, text=True,
                            cwd=snippets.ROOT, timeout=60)
    assert _attempts(result.stdout) == [expected], result.stderr


def test_only_the_distributed_guide_may_use_loopback():
    guides = [module.stem for module in snippets.modules()]
    assert "tf_distribute" in guides
    assert [guide for guide in guides if network.mode(guide) == "loopback"] == ["tf_distribute"]


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="unknown network mode"):
        network.forbid("internet")


@pytest.mark.parametrize("guide, expected", [("tf_distribute", LOOPBACK_ONLY), ("tensors", NOTHING)])
def test_a_guides_kernel_and_the_processes_it_starts(tmp_path, guide, expected):
    """The kernel runs a guide as execution.py runs it; the cell tries the hosts itself, then
    starts a plain Python process (as the distributed guide starts its workers: its
    environment, nothing of ours on the command line) that tries them too, without the guard
    importing Keras or TensorFlow into it."""
    child_code = ATTEMPT + "print('heavy imports:', sorted({'keras', 'tensorflow'} & set(sys.modules)))\n"
    cell = ATTEMPT + (
        "import subprocess\n"
        f"child = subprocess.run([sys.executable, '-c', {child_code!r}, *{HOSTS!r}], capture_output=True, text=True)\n"
        "print(child.stdout, child.stderr[-2000:] if not child.stdout else '')\n"
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)])
    notebook.metadata = execution.notebook_of(execution.guide_module("tensors")).metadata
    # the kernel's own attempts use sys.argv of the kernel: give the hosts explicitly
    notebook.cells[0].source = notebook.cells[0].source.replace(
        "for host in sys.argv[1:]}", f"for host in {HOSTS!r}}}", 1)
    executed, error, _ = execution._run_kernel(notebook, tmp_path, guide)
    assert error is None, error
    printed = "".join(out.get("text", "") for out in executed.cells[0].outputs if out.get("name") == "stdout")
    assert _attempts(printed) == [expected, expected], printed
    if device.requested():
        # under `nox -s simulate` the child starts the device simulation first, which must
        # come before its TensorFlow: the simulation reaches the processes a guide starts
        assert "heavy imports: ['keras', 'tensorflow']" in printed, printed
    else:
        # the guard costs a child no Keras or TensorFlow import (every `dot` of plot_model is one)
        assert "heavy imports: []" in printed, printed
