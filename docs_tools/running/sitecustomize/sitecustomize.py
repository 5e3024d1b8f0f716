"""Run by Python at the start of every process whose ``PYTHONPATH`` holds this folder: the
processes a guide's code starts (``docs_tools.running.network.guard_children``). They enter
the same hermetic run as the kernel that started them, in the network mode it names."""

import os

if os.environ.get("TFGUIDES_NETWORK"):
    from docs_tools.running import offline

    offline.enter(network_mode=os.environ["TFGUIDES_NETWORK"])
