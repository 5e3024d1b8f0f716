"""Run by Python at the start of every process whose ``PYTHONPATH`` holds this folder: the
processes a guide's code starts (``docs_tools.running.network.guard_children``), in the
network mode the kernel that started them names (``offline.enter_child``).

Every Python program a kernel starts runs this, Graphviz's ``dot`` of ``plot_model`` among
them (``docs_tools/running/dot.py``), so it stays cheap: it imports neither Keras nor
TensorFlow, except under the device simulation, which must start before TensorFlow does."""

import os

if os.environ.get("TFGUIDES_NETWORK"):
    from docs_tools.running import offline

    offline.enter_child(os.environ["TFGUIDES_NETWORK"])
