"""The hermetic run every tool, test and notebook kernel of the project starts with.

``enter()`` blocks internet sockets (``docs_tools.running.network``) and replaces Keras' dataset
downloads with offline stand-ins (``docs_tools.running.datasets``). Under pytest the sockets are
blocked by pytest-socket's ``--disable-socket`` (pyproject.toml) and the conftests call
``datasets.use_stand_ins()`` (not in a run of the browser tests alone, whose process loads
no data set: tests/conftest.py).

The one exception is the explicit real-data run, ``nox -s realdata``: it sets
``TFGUIDES_REAL_DATA=1``, and then the real loaders stay and may download.

``network_mode`` is the network mode (``docs_tools.running.network``): ``"none"``, or ``"loopback"``
for a guide allowed to connect to 127.0.0.1 only. The real-data run leaves sockets as they are.

With ``TFGUIDES_SIMULATE_DEVICE=1`` (``nox -s simulate``) it first starts the device
simulation (``docs_tools.running.device``), before anything imports TensorFlow.
"""

from __future__ import annotations

from docs_tools.running import datasets, device, network


def enter(network_mode: str = "none") -> None:
    enter_child(network_mode)
    if not datasets.real_data_requested():
        datasets.use_stand_ins()


def enter_child(network_mode: str) -> None:
    """What a process started by a guide's code enters (through ``sitecustomize``, see
    ``network.guard_children``): the device simulation if the run asks for it, and the
    network guard in the kernel's mode. Not the dataset stand-ins: installing them imports
    Keras, seconds for every program a kernel starts (``dot`` too); such a process that
    calls a Keras loader gets the guard's error instead of a download. No guide's worker
    loads a Keras data set."""
    if device.requested():
        device.simulate()
    if datasets.real_data_requested():
        return
    network.forbid(network_mode)
