# --8<-- [start:setup]
import csv
import shutil
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.clear_session()  # a fresh start: layer names begin again at "dense"
keras.utils.set_random_seed(42)  # seeds Python, NumPy and the backend at once
# --8<-- [end:setup]

# --8<-- [start:data]
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32") / 255
x_test = x_test.reshape(-1, 784).astype("float32") / 255

# Small slices keep examples quick: 5,000 images to train, 1,000 to validate.
x_val, y_val = x_train[-1000:], y_train[-1000:]
x_train, y_train = x_train[:5000], y_train[:5000]
print(
    "train:", x_train.shape, "validation:", x_val.shape, "test:", x_test.shape
)
# --8<-- [end:data]


# --8<-- [start:subclass]
class DigitClassifier(keras.Model):
    def __init__(self, hidden=64, repeats=2, **kwargs):
        super().__init__(**kwargs)
        self.hidden = hidden
        self.repeats = repeats
        # Layers are created here, once...
        self.encode = layers.Dense(hidden, activation="relu")
        self.refine = layers.Dense(hidden, activation="relu")
        self.classify = layers.Dense(10)

    def call(self, inputs, return_features=False):
        # ...and used here, on every call, with any Python you need.
        x = self.encode(inputs)
        # one layer applied again and again, with the same weights
        for _ in range(self.repeats):
            x = x + self.refine(x)
        if return_features:  # a branch on an argument of call
            return x
        return self.classify(x)


model = DigitClassifier(name="digit_classifier")
print(model(x_test[:3]).shape, model(x_test[:3], return_features=True).shape)
# --8<-- [end:subclass]

