"""Hermetic runs: snippet code executed by the tools and tests may not open network sockets.

pytest-socket does the blocking (in tests via ``--disable-socket``); this module applies the
same guard to the processes the tools start themselves.
"""

from __future__ import annotations

import pytest_socket


def forbid() -> None:
    """Any further attempt to open an internet socket raises ``SocketBlockedError``."""
    # urllib3 (imported by TensorFlow) creates an IPv6 socket at import time to probe for
    # IPv6 support; it never connects. Import it first so that probe is not reported.
    import urllib3  # noqa: F401
    pytest_socket.disable_socket(allow_unix_socket=True)
