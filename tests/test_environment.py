"""The environment under test is the pinned one, and the GPU variant really uses a GPU."""

from __future__ import annotations

import os
from importlib import metadata

import keras
import tensorflow as tf

from docs_tools.running import versions

VARIANT = os.environ.get("TFGUIDES_TENSORFLOW", "cpu")


def test_installed_versions_are_the_ones_the_pages_state():
    pinned = versions.pinned()
    assert tf.__version__ == pinned["tensorflow"], "environment out of date: rerun `nox -s test`"
    assert keras.__version__ == pinned["keras"]


def test_tensorflow_build_matches_the_session():
    if VARIANT == "gpu":
        assert tf.config.list_physical_devices("GPU"), (
            "the GPU session runs, but TensorFlow sees no GPU: check the NVIDIA driver and "
            "`python -c 'import tensorflow as tf; print(tf.config.list_physical_devices())'`")
    else:
        assert metadata.version("tensorflow-cpu") == tf.__version__
