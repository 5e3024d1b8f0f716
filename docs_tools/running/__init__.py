"""Running the guides: each guide's code executed once, hermetically, and its outputs compared.

- ``execution.py``  each guide executed once, top to bottom, in a fresh Jupyter kernel, cached:
                    the one run every check, notebook and figure reads.
- ``in_process.py`` sections run in this process, in one namespace (the benchmark's floor, unit tests).
- ``offline.py``    what every tool, test and kernel starts with: ``network.py`` (no sockets; 127.0.0.1
                    only for the guides in ``network.LOOPBACK_GUIDES``) and ``datasets.py`` (offline
                    stand-ins for the Keras loaders).
- ``sitecustomize/`` put on the ``PYTHONPATH`` of the processes a guide's code starts
                    (``network.guard_children``): they enter the same hermetic run as the kernel.
- ``device.py``     the device simulation (TF32, reduction order) and the report of a device run.
- ``compare.py``    the output a page shows against what the code prints: tolerances, and the
                    policy for outputs on other machines.
- ``page_checks.py`` the sybil parser: every ``snippet`` fence of a page is one checked example.
- ``outputs.py``    ``python -m docs_tools.running.outputs``: rewrites the ``.out`` files (``nox -s outputs``).
- ``versions.py``   the TensorFlow and Keras versions the guides run with (the CPU lock file).
- ``dot.py``        Graphviz's ``dot`` for ``plot_model`` inside the kernel (from PyPI).
- ``fast_exit.py``  a pytest plugin: the suite's process ends without the interpreter's teardown.

Imports only ``docs_tools.snippets`` and ``docs_tools.languages`` from outside this package.
"""
