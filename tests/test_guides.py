"""Claims a guide's prose makes that need more than its printed output to verify."""

from __future__ import annotations

import math

import pytest

from docs_tools import execute, outputs, snippets


@pytest.fixture(scope="module")
def training_loops():
    """The training-loops guide, run section by section like a reader (plots included)."""
    namespace = execute.fresh_namespace()
    outputs.run_module(snippets.SNIPPETS_DIR / "training_loops.py", namespace)
    return namespace


def test_hand_loop_reports_the_loss_of_the_updated_model(training_loops):
    """The loss printed for an epoch is the loss of that epoch's weights, and it changes."""
    ns = training_loops
    history = ns["history"]
    for epoch, (w, b, reported) in enumerate(zip(history["w"], history["b"], history["loss"], strict=True)):
        actual = float(ns["loss"](ns["y"], w * ns["x"] + b))
        assert math.isclose(reported, actual, rel_tol=1e-6), f"epoch {epoch}: stale loss"
    assert all(later < earlier for earlier, later in zip(history["loss"], history["loss"][1:], strict=False))


#: The hand loop and fit do the same arithmetic in different order (fit runs the step as a
#: compiled graph), so their results may differ by float rounding, and by no more than this.
SAME_ANSWER = dict(rel_tol=0, abs_tol=1e-4)


def test_hand_loop_and_fit_land_on_the_same_weights(training_loops):
    ns = training_loops
    for name in ("w", "b"):
        by_hand = float(getattr(ns["keras_model"], name).numpy())
        by_fit = float(getattr(ns["fit_model"], name).numpy())
        assert math.isclose(by_hand, by_fit, **SAME_ANSWER), f"{name}: {by_hand} by hand, {by_fit} by fit"
    fit_losses = ns["fit_history"].history["loss"]
    hand_losses = ns["keras_history"]["loss"][:-1]
    assert all(math.isclose(f, h, **SAME_ANSWER) for f, h in zip(fit_losses, hand_losses, strict=True))


def test_training_ends_near_the_true_line(training_loops):
    ns = training_loops
    assert abs(ns["model"].w.numpy() - ns["TRUE_W"]) < 0.25
    assert abs(ns["model"].b.numpy() - ns["TRUE_B"]) < 0.3
