"""Loaded by pytest before tests/conftest.py and docs/conftest.py, which import TensorFlow.

Under ``TFGUIDES_SIMULATE_DEVICE=1`` (``nox -s simulate``) the device simulation
(``docs_tools.running.device``) must start before TensorFlow does: oneDNN and the thread pools
are fixed then. ``docs_tools.running.fast_exit`` spares every run the interpreter's teardown.
"""

from docs_tools.running import device

pytest_plugins = ["docs_tools.running.fast_exit"]

if device.requested():
    device.simulate()