# --8<-- [start:fit_subclass]
model.compile(
    optimizer=keras.optimizers.Adam(1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = model.fit(
    x_train,
    y_train,
    batch_size=64,
    epochs=3,
    validation_data=(x_val, y_val),
    verbose=0,
)
print(sorted(history.history), "after", len(history.epoch), "epochs")
scores = model.evaluate(
    x_test, y_test, batch_size=1000, verbose=0, return_dict=True
)
print("test accuracy above 80%:", scores["accuracy"] > 0.80)
predicted = model.predict(x_test[:5], verbose=0).argmax(axis=1)
print("predicted digits:", predicted.shape, predicted.dtype)
# --8<-- [end:fit_subclass]

# --8<-- [start:summary_unbuilt]
fresh = DigitClassifier(name="fresh")
fresh.summary()
# --8<-- [end:summary_unbuilt]

# --8<-- [start:summary_built]
model.summary()
# --8<-- [end:summary_built]

# --8<-- [start:plot_subclass]
keras.utils.plot_model(model, "digit_classifier.png", show_shapes=True, dpi=72)
# --8<-- [end:plot_subclass]

# --8<-- [start:no_intermediate]
try:
    model.encode.output
except AttributeError as error:
    print(type(error).__name__ + ":", str(error).splitlines()[0])
try:
    keras.Model(model.inputs, model.encode.output)
except AttributeError as error:
    print(type(error).__name__ + ":", str(error).splitlines()[0])
# --8<-- [end:no_intermediate]

# --8<-- [start:save_subclass]
model.save("digit_classifier.keras")
try:
    keras.models.load_model("digit_classifier.keras")
except TypeError as error:
    print(type(error).__name__ + ":", str(error).splitlines()[0].split(". ")[0])
# --8<-- [end:save_subclass]

# --8<-- [start:load_subclass]
print(model.get_config())
restored = keras.models.load_model(
    "digit_classifier.keras",
    custom_objects={"DigitClassifier": DigitClassifier},
)
same = np.allclose(
    restored.predict(x_test[:500], verbose=0),
    model.predict(x_test[:500], verbose=0),
)
print(type(restored).__name__, "| same predictions:", same)
# --8<-- [end:load_subclass]


# --8<-- [start:train_step]
class CarefulClassifier(DigitClassifier):
    """The same model, trained by a step of our own that measures gradients."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.gradient_norm = keras.metrics.Mean(name="gradient_norm")
        self.steps_run = keras.Variable(
            0, dtype="int64", trainable=False, name="steps_run"
        )

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply(gradients, self.trainable_variables)
        self.gradient_norm.update_state(tf.linalg.global_norm(gradients))
        self.steps_run.assign_add(1)
        return self.update_compiled_metrics(loss, y, y_pred)

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred)
        logs = self.update_compiled_metrics(loss, y, y_pred)
        del logs["gradient_norm"]  # there are no gradients in evaluation
        return logs

    def update_compiled_metrics(self, loss, y, y_pred):
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            elif metric is not self.gradient_norm:
                metric.update_state(y, y_pred)
        return self.get_metrics_result()


careful = CarefulClassifier()
careful.compile(
    optimizer=keras.optimizers.Adam(1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = careful.fit(
    x_train,
    y_train,
    batch_size=100,
    epochs=2,
    validation_data=(x_val, y_val),
    verbose=0,
)
print(sorted(history.history))
print(
    "steps run:",
    int(careful.steps_run),
    "| batches in 2 epochs:",
    2 * len(x_train) // 100,
)
print(sorted(careful.evaluate(x_val, y_val, verbose=0, return_dict=True)))
# --8<-- [end:train_step]


# --8<-- [start:metric_class]
class TopKAccuracy(keras.metrics.Metric):
    """How often the true class is among the k highest scores."""

    def __init__(self, k=3, name="top_k_accuracy", **kwargs):
        super().__init__(name=name, **kwargs)
        self.k = k
        self.hits = self.add_weight(name="hits", initializer="zeros")
        self.count = self.add_weight(name="count", initializer="zeros")

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = keras.ops.reshape(keras.ops.cast(y_true, "int32"), (-1,))
        true_score = keras.ops.take_along_axis(y_pred, y_true[:, None], axis=1)
        # The true class is in the top k if fewer than k classes score higher.
        higher = keras.ops.sum(
            keras.ops.cast(y_pred > true_score, "int32"), axis=1
        )
        hits = keras.ops.cast(higher < self.k, "float32")
        weights = (
            keras.ops.ones_like(hits)
            if sample_weight is None
            else keras.ops.cast(sample_weight, "float32")
        )
        self.hits.assign_add(keras.ops.sum(hits * weights))
        self.count.assign_add(keras.ops.sum(weights))

    def result(self):
        return keras.ops.divide_no_nan(self.hits, self.count)

    def reset_state(self):
        self.hits.assign(0.0)
        self.count.assign(0.0)

    def get_config(self):
        return {**super().get_config(), "k": self.k}


# --8<-- [end:metric_class]

# --8<-- [start:metric_check]
ours = TopKAccuracy(k=3)
builtin = keras.metrics.SparseTopKCategoricalAccuracy(k=3)
scores = model.predict(x_test[:1000], verbose=0)
for start in range(0, 1000, 250):  # four batches, as fit would feed them
    ours.update_state(y_test[start : start + 250], scores[start : start + 250])
    builtin.update_state(
        y_test[start : start + 250], scores[start : start + 250]
    )
print(
    "same as SparseTopKCategoricalAccuracy:",
    np.isclose(ours.result(), builtin.result()),
)
ours.reset_state()
print("after reset_state:", float(ours.result()))
# --8<-- [end:metric_check]

# --8<-- [start:metric_fit]
model.compile(
    optimizer=keras.optimizers.Adam(1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[
        TopKAccuracy(k=3),
        keras.metrics.SparseTopKCategoricalAccuracy(k=3, name="builtin_top_3"),
    ],
)
history = model.fit(
    x_train,
    y_train,
    batch_size=100,
    epochs=1,
    validation_data=(x_val, y_val),
    verbose=0,
)
print(sorted(history.history))
print(
    "same in every log:",
    all(
        np.isclose(
            history.history[f"{prefix}top_k_accuracy"],
            history.history[f"{prefix}builtin_top_3"],
        ).all()
        for prefix in ["", "val_"]
    ),
)
# --8<-- [end:metric_fit]


# --8<-- [start:function_metric]
def crossentropy(y_true, y_pred):
    """A plain-function loss: one value per example, from labels and logits."""
    y_true = keras.ops.reshape(keras.ops.cast(y_true, "int32"), (-1, 1))
    log_probabilities = keras.ops.log_softmax(y_pred, axis=-1)
    return -keras.ops.take_along_axis(log_probabilities, y_true, axis=1)[:, 0]


def error_rate(y_true, y_pred):
    """A metric as a plain function: 1 for a wrong answer, 0 for a right one."""
    y_true = keras.ops.reshape(keras.ops.cast(y_true, "int32"), (-1,))
    predicted = keras.ops.cast(keras.ops.argmax(y_pred, axis=-1), "int32")
    return keras.ops.cast(predicted != y_true, "float32")


model.compile(
    optimizer=keras.optimizers.Adam(1e-3),
    loss=crossentropy,
    metrics=[error_rate, "accuracy"],
)
ours = model.evaluate(x_val, y_val, verbose=0, return_dict=True)
model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
builtin = model.evaluate(x_val, y_val, verbose=0, return_dict=True)
print(sorted(ours))
print("loss as the built-in one:", np.isclose(ours["loss"], builtin["loss"]))
print(
    "error rate = 1 - accuracy:",
    np.isclose(ours["error_rate"], 1 - ours["accuracy"]),
)
# --8<-- [end:function_metric]


# --8<-- [start:early_stopping]
def compiled_classifier(learning_rate=1e-3):
    model = DigitClassifier()
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


# few enough to overfit quickly
few_images, few_labels = x_train[:500], y_train[:500]
callbacks = [
    keras.callbacks.EarlyStopping(
        monitor="val_loss", patience=3, restore_best_weights=True
    ),
    keras.callbacks.ModelCheckpoint(
        "best.keras", monitor="val_loss", save_best_only=True
    ),
]
model = compiled_classifier(learning_rate=3e-3)
history = model.fit(
    few_images,
    few_labels,
    batch_size=50,
    epochs=50,
    callbacks=callbacks,
    validation_data=(x_val, y_val),
    validation_batch_size=1000,
    verbose=0,
)
val_losses = history.history["val_loss"]
best_epoch = int(np.argmin(val_losses))
print("stopped before epoch 50:", len(history.epoch) < 50)
print("epochs run after the best one:", len(history.epoch) - 1 - best_epoch)
val_loss_now = model.evaluate(x_val, y_val, batch_size=1000, verbose=0)[0]
print(
    "the model has the best epoch's weights again:",
    np.isclose(val_loss_now, val_losses[best_epoch]),
)
# --8<-- [end:early_stopping]

# --8<-- [start:checkpoint]
best = keras.models.load_model(
    "best.keras", custom_objects={"DigitClassifier": DigitClassifier}
)
best_loss = best.evaluate(x_val, y_val, batch_size=1000, verbose=0)[0]
print(
    "best.keras holds the best epoch:", np.isclose(best_loss, min(val_losses))
)
# --8<-- [end:checkpoint]


# --8<-- [start:lr_schedule]
def schedule(epoch, learning_rate):
    # halved every epoch from the third on
    return learning_rate if epoch < 2 else learning_rate / 2


callbacks = [
    keras.callbacks.LearningRateScheduler(schedule),
    keras.callbacks.CSVLogger("training.csv"),
]
model = compiled_classifier()
history = model.fit(
    x_train[:1000],
    y_train[:1000],
    batch_size=100,
    epochs=5,
    validation_data=(x_val, y_val),
    callbacks=callbacks,
    verbose=0,
)
print([round(rate, 6) for rate in history.history["learning_rate"]])
# --8<-- [end:lr_schedule]

# --8<-- [start:csv_logger]
with open("training.csv", newline="") as file:
    rows = list(csv.DictReader(file))
print(list(rows[0]))
for row in rows:
    print(row["epoch"], row["learning_rate"])
print(
    "loss as in the history:",
    np.allclose([float(row["loss"]) for row in rows], history.history["loss"]),
)
# --8<-- [end:csv_logger]


# --8<-- [start:loss_history]
class BatchLosses(keras.callbacks.Callback):
    """Records the loss after every batch."""

    def on_train_begin(self, logs=None):
        # logs["loss"]: the mean over the epoch's batches so far
        self.running_means = []
        # each batch's own loss, recovered from the running mean
        self.losses = []

    def on_epoch_begin(self, epoch, logs=None):
        self.previous_sum = 0.0

    def on_train_batch_end(self, batch, logs=None):
        self.running_means.append(logs["loss"])
        total = logs["loss"] * (batch + 1)
        self.losses.append(total - self.previous_sum)
        self.previous_sum = total


batch_losses = BatchLosses()
model = compiled_classifier()
history = model.fit(
    x_train[:2000],
    y_train[:2000],
    batch_size=100,
    epochs=3,
    callbacks=[batch_losses],
    verbose=0,
)
print(len(batch_losses.losses), "batches: 3 epochs of 20")
print(
    "last running mean of each epoch = its loss:",
    np.allclose(batch_losses.running_means[19::20], history.history["loss"]),
)
# --8<-- [end:loss_history]

# --8<-- [start:plot_losses]
plt.figure(figsize=(6, 3.5))
plt.plot(batch_losses.losses, label="loss of the batch", alpha=0.6)
plt.plot(
    batch_losses.running_means, label='logs["loss"]: mean since the epoch began'
)
for epoch_start in [20, 40]:
    plt.axvline(epoch_start, color="grey", linestyle=":")
plt.xlabel("batch")
plt.ylabel("loss")
plt.legend()
plt.show()
# --8<-- [end:plot_losses]


# --8<-- [start:hooks]
class PrintHooks(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        print("on_train_begin")

    def on_epoch_begin(self, epoch, logs=None):
        print(f"  on_epoch_begin      epoch={epoch}")

    def on_train_batch_begin(self, batch, logs=None):
        print(f"    on_train_batch_begin  batch={batch}")

    def on_train_batch_end(self, batch, logs=None):
        print(f"    on_train_batch_end    batch={batch}")

    def on_test_begin(self, logs=None):
        print("    on_test_begin")

    def on_test_batch_begin(self, batch, logs=None):
        print(f"      on_test_batch_begin  batch={batch}")

    def on_test_batch_end(self, batch, logs=None):
        print(f"      on_test_batch_end    batch={batch}")

    def on_test_end(self, logs=None):
        print("    on_test_end")

    def on_epoch_end(self, epoch, logs=None):
        print(f"  on_epoch_end        epoch={epoch}  logs: {sorted(logs)}")

    def on_train_end(self, logs=None):
        print("on_train_end")


history = model.fit(
    x_train[:4],
    y_train[:4],
    batch_size=2,
    epochs=2,
    validation_data=(x_val[:2], y_val[:2]),
    callbacks=[PrintHooks()],
    verbose=0,
)
# --8<-- [end:hooks]

# --8<-- [start:tensorboard]
# so that only this run is in it
shutil.rmtree("logs/digits", ignore_errors=True)
model = compiled_classifier()
# a folder of your own
tensorboard = keras.callbacks.TensorBoard(log_dir="logs/digits")
history = model.fit(
    x_train[:2000],
    y_train[:2000],
    batch_size=100,
    epochs=3,
    validation_data=(x_val, y_val),
    callbacks=[tensorboard],
    verbose=0,
)
for run in sorted(Path("logs/digits").iterdir()):
    print(
        f"{run.name}: {len(list(run.glob('events.out.tfevents.*')))} event file"
    )
# --8<-- [end:tensorboard]

# --8<-- [start:read_events]
from tensorboard.backend.event_processing.event_accumulator import (
    EventAccumulator,
)

logged = {}
for run in ["train", "validation"]:
    events = EventAccumulator(f"logs/digits/{run}")
    events.Reload()  # reads the event files
    print(run, sorted(events.Tags()["tensors"]))
    logged[run] = [
        (event.step, float(tf.make_ndarray(event.tensor_proto)))
        for event in events.Tensors("epoch_loss")
    ]
print(
    "train epoch_loss as in the history:",
    np.allclose([loss for _, loss in logged["train"]], history.history["loss"]),
)
# --8<-- [end:read_events]

# --8<-- [start:plot_events]
plt.figure(figsize=(6, 3.5))
for run, points in logged.items():
    steps, losses = zip(*points)
    plt.plot(steps, losses, marker="o", label=run)
plt.title("epoch_loss")
plt.xlabel("epoch")
plt.xticks(steps)
plt.legend()
plt.show()
# --8<-- [end:plot_events]
