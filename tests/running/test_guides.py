"""Claims a guide's prose makes that need more than its printed output to verify.

The values come from the guide's one execution (docs_tools/running/execution.py): a probe,
tests/running/probes/<guide>.py, runs in the same kernel after the guide's last section and
reports them. The guide is not run again here.
"""

from __future__ import annotations

import math

import pytest

from docs_tools.running import execution


@pytest.fixture(scope="module")
def training_loops() -> dict:
    run = execution.run(execution.guide_module("training_loops"))
    assert not run.error, run.error
    assert run.probe is not None, "tests/running/probes/training_loops.py reported nothing"
    return run.probe


def test_hand_loop_reports_the_loss_of_the_updated_model(training_loops):
    """The loss printed for an epoch is the loss of that epoch's weights, and it changes."""
    reported, actual = training_loops["hand_losses"], training_loops["losses_of_weights"]
    assert len(reported) == len(actual) > 1
    for epoch, (shown, real) in enumerate(zip(reported, actual, strict=True)):
        assert math.isclose(shown, real, rel_tol=1e-6), f"epoch {epoch}: stale loss"
    assert all(later < earlier for earlier, later in zip(reported, reported[1:], strict=False))


#: The hand loop and fit do the same arithmetic in different order (fit runs the step as a
#: compiled graph), so their results may differ by float rounding, and by no more than this.
SAME_ANSWER = dict(rel_tol=0, abs_tol=1e-4)


def test_hand_loop_and_fit_land_on_the_same_weights(training_loops):
    for name in ("w", "b"):
        by_hand, by_fit = training_loops["keras_model"][name], training_loops["fit_model"][name]
        assert math.isclose(by_hand, by_fit, **SAME_ANSWER), f"{name}: {by_hand} by hand, {by_fit} by fit"
    fit_losses = training_loops["fit_losses"]
    hand_losses = training_loops["keras_hand_losses"][:-1]
    assert all(math.isclose(f, h, **SAME_ANSWER) for f, h in zip(fit_losses, hand_losses, strict=True))


def test_training_ends_near_the_true_line(training_loops):
    model, true = training_loops["model"], training_loops["true"]
    assert abs(model["w"] - true["w"]) < 0.25
    assert abs(model["b"] - true["b"]) < 0.3
