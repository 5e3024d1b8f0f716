"""Claims a guide's prose makes in words that no single output line shows.

The page checks prove that each output on a page is what its code prints, and
``prose_numbers`` and ``prose_code`` that the numbers and inline code of English prose are in
the code or its outputs. What a sentence says in words ("halved every epoch from the third",
"18 steps of 16 features", "fast at first, then more slowly") is checked here, with the
sentence quoted in each test. The values come from the guide's one execution
(docs_tools/running/execution.py): what its sections printed, and what a probe,
tests/running/probes/<guide>.py, reports from the same kernel after the guide's last
section. The guide is not run again here.
"""

from __future__ import annotations

import ast
import math
import re

import numpy as np
import pytest

from docs_tools.running import execution


def _execution(guide: str) -> execution.Execution:
    run = execution.run(execution.guide_module(guide))
    assert not run.error, run.error
    assert run.probe is not None, f"tests/running/probes/{guide}.py reported nothing"
    return run


def _printed(run: execution.Execution, section: str) -> list[str]:
    """The lines a section printed in the guide's one execution (what its page shows)."""
    return run.cells[section].printed.splitlines()


@pytest.fixture(scope="module")
def training_loops() -> dict:
    return _execution("training_loops").probe


@pytest.fixture(scope="module")
def tensors() -> execution.Execution:
    return _execution("tensors")


@pytest.fixture(scope="module")
def keras_basics() -> execution.Execution:
    return _execution("keras_basics")


@pytest.fixture(scope="module")
def customizing_keras() -> execution.Execution:
    return _execution("customizing_keras")


@pytest.fixture(scope="module")
def functional_api() -> execution.Execution:
    return _execution("functional_api")


@pytest.fixture(scope="module")
def tf_data() -> execution.Execution:
    return _execution("tf_data")


@pytest.fixture(scope="module")
def tf_distribute() -> execution.Execution:
    return _execution("tf_distribute")


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


def test_the_best_line_is_close_to_the_true_one_and_the_floor_near_1(training_loops):
    """"because of the noise, the best 201 points can give is close to 3 and 2, not exactly 3
    and 2"; "more epochs would bring both weights closer"; "The loss is near 1, the variance
    of the noise, which is about the floor"."""
    best, true, model = training_loops["least_squares"], training_loops["true"], training_loops["model"]
    for name in ("w", "b"):
        assert 1e-3 < abs(best[name] - true[name]) < 0.25, f"{name}: the best line gives {best[name]}"
        # gradient descent on a squared loss ends on the least-squares line: more epochs, closer
        assert abs(best[name] - true[name]) < abs(model[name] - true[name]), name
    floor, trained = training_loops["least_squares_loss"], training_loops["hand_losses"][-1]
    assert 0.8 < floor <= trained < 1.2, (floor, trained)


# tensors ----------------------------------------------------------------------------------

def test_the_weight_matrix_has_shape_2_by_1(tensors):
    """"with a weight matrix `W` of shape `(2, 1)` and a bias `b`" (the code writes
    shape=(input_dim, output_dim), which no output shows; docs_tools.translation.prose_code.CLAIMED)."""
    assert tensors.probe["W_shape"] == [2, 1]
    assert tensors.probe["b_shape"] == [1]


def test_the_loss_drops_quickly_at_first_then_more_slowly(tensors):
    """"The loop repeats the step. The loss drops quickly at first, then more slowly"."""
    losses = [float(re.search(r"loss ([\d.]+)", line)[1]) for line in _printed(tensors, "training_loop")]
    drops = [earlier - later for earlier, later in zip(losses, losses[1:])]
    assert len(drops) >= 3 and all(drop > 0 for drop in drops), losses
    assert all(later < earlier for earlier, later in zip(drops, drops[1:])), drops


def test_almost_every_training_point_ends_up_on_the_right_side(tensors):
    """"Almost every training point ends up on the right side"."""
    [line] = _printed(tensors, "accuracy")
    assert 95 <= float(re.search(r"([\d.]+)%", line)[1]) < 100, line


