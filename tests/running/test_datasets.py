"""The offline stand-ins for Keras datasets (docs_tools/running/datasets.py).

Offline (the default), these tests prove that the stand-ins have the layout of the real
data sets, as Keras documents it, and are realistic where the guides rely on it. With the
real data (``nox -s realdata``), the same layout is checked against the real downloads.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys

import numpy as np
import pytest

from docs_tools.running import datasets

#: Keras' documented layout: (x_train, y_train), (x_test, y_test) as (shape, dtype).
LAYOUT = {
    "mnist": [((60000, 28, 28), "uint8"), ((60000,), "uint8"), ((10000, 28, 28), "uint8"), ((10000,), "uint8")],
    "cifar10": [((50000, 32, 32, 3), "uint8"), ((50000, 1), "uint8"),
                ((10000, 32, 32, 3), "uint8"), ((10000, 1), "uint8")],
}


def _flat(loaded):
    (x_train, y_train), (x_test, y_test) = loaded
    return [x_train, y_train, x_test, y_test]


@pytest.mark.parametrize("name", sorted(datasets.STAND_INS))
def test_stand_in_has_the_layout_of_the_real_data(name):
    arrays = _flat(datasets.STAND_INS[name]())
    assert [(a.shape, str(a.dtype)) for a in arrays] == LAYOUT[name]
    x_train, y_train, x_test, y_test = arrays
    assert (x_train.min(), x_train.max()) == (0, 255) and (x_test.min(), x_test.max()) == (0, 255)
    for labels in (y_train, y_test):
        counts = np.bincount(labels.ravel(), minlength=10)
        assert len(counts) == 10 and counts.min() > 0.08 * len(labels), f"unbalanced classes: {counts}"


@pytest.mark.skipif(not datasets.real_data_requested(), reason="offline: nox -s realdata compares with "
                    "the real downloads")
@pytest.mark.parametrize("name", sorted(datasets.STAND_INS))
def test_stand_in_matches_the_real_download(name):
    import keras

    real = _flat(getattr(keras.datasets, name).load_data())
    stand_in = _flat(datasets.STAND_INS[name]())
    for r, s in zip(real, stand_in, strict=True):
        assert (r.shape, r.dtype) == (s.shape, s.dtype)
        if r.ndim >= 3:  # images
            assert (r.min(), r.max()) == (s.min(), s.max())
        else:  # labels
            assert np.array_equal(np.unique(r), np.unique(s))


def test_keras_loaders_are_replaced_offline():
    import keras
    import tensorflow as tf

    if datasets.real_data_requested():
        assert keras.datasets.mnist.load_data is not datasets.mnist
        return
    assert keras.datasets.mnist.load_data is datasets.mnist
    assert tf.keras.datasets.mnist.load_data is datasets.mnist
    assert keras.datasets.cifar10.load_data is datasets.cifar10
    with pytest.raises(RuntimeError, match=r"add a stand-in for 'imdb' to docs_tools/running/datasets.py"):
        keras.datasets.imdb.load_data()


def test_stand_ins_are_the_same_on_every_run():
    """Built from fixed seeds: a fresh process gets the same bytes."""
    def digest(arrays):
        return hashlib.sha256(b"".join(a.tobytes() for a in arrays)).hexdigest()

    code = ("from docs_tools.running import datasets; import hashlib; "
            "print(hashlib.sha256(b''.join(a.tobytes() for s in datasets.mnist() for a in s)).hexdigest())")
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert other.stdout.strip() == digest(_flat(datasets.mnist()))


def test_mnist_test_digits_are_not_training_digits():
    """Test images come from other handwritten digits than training images: accuracy on
    them measures generalisation, as on the real MNIST."""
    x_train, _, x_test, _ = _flat(datasets.mnist())
    seen = {image.tobytes() for image in x_train}
    assert not any(image.tobytes() in seen for image in x_test)


@pytest.mark.parametrize("variable, offline", [("", True), ("0", True), ("1", False)])
def test_real_data_is_an_explicit_opt_in(monkeypatch, variable, offline):
    """offline.enter(), which every tool process and the notebook kernel start with, blocks
    sockets and installs the stand-ins unless TFGUIDES_REAL_DATA=1 asks for the real data."""
    from docs_tools.running import network, offline as offline_module

    calls = []
    monkeypatch.setattr(network, "forbid", lambda mode="none": calls.append("forbid"))
    monkeypatch.setattr(datasets, "use_stand_ins", lambda: calls.append("stand-ins"))
    monkeypatch.setenv(datasets.REAL_DATA_VARIABLE, variable)
    offline_module.enter()
    assert calls == (["forbid", "stand-ins"] if offline else [])
