"""Hermetic runs: snippet code executed by the tools and tests may not open network sockets.

pytest-socket does the blocking (in tests via ``--disable-socket``); this module applies the
same guard to the processes the tools start themselves. Conftests import it first.
"""

from __future__ import annotations

import pytest_socket

# urllib3 (imported by TensorFlow) creates an IPv6 socket at import time to probe for IPv6
# support; it never connects. Importing it here, before any guard is on, keeps that probe
# from being reported as a network access.
import urllib3  # noqa: F401


def forbid() -> None:
    """Any further attempt to open an internet socket raises ``SocketBlockedError``."""
    pytest_socket.disable_socket(allow_unix_socket=True)