# training loops ---------------------------------------------------------------------------

def test_both_weights_head_for_their_true_values_fast_at_first(training_loops):
    """"Both weights head for their true values, fast at first, then more slowly"."""
    # the printed epochs (3 decimals) are rounded from these; the probe reports the model's run
    lines = execution.run(execution.guide_module("training_loops")).cells["training_loop"].printed.splitlines()
    weights = [tuple(float(v) for v in re.search(r"w = ([-\d.]+), b = ([-\d.]+)", line).groups()) for line in lines]
    true = training_loops["true"]
    for index, name in enumerate(("w", "b")):
        distances = [abs(pair[index] - true[name]) for pair in [(5.0, 0.0), *weights]]  # starts at w = 5, b = 0
        steps = [earlier - later for earlier, later in zip(distances, distances[1:])]
        assert all(step > 0 for step in steps), f"{name} moves away from {true[name]}: {distances}"
        assert steps[0] > 2 * steps[-1], f"{name}: not fast at first, then more slowly: {steps}"


# keras_basics -----------------------------------------------------------------------------

def test_each_layer_kind_returns_what_the_prose_says(keras_basics):
    """"`Dense` replaces the features with its 16 units. `LSTM` reads the 20 timesteps in order
    and returns one vector for the whole sequence. `Conv1D` returns a sequence again, 18 steps
    long with 16 features at each step: a window of 3 timesteps fits 18 times into 20.
    `Conv2D` does the same in two dimensions, so a 28 × 28 image becomes 26 × 26 with 16
    channels."."""
    shapes = {}
    for line in _printed(keras_basics, "layer_kinds"):
        name, before, after = re.fullmatch(r"(\w+)\s+(\(.*\)) -> (\(.*\))", line.strip()).groups()
        shapes[name] = ast.literal_eval(before), ast.literal_eval(after)
    (dense_in, dense_out), (lstm_in, lstm_out) = shapes["Dense"], shapes["LSTM"]
    assert dense_out == (*dense_in[:-1], 16)
    assert lstm_in[1] == 20 and lstm_out == (lstm_in[0], 16)  # one vector per sequence: no time axis
    (conv1d_in, conv1d_out), (conv2d_in, conv2d_out) = shapes["Conv1D"], shapes["Conv2D"]
    batch, steps, _features = conv1d_in
    assert conv1d_out == (batch, 18, 16) and steps - 3 + 1 == 18 == conv1d_out[1]
    assert conv2d_in[1:3] == (28, 28) and conv2d_out == (conv2d_in[0], 26, 26, 16)


