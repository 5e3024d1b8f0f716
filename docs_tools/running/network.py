"""Hermetic runs: snippet code executed by the tools and tests may not open network sockets.

pytest-socket does the blocking (in tests via ``--disable-socket``); this module applies the
same guard to the processes the tools start themselves. Conftests import it first.

Two modes, and which guide gets which is decided here, in ``LOOPBACK_GUIDES``:

- ``"none"`` (every guide, every tool): no internet socket can even be created;
- ``"loopback"`` (only the guides named in ``LOOPBACK_GUIDES``: the distributed-training
  guide, whose workers talk to each other on 127.0.0.1): sockets can be created, and
  ``connect`` succeeds to 127.0.0.1 only; any other address raises pytest-socket's
  ``SocketConnectBlockedError``, and so does a name lookup of any host but 127.0.0.1.

The processes a guide starts (its worker processes) are guarded the same way: the kernel
calls ``guard_children``, which puts ``sitecustomize/`` (next to this file) on the
``PYTHONPATH`` its children inherit and names the mode in ``TFGUIDES_NETWORK``; every
Python process started from the kernel then runs ``offline.enter_child()`` before its own
code: this guard, and the device simulation when the run asks for it (not the dataset
stand-ins, which would import Keras into every program a kernel starts). A reader's copy
of the code needs none of this.

What the guard cannot see: it guards Python's ``socket`` module. TensorFlow's gRPC runtime
(``MultiWorkerMirroredStrategy``'s workers talking to each other) opens its sockets in C++,
outside it; a non-Python program a guide starts is not guarded either. In loopback mode
``bind``/``listen`` and UDP ``sendto`` are not checked (only outgoing connections are). So
the distributed guide's claim test also checks that the cluster it builds names only
127.0.0.1 addresses.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest_socket

# urllib3 (imported by TensorFlow) creates an IPv6 socket at import time to probe for IPv6
# support; it never connects. Importing it here, before any guard is on, keeps that probe
# from being reported as a network access.
import urllib3  # noqa: F401

#: The guides whose code may connect to 127.0.0.1 (and to nothing else).
LOOPBACK_GUIDES = frozenset({"tf_distribute"})
LOOPBACK_HOST = "127.0.0.1"
MODES = ("none", "loopback")
#: Names the mode for the processes a guide's code starts (read by ``sitecustomize/``).
VARIABLE = "TFGUIDES_NETWORK"
SITECUSTOMIZE_DIR = Path(__file__).parent / "sitecustomize"


def _known(network: str) -> None:
    if network not in MODES:
        raise ValueError(f"unknown network mode {network!r}; known: {', '.join(MODES)}")


def mode(guide: str) -> str:
    """The network mode the guide's kernel runs in."""
    return "loopback" if guide in LOOPBACK_GUIDES else "none"


def forbid(network: str = "none") -> None:
    """Any further attempt to open an internet socket raises pytest-socket's error; with
    ``network="loopback"``, any connection to an address other than 127.0.0.1 does."""
    _known(network)
    if network == "none":
        pytest_socket.disable_socket(allow_unix_socket=True)
        return
    pytest_socket.socket_allow_hosts([LOOPBACK_HOST], allow_unix_socket=True)
    lookup = socket.getaddrinfo

    def loopback_only(host, *args, **kwargs):
        # A name lookup may itself ask a DNS server: only the loopback address resolves.
        if host not in (LOOPBACK_HOST, LOOPBACK_HOST.encode(), None):
            raise pytest_socket.SocketConnectBlockedError([LOOPBACK_HOST], host)
        return lookup(host, *args, **kwargs)

    socket.getaddrinfo = loopback_only
    socket.gethostbyname = lambda host: loopback_only(host, None)[0][4][0]


def guard_children(network: str) -> None:
    """Make every Python process started from this one (and from those) enter the same
    guard first: through ``sitecustomize`` on the ``PYTHONPATH`` they inherit."""
    _known(network)
    os.environ[VARIABLE] = network
    path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = os.pathsep.join([str(SITECUSTOMIZE_DIR), *filter(None, [path])])
