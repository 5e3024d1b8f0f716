"""Offline stand-ins for the Keras datasets the guides load.

``keras.datasets.mnist.load_data()`` and ``keras.datasets.cifar10.load_data()`` download
their data. Tests, builds and notebooks never touch the network, so ``use_stand_ins()``
replaces those loaders (not the files: ``get_file`` checks a SHA-256) with functions that
return arrays of the same shapes and dtypes, built from data that ships with
scikit-learn, deterministically:

* MNIST: the 1,797 real handwritten digits of ``sklearn.datasets.load_digits`` (8x8, 16
  grey levels), smoothly enlarged to MNIST's 20x20 digit box, placed in a 28x28 frame at
  a random offset of up to 2 pixels with a random stroke intensity, as uint8 0-255. The
  training images come from the first 1,500 digits, the test images from the other 297,
  so no test digit is a shifted copy of a training digit.
* CIFAR-10: colour images whose class decides a shape (disc, bar, ring, pillar or
  diamond) and its colour, drawn at a random place and size over a random patchwork
  background, with noise; each class equally often, as in CIFAR-10. Learnable, not photos.

The guides print only what does not depend on which data was loaded (shapes, dtypes,
value ranges, and claims such as "accuracy above 90%"), and the same printed output is
checked in both modes. ``TFGUIDES_REAL_DATA=1`` (``nox -s realdata``) keeps the real
loaders and lets them download.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import os
from pathlib import Path

import numpy as np

REAL_DATA_VARIABLE = "TFGUIDES_REAL_DATA"

MNIST_SHAPES = {"train": 60_000, "test": 10_000}
CIFAR10_SHAPES = {"train": 50_000, "test": 10_000}
_MNIST_TRAIN_DIGITS = 1_500  # of sklearn's 1,797; the rest are the test digits


def real_data_requested() -> bool:
    return os.environ.get(REAL_DATA_VARIABLE, "") not in ("", "0")


def _sklearn_digits() -> tuple[np.ndarray, np.ndarray]:
    """sklearn's bundled copy of the UCI handwritten digits, read without importing sklearn
    (which would take about 2 s)."""
    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("the offline dataset stand-ins need scikit-learn's bundled digits: "
                          "install the project's requirements (nox does)")
    path = Path(spec.submodule_search_locations[0], "datasets", "data", "digits.csv.gz")
    table = np.loadtxt(path, delimiter=",", dtype=np.float32)
    return table[:, :-1].reshape(-1, 8, 8) / 16.0, table[:, -1].astype(np.uint8)


def _interpolation(size_in: int, size_out: int) -> np.ndarray:
    """Matrix of linear interpolation from ``size_in`` samples to ``size_out`` (pixel centres aligned)."""
    positions = np.clip((np.arange(size_out) + 0.5) * size_in / size_out - 0.5, 0, size_in - 1)
    low = np.floor(positions).astype(int)
    high = np.minimum(low + 1, size_in - 1)
    weight = (positions - low).astype(np.float32)
    matrix = np.zeros((size_out, size_in), dtype=np.float32)
    matrix[np.arange(size_out), low] += 1 - weight
    matrix[np.arange(size_out), high] += weight
    return matrix


def _mnist_split(images: np.ndarray, labels: np.ndarray, count: int, seed: int):
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(images), size=count)
    # Pen pressure: thin or bold strokes, saturating like MNIST's anti-aliased ink.
    gain = rng.uniform(1.0, 2.0, size=(count, 1, 1)).astype(np.float32)
    ink = (np.clip(images[pick] * gain, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
    frames = np.zeros((count, 28, 28), dtype=np.uint8)
    offsets = rng.integers(2, 7, size=(count, 2))  # MNIST's 20x20 box sits at offset 4
    for dy in range(2, 7):
        for dx in range(2, 7):
            rows = np.flatnonzero((offsets[:, 0] == dy) & (offsets[:, 1] == dx))
            frames[rows, dy:dy + 20, dx:dx + 20] = ink[rows]
    return frames, labels[pick]


@functools.cache
def _mnist():
    digits, labels = _sklearn_digits()
    enlarge = _interpolation(8, 20)
    images = np.einsum("ij,njk,lk->nil", enlarge, digits, enlarge)  # (1797, 20, 20)
    images = np.clip((images - 0.1) * 1.25, 0.0, 1.0)  # crisper edges, a clean background
    cut = _MNIST_TRAIN_DIGITS
    train = _mnist_split(images[:cut], labels[:cut], MNIST_SHAPES["train"], seed=1)
    test = _mnist_split(images[cut:], labels[cut:], MNIST_SHAPES["test"], seed=2)
    return train, test


def mnist(path: str = "mnist.npz"):
    """Same as ``keras.datasets.mnist.load_data()``: uint8 images (n, 28, 28), uint8 labels (n,)."""
    (x_train, y_train), (x_test, y_test) = _mnist()
    return (x_train.copy(), y_train.copy()), (x_test.copy(), y_test.copy())


def _cifar_pool(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``count`` distinct images: the class decides the shape and its colour."""
    rng = np.random.default_rng(seed)
    labels = (np.arange(count) % 10).astype(np.uint8)
    coarse = rng.uniform(0.0, 1.0, size=(count, 5, 5, 3)).astype(np.float32)
    texture = coarse.repeat(8, axis=1).repeat(8, axis=2)[:, 4:36, 4:36, :]  # smooth background
    yy, xx = np.mgrid[0:32, 0:32].astype(np.float32)
    centre = rng.uniform(9, 23, size=(count, 2, 1, 1)).astype(np.float32)
    radius = rng.uniform(5, 9, size=(count, 1, 1)).astype(np.float32)
    dy, dx = (yy - centre[:, 0]) / radius, (xx - centre[:, 1]) / radius
    distance = np.sqrt(dy ** 2 + dx ** 2)
    shapes = [distance < 1,                                   # disc
              (np.abs(dy) < 0.35) & (np.abs(dx) < 1),         # bar
              (distance > 0.6) & (distance < 1),              # ring
              (np.abs(dx) < 0.35) & (np.abs(dy) < 1),         # pillar
              np.abs(dy) + np.abs(dx) < 1]                    # diamond
    mask = np.zeros((count, 32, 32), dtype=bool)
    for label in range(10):  # classes 5-9: the shapes of 0-4, other colours, darker ground
        rows = labels == label
        mask[rows] = shapes[label % 5][rows]
    palette = np.random.default_rng(0).uniform(0.1, 0.9, size=(10, 3)).astype(np.float32)
    ground = texture * np.where(labels >= 5, 0.4, 0.8).astype(np.float32)[:, None, None, None] + 0.1
    images = np.where(mask[..., None], palette[labels][:, None, None, :], ground)
    images += rng.normal(0.0, 0.04, size=images.shape).astype(np.float32)
    return (np.clip(images, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8), labels


def _cifar_split(count: int, pool: int, seed: int):
    images, labels = _cifar_pool(pool, seed)
    rng = np.random.default_rng(seed + 100)
    # Every class equally often, as in CIFAR-10 (labels in the pool cycle through 0-9).
    pick = rng.permutation(rng.integers(0, pool // 10, size=count) * 10 + np.arange(count) % 10)
    out = images[pick]
    flip = rng.random(count) < 0.5
    out[flip] = out[flip, :, ::-1]  # mirrored copies, as augmentation would make
    return out, labels[pick].reshape(-1, 1)


@functools.cache
def _cifar10():
    # Pools of distinct images (5,000 and 1,000), drawn with mirroring up to CIFAR's sizes.
    return (_cifar_split(CIFAR10_SHAPES["train"], 5_000, seed=3),
            _cifar_split(CIFAR10_SHAPES["test"], 1_000, seed=4))


def cifar10():
    """Same as ``keras.datasets.cifar10.load_data()``: uint8 (n, 32, 32, 3), uint8 labels (n, 1)."""
    (x_train, y_train), (x_test, y_test) = _cifar10()
    return (x_train.copy(), y_train.copy()), (x_test.copy(), y_test.copy())


STAND_INS = {"mnist": mnist, "cifar10": cifar10}


def _no_stand_in(name: str):
    def load_data(*args, **kwargs):
        raise RuntimeError(
            f"keras.datasets.{name}.load_data() would download, and runs here are offline: "
            f"add a stand-in for {name!r} to docs_tools/running/datasets.py (STAND_INS), "
            "or run with the real data (nox -s realdata)")
    return load_data


def use_stand_ins() -> None:
    """Replace the Keras loaders by the stand-ins, wherever Keras exposes them
    (``keras.datasets``, ``tf.keras.datasets`` and their implementation modules). A data
    set without a stand-in gets a loader that says so, instead of a failed download."""
    import keras

    names = [name for name in dir(keras.datasets) if not name.startswith("_")]
    for name in names:
        loader = STAND_INS.get(name) or _no_stand_in(name)
        for prefix in ("keras.src.datasets", "keras.datasets", "keras._tf_keras.keras.datasets"):
            try:
                module = importlib.import_module(f"{prefix}.{name}")
            except ImportError:
                continue
            if hasattr(module, "load_data"):
                module.load_data = loader