def test_the_last_batch_holds_the_rest(keras_basics):
    """"2,000 points in batches of 128 make 16 steps per epoch (15 full batches and a last one of
    80 points)"."""
    first = _printed(keras_basics, "fit")[0]
    examples, batch, steps = (int(n) for n in re.findall(r": (\d+)", first))
    assert (examples, batch, steps) == (2000, 128, 16)
    assert (examples // batch, examples % batch) == (15, 80) and steps == 15 + 1


def test_the_loss_falls_fast_and_the_accuracy_climbs_close_to_1(keras_basics):
    """"the loss falls fast and the accuracy climbs close to 1 within a few epochs"."""
    rows = {line.split()[0]: [float(v) for v in line.split()[1:]] for line in _printed(keras_basics, "history")[1:]}
    loss, accuracy = rows["loss"], rows["binary_accuracy"]
    assert all(later < earlier for earlier, later in zip(loss, loss[1:])), loss
    assert loss[1] < loss[0] / 2, loss  # fast: halved after one epoch
    assert all(value > 0.98 for value in accuracy[2:]), accuracy  # close to 1 from the third epoch


def test_the_model_does_as_well_on_validation_points_and_both_curves_fall(keras_basics):
    """"Here the two curves stay close: the model does as well on points it has never seen as on
    its training points. `val_loss` is even a little lower" (the figure's alt text: "close
    together and both falling"). What holds at every epoch: both fall, `val_loss` is never
    above `loss` (no gap opens), and the distance between them shrinks. (In the first epoch
    they are far apart, 0.67 and 0.28: "close" is true from the second epoch on.)"""
    history = keras_basics.probe["validation_history"]
    loss, val_loss = history["loss"], history["val_loss"]
    assert all(later < earlier for earlier, later in zip(loss, loss[1:])), loss
    assert all(later < earlier for earlier, later in zip(val_loss, val_loss[1:])), val_loss
    gaps = [t - v for t, v in zip(loss, val_loss, strict=True)]
    assert all(gap >= 0 for gap in gaps), history
    assert all(later < earlier for earlier, later in zip(gaps, gaps[1:])), gaps


# customizing_keras ------------------------------------------------------------------------

def test_the_learning_rate_is_kept_for_two_epochs_then_halved_every_epoch(customizing_keras):
    """"this one keeps it for two epochs, then halves it at the start of every epoch from the
    third on"."""
    [line] = _printed(customizing_keras, "lr_schedule")
    rates = ast.literal_eval(line)
    assert len(rates) >= 4, rates  # at least two halvings to show "every epoch"
    assert rates[1] == rates[0], rates
    for epoch in range(2, len(rates)):
        assert math.isclose(rates[epoch], rates[epoch - 1] / 2, rel_tol=1e-6), f"epoch {epoch}: {rates}"


def test_the_csv_read_back_prints_its_columns_then_epoch_and_learning_rate(customizing_keras):
    """"Read back from the file: the names of its columns, then the `epoch` and `learning_rate` of
    each row", and "The file holds the learning rate as the 32-bit number the optimizer used:
    0.001 is not exact in binary"."""
    rates = ast.literal_eval(_printed(customizing_keras, "lr_schedule")[0])
    columns, *rows, last = _printed(customizing_keras, "csv_logger")
    columns = ast.literal_eval(columns)
    assert {"epoch", "learning_rate"} <= set(columns) and columns[0] == "epoch", columns
    assert last == "loss as in the history: True"
    assert len(rows) == len(rates), "one row per epoch of the run"
    for epoch, (row, rate) in enumerate(zip(rows, rates, strict=True)):
        number, learning_rate = row.split()
        assert int(number) == epoch
        # the float32 the optimizer used, printed in full: not the decimal of the schedule
        assert float(learning_rate) == float(np.float32(rate)) != rate, row


def test_adam_keeps_two_variables_per_weight(customizing_keras):
    """"Compiled, the model also counts the optimizer's variables (Adam keeps two per weight)"."""
    counts = {label: int(number.replace(",", "")) for label, number in
              re.findall(r"(Trainable|Optimizer) params: ([\d,]+)", customizing_keras.cells["summary_built"].printed)}
    # and two of its own: the step count and the learning rate
    assert counts["Optimizer"] - 2 * counts["Trainable"] in (0, 1, 2), counts


def test_the_validation_loss_falls_for_some_epochs_then_rises(customizing_keras):
    """"the validation loss falls for some epochs, then rises"."""
    losses, best = customizing_keras.probe["early_stopping_val_losses"], customizing_keras.probe["early_stopping_best_epoch"]
    falling = next(epoch for epoch in range(1, len(losses)) if losses[epoch] >= losses[epoch - 1])
    assert falling >= 3, f"the validation loss falls for {falling - 1} epochs only: {losses}"
    assert 1 <= best < len(losses) - 1 and losses[best] == min(losses)
    # after the best epoch it rises and never comes back below it (on the way down it may wobble:
    # one epoch up and down again before the best)
    assert all(value > losses[best] for value in losses[best + 1:]) and losses[-1] > losses[best], losses


def test_the_running_mean_is_smooth_and_starts_again_every_epoch(customizing_keras):
    """"each batch's loss is noisy, the running mean is smooth and starts again with every
    epoch" (the figure: "restarting at batches 20 and 40")."""
    losses, means = customizing_keras.probe["batch_losses"], customizing_keras.probe["running_means"]
    assert len(losses) == len(means) == 60
    for start in (0, 20, 40):  # the first mean of an epoch is that batch's loss alone
        assert math.isclose(means[start], losses[start], rel_tol=1e-6), start
        epoch_losses, epoch_means = losses[start:start + 20], means[start:start + 20]
        jumps = sum(abs(b - a) for a, b in zip(epoch_losses, epoch_losses[1:]))
        moves = sum(abs(b - a) for a, b in zip(epoch_means, epoch_means[1:]))
        assert moves < jumps / 2, f"epoch from batch {start}: the mean moves {moves}, the losses {jumps}"
        assert any(b > a for a, b in zip(epoch_losses, epoch_losses[1:])), "noisy: not a steady fall"
    assert means[20] < means[19] and means[40] < means[39]  # a restart is a visible step


# functional_api ---------------------------------------------------------------------------

def test_the_tickets_are_as_the_generator_is_described(functional_api):
    """"about 30% of the tickets are urgent, and their titles contain two alarm words"; "a tag
    that usually points to it"; "(always answering "not urgent" would score about 70%)"."""
    for name in ("train_tickets", "test_tickets"):
        tickets = functional_api.probe[name]
        assert 0.25 < tickets["urgent"] < 0.35, (name, tickets)
        assert tickets["alarm_words_urgent"] == [2] and tickets["alarm_words_other"] == [0], (name, tickets)
        assert tickets["tag_points_to_department"] > 0.6, (name, tickets)
    assert 0.65 < 1 - functional_api.probe["test_tickets"]["urgent"] < 0.75


def test_the_encoder_and_the_autoencoder_share_every_layer_of_the_encoder(functional_api):
    """"They share every layer of the encoder, weights included"."""
    shared = int(re.search(r"layers they share: (\d+)", functional_api.cells["encoder_autoencoder"].printed)[1])
    table = functional_api.cells["encoder_summary"].printed
    # one row per layer of the encoder; a long name continues on a row with no output shape
    rows = [line for line in table.splitlines() if line.startswith("│") and line.split("│")[2].strip()]
    assert len(rows) == shared, (shared, rows)


# tf_data ----------------------------------------------------------------------------------

def test_a_small_shuffle_buffer_keeps_most_elements_near_their_place(tf_data):
    """"With a buffer of 10 no point lies more than 9 above the diagonal (9 places early), and
    most lie within 9 of it on either side; the few elements that stay in the buffer by chance
    come out late, below the diagonal, one of them here 45 places late. With a buffer of 100
    the points fill the square." (and the alt text: "a narrow band along the diagonal" /
    "spread over the whole plot"). Measured: 89 of 100 within 9 places."""
    small, full = tf_data.probe["small_buffer"], tf_data.probe["full_buffer"]
    assert sorted(small) == sorted(full) == list(range(100))
    late = [position - element for position, element in enumerate(small)]
    assert max(-d for d in late) == 9 and max(late) == 45
    assert sum(abs(d) <= 9 for d in late) > 0.8 * len(late), late  # most: within 9 either way
    assert sum(d > 9 for d in late) < 0.2 * len(late), late  # few: late by more
    far = [abs(position - element) for position, element in enumerate(full)]
    assert sum(d > 20 for d in far) > 0.5 * len(far), far  # spread: most far from the diagonal
    for half in (range(0, 50), range(50, 100)):  # every quarter of the square has points
        assert {e >= 50 for p, e in enumerate(full) if p in half} == {True, False}


def _overlap(a, b):
    return a[1] < b[1] + b[2] and b[1] < a[1] + a[2]


def test_the_timeline_shows_what_the_prose_says(tf_data):
    """"Each ran 24 steps, 8 reads, 8 transformations and 8 training steps"; "In the naive
    timeline, read, transform and train take turns [...] In the fast one, reads and
    transformations run side by side, and while the model trains on one element the next ones
    are being prepared" (alt text: "never overlap"; "read, transform and train bars overlap in
    time, and the epoch ends sooner")."""
    timelines = tf_data.probe["timelines"]
    for steps in timelines.values():
        assert sorted(stage for stage, *_ in steps) == ["read"] * 8 + ["train"] * 8 + ["transform"] * 8
    naive, fast = timelines["naive"], timelines["parallel map + prefetch"]
    assert not any(_overlap(a, b) for i, a in enumerate(naive) for b in naive[i + 1:])
    def overlapping(first, second):
        return any(_overlap(a, b) for a in fast if a[0] == first for b in fast if b[0] == second)
    assert overlapping("read", "transform")
    assert overlapping("transform", "train") or overlapping("read", "train")
    end = {name: max(begin + length for _, begin, length in steps) for name, steps in timelines.items()}
    assert end["parallel map + prefetch"] < end["naive"], end


def test_prefetch_overlaps_every_read_but_the_first(tf_data):
    """"with it, more than half do: in every run we measured, 9 of 10, all but the first read,
    which comes before any training step"."""
    assert tf_data.probe["prefetch_overlapped"] == 9


# tf_distribute ----------------------------------------------------------------------------

def test_the_workers_cluster_is_on_the_loopback_address_only(tf_distribute):
    """"Here both workers run on this machine, on 127.0.0.1". The network guard sees Python's
    sockets only, and TensorFlow's gRPC runtime opens its own in C++: so the cluster the
    guide puts into TF_CONFIG must name 127.0.0.1 and nothing else (docs_tools/running/network.py)."""
    cluster = tf_distribute.probe["cluster"]
    assert list(cluster) == ["worker"] and len(cluster["worker"]) == 2
    hosts = [address.rpartition(":")[0] for address in cluster["worker"]]
    ports = [int(address.rpartition(":")[2]) for address in cluster["worker"]]
    assert hosts == ["127.0.0.1", "127.0.0.1"], cluster
    assert len(set(ports)) == 2 and all(0 < port < 65536 for port in ports), cluster


def test_no_worker_outlives_its_job(tf_distribute):
    """"The `finally` block makes sure no worker outlives `run`, whatever happens": after the
    two runs of two jobs, the first run's jobs stopped when a worker died, no worker process
    is left."""
    assert tf_distribute.probe["survivors"] == []


def test_the_wrong_loss_moves_every_weight_twice_as_far(tf_distribute):
    """"The wrong loss moves every weight twice as far; `compute_average_loss` moves it as far
    as one device does" (the page prints the ratios rounded to 4 decimals)."""
    assert len(tf_distribute.probe["wrong_ratio"]) == 9  # "each of the 9 weights (8 in the kernel, 1 bias)"
    assert np.allclose(tf_distribute.probe["wrong_ratio"], 2.0, rtol=1e-5)
    assert np.allclose(tf_distribute.probe["right_ratio"], 1.0, rtol=1e-5)


def test_one_and_two_replicas_agree_within_the_stated_tolerance(tf_distribute):
    """"The check allows a difference of 1e-6 relative to the largest change, and the updates
    agree within it" (the page prints only the claim)."""
    assert tf_distribute.probe["same_update_difference"] <= 1e-6


def test_each_second_run_resumes_after_the_last_saved_epoch(tf_distribute):
    """"Both workers restore `ckpt-2` and carry on from epoch 3 to epoch 5"; "The second run
    [...] starts at epoch 4 and trains to epoch 6"; and the figure's alt text: "epoch 3 on
    the left, epoch 4 on the right", the first runs ending before the crash."""
    epochs = tf_distribute.probe["epochs"]
    assert epochs["workers"][0] == epochs["workers"][1] == [1, 2]  # the first run, both workers
    assert epochs["workers"][2] == epochs["workers"][3] == [3, 4, 5]  # the second run
    assert epochs["fit"] == [[1, 2, 3], [4, 5, 6]]

