# --8<-- [start:setup]
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

# Split the one CPU into two logical devices, so that a strategy has two
# replicas on any machine. This must run before TensorFlow uses a device.
cpus = tf.config.list_physical_devices("CPU")
tf.config.set_logical_device_configuration(
    cpus[0], [tf.config.LogicalDeviceConfiguration()] * 2
)
keras.utils.set_random_seed(42)  # seeds Python, NumPy and TensorFlow at once
tf.get_logger().setLevel("ERROR")  # no INFO lines about every all-reduce
print([device.name for device in tf.config.list_logical_devices("CPU")])
# --8<-- [end:setup]

# --8<-- [start:mirrored]
# The two logical CPUs, named explicitly. Without arguments,
# MirroredStrategy() takes every GPU of the machine (or the CPU if none).
strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
print("replicas:", strategy.num_replicas_in_sync)
print(strategy.extended.worker_devices)
# --8<-- [end:mirrored]


# --8<-- [start:variables]
def make_model():
    """A linear model of 8 inputs, small enough to compare numbers."""
    return keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])


with strategy.scope():  # variables created here are mirrored
    model = make_model()
    optimizer = keras.optimizers.SGD(learning_rate=0.1)
kernel = model.layers[0].kernel.value  # the underlying tf.Variable
print(type(kernel).__name__)
print(
    "one copy per device:",
    [v.device[-5:] for v in strategy.experimental_local_results(kernel)],
)


@tf.function
def replica_step():
    # Each replica gets its own data: replica 0 ones, replica 1 twos.
    replica = tf.distribute.get_replica_context().replica_id_in_sync_group
    x = tf.fill((4, 8), tf.cast(replica + 1, tf.float32))
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(x) ** 2) / 8  # 8 examples in all
    gradients = tape.gradient(loss, model.trainable_variables)
    # Keras sums the gradients of all replicas, then every copy applies it
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))


before = strategy.experimental_local_results(kernel)[0].numpy()
strategy.run(replica_step)
copies = [v.numpy() for v in strategy.experimental_local_results(kernel)]
print("the step changed the weights:", not np.allclose(before, copies[0]))
print("replicas hold equal values:", np.array_equal(copies[0], copies[1]))
# --8<-- [end:variables]

# --8<-- [start:fit]
#| device_rtol: 2e-3
rng = np.random.default_rng(0)
x = rng.normal(size=(1024, 8)).astype("float32")
true_weights = rng.normal(size=(8, 1)).astype("float32")
y = x @ true_weights + 0.1 * rng.normal(size=(1024, 1)).astype("float32")

PER_REPLICA_BATCH = 32
GLOBAL_BATCH = PER_REPLICA_BATCH * strategy.num_replicas_in_sync  # 64

with strategy.scope():  # model, optimizer and metrics in the scope
    model = make_model()
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
# fit takes the global batch and gives each replica its part
history = model.fit(x, y, batch_size=GLOBAL_BATCH, epochs=3, verbose=0)
print("global batch:", GLOBAL_BATCH, "| per replica:", PER_REPLICA_BATCH)
print("steps per epoch:", history.params["steps"])
print("loss per epoch:", [round(loss, 4) for loss in history.history["loss"]])
# --8<-- [end:fit]

# --8<-- [start:distribute_dataset]
dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(GLOBAL_BATCH)
distributed = strategy.experimental_distribute_dataset(dataset)
features, labels = next(iter(distributed))  # one global batch, split
print(type(features).__name__)
print([part.shape for part in strategy.experimental_local_results(features)])

contexts = []


def dataset_fn(context):
    """Called once per input pipeline, with an InputContext."""
    contexts.append(context)
    batch = context.get_per_replica_batch_size(GLOBAL_BATCH)
    pipeline = tf.data.Dataset.from_tensor_slices((x, y))
    # on several workers each pipeline reads its own shard of the data
    pipeline = pipeline.shard(
        context.num_input_pipelines, context.input_pipeline_id
    )
    return pipeline.batch(batch)  # batches of the per-replica size


from_function = strategy.distribute_datasets_from_function(dataset_fn)
features, labels = next(iter(from_function))
print(
    "pipelines:",
    contexts[0].num_input_pipelines,
    "| replicas:",
    contexts[0].num_replicas_in_sync,
    "| per-replica batch:",
    contexts[0].get_per_replica_batch_size(GLOBAL_BATCH),
)
print([part.shape for part in strategy.experimental_local_results(features)])
# --8<-- [end:distribute_dataset]

# --8<-- [start:custom_loop]
#| device_rtol: 2e-3
with strategy.scope():
    model = make_model()
    optimizer = keras.optimizers.SGD(0.1)


def compute_loss(labels, predictions):
    per_example = keras.losses.mean_squared_error(labels, predictions)
    # divide by the GLOBAL batch size, not by this replica's batch
    return tf.nn.compute_average_loss(
        per_example, global_batch_size=GLOBAL_BATCH
    )


def step_fn(features, labels):  # runs on each replica
    with tf.GradientTape() as tape:
        loss = compute_loss(labels, model(features, training=True))
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss


@tf.function
def train_step(features, labels):
    per_replica_losses = strategy.run(step_fn, args=(features, labels))
    # each replica's loss is its share of the global mean: sum them
    return strategy.reduce("SUM", per_replica_losses, axis=None)


for epoch in range(3):
    total, batches = 0.0, 0
    for features, labels in distributed:
        total += float(train_step(features, labels))
        batches += 1
    print(f"epoch {epoch + 1}: loss {total / batches:.4f}")
# --8<-- [end:custom_loop]


# --8<-- [start:loss_scaling]
def one_update(strategy, scaled_loss):
    """The change of the weights after one SGD step (learning rate 1)
    on the first global batch, from the same initial weights."""
    keras.utils.set_random_seed(1)
    with strategy.scope():
        model = make_model()
        optimizer = keras.optimizers.SGD(learning_rate=1.0)
    start = [w.numpy() for w in model.weights]

    def step_fn(features, labels):
        with tf.GradientTape() as tape:
            per_example = keras.losses.mean_squared_error(
                labels, model(features)
            )
            loss = scaled_loss(per_example)
        gradients = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(gradients, model.trainable_variables))

    batch = next(iter(strategy.experimental_distribute_dataset(dataset)))
    strategy.run(tf.function(step_fn), args=batch)
    return np.concatenate(
        [(w.numpy() - s).ravel() for w, s in zip(model.weights, start)]
    )


def wrong(per_example):  # the mean over this replica's examples only
    return tf.reduce_mean(per_example)


def right(per_example):  # this replica's share of the global mean
    return tf.nn.compute_average_loss(
        per_example, global_batch_size=GLOBAL_BATCH
    )


one_device = tf.distribute.MirroredStrategy(["/cpu:0"])  # 1 replica
reference = one_update(one_device, right)  # the global batch on one device
ratios = {}
for name, loss in [("wrong", wrong), ("right", right)]:
    ratios[name] = one_update(strategy, loss) / reference
    print(f"{name}: update / one-device update =", np.round(ratios[name], 4))
# --8<-- [end:loss_scaling]

# --8<-- [start:same_update]
one = one_update(one_device, right)
two = one_update(strategy, right)
# Two replicas add the gradient in another order than one device:
# float32 rounding differs in the last digits, so we allow 1e-6
# relative to the largest change.
difference = np.max(np.abs(one - two)) / np.max(np.abs(one))
print("1 and 2 replicas, same update within 1e-6:", difference <= 1e-6)
# --8<-- [end:same_update]

# --8<-- [start:worker]
WORKER = '''\
"""One worker of a multi-worker job. TF_CONFIG says which one."""
import json, os, re, shutil, sys
import keras
import numpy as np
import tensorflow as tf

tf.config.set_visible_devices([], "GPU")  # this example runs on the CPU
checkpoint_dir, epochs = sys.argv[1], int(sys.argv[2])
crash_in_epoch = int(os.environ.get("CRASH_IN_EPOCH", 0))  # 0: never
task = json.loads(os.environ["TF_CONFIG"])["task"]
is_chief = task["index"] == 0  # no "chief" task: worker 0 is the chief
strategy = tf.distribute.MultiWorkerMirroredStrategy()
GLOBAL_BATCH = 64  # over all replicas of all workers

with np.load("data.npz") as data:  # the same file for every worker
    x, y = data["x"], data["y"]


def dataset_fn(context):  # each worker reads its own shard
    batch = context.get_per_replica_batch_size(GLOBAL_BATCH)
    data = tf.data.Dataset.from_tensor_slices((x, y))
    data = data.shard(context.num_input_pipelines, context.input_pipeline_id)
    return data.batch(batch)


def make_model():
    keras.utils.set_random_seed(0)  # the same initial weights everywhere
    return keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])


dataset = strategy.distribute_datasets_from_function(dataset_fn)



def try_fit(data, kind):  # Keras fit under MultiWorkerMirroredStrategy
    try:
        with strategy.scope():
            fit_model = make_model()
            fit_model.compile(optimizer="sgd", loss="mse")
        fit_model.fit(data, epochs=1, verbose=0)
        print(f"fit on {kind}: trained")
    except ValueError as error:
        message = re.sub(r"\(PerReplica:.*?\) with", "(PerReplica:{...}) with",
                         str(error), flags=re.S)
        print(f"fit on {kind}: {type(error).__name__}: "
              f"{message.splitlines()[0]}")


if not tf.train.latest_checkpoint(checkpoint_dir):  # the first run only
    # the tutorial's way: a plain dataset of global batches
    plain = tf.data.Dataset.from_tensor_slices((x, y)).batch(GLOBAL_BATCH)
    try_fit(plain, "a tf.data.Dataset")
    try_fit(dataset, "a distributed dataset")

# A custom training loop works
with strategy.scope():
    model = make_model()
    optimizer = keras.optimizers.SGD(0.02)
    epoch = tf.Variable(0)  # the last epoch finished, saved with the weights
checkpoint = tf.train.Checkpoint(model=model, optimizer=optimizer, epoch=epoch)
# Every worker takes part in saving; only the chief writes to the real
# directory, each other worker to a scratch directory it deletes at the end.
scratch = f"{checkpoint_dir}-scratch-{task['index']}"
save_dir = checkpoint_dir if is_chief else scratch
manager = tf.train.CheckpointManager(checkpoint, save_dir, max_to_keep=2)
latest = tf.train.latest_checkpoint(checkpoint_dir)  # the chief's
if latest:
    checkpoint.restore(latest)
    done = int(epoch.numpy())
    print(f"restored {os.path.basename(latest)}: epoch {done} done")


@tf.function
def train_step(features, labels):
    def step_fn(features, labels):
        with tf.GradientTape() as tape:
            per_example = keras.losses.mean_squared_error(
                labels, model(features, training=True))
            loss = tf.nn.compute_average_loss(
                per_example, global_batch_size=GLOBAL_BATCH)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss
    losses = strategy.run(step_fn, args=(features, labels))
    return strategy.reduce("SUM", losses, axis=None)


while int(epoch.numpy()) < epochs:
    total, steps = 0.0, 0
    for features, labels in dataset:
        total += float(train_step(features, labels))
        steps += 1
        if int(epoch.numpy()) + 1 == crash_in_epoch:
            print(f"epoch {crash_in_epoch}: worker {task['index']} dies")
            sys.stdout.flush()
            os._exit(1)  # a crash: no clean-up, no saving
    epoch.assign_add(1)
    manager.save()
    print(f"epoch {int(epoch.numpy())}: loss {total / steps:.4f}")

np.savez(f"weights-{task['index']}.npz", *model.get_weights())  # kernel, bias
if not is_chief:
    shutil.rmtree(scratch)
'''
with open("worker.py", "w") as file:  # the working directory
    file.write(WORKER)
rng = np.random.default_rng(1)
x = rng.normal(size=(512, 8)).astype("float32")
y = x @ np.linspace(-1, 1, 8, dtype="float32").reshape(8, 1)
y += 0.1 * rng.normal(size=(512, 1)).astype("float32")
np.savez("data.npz", x=x, y=y)  # the training data of the workers
# --8<-- [end:worker]


# --8<-- [start:fit_worker]
FIT_WORKER = '''\
"""Trains with fit under MirroredStrategy, backing up every epoch."""
import os
import keras
import numpy as np
import tensorflow as tf

tf.config.set_visible_devices([], "GPU")  # this example runs on the CPU
cpus = tf.config.list_physical_devices("CPU")
tf.config.set_logical_device_configuration(
    cpus[0], [tf.config.LogicalDeviceConfiguration()] * 2)
crash_in_epoch = int(os.environ.get("CRASH_IN_EPOCH", 0))  # 0: never
with np.load("data.npz") as data:
    x, y = data["x"], data["y"]

strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
with strategy.scope():
    keras.utils.set_random_seed(0)  # the initial weights of worker.py
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.SGD(0.02), loss="mse")


class Report(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch + 1  # Keras counts epochs from 0

    def on_train_batch_begin(self, batch, logs=None):
        if self.epoch == crash_in_epoch and batch == 2:
            print(f"epoch {self.epoch}: the worker dies", flush=True)
            os._exit(1)  # a crash: no clean-up, no saving

    def on_epoch_end(self, epoch, logs=None):
        print(f"epoch {self.epoch}: loss {logs['loss']:.4f}", flush=True)


# saves the weights and the epoch at the end of every epoch
backup = keras.callbacks.BackupAndRestore("backup")
model.fit(x, y, batch_size=64, epochs=6, shuffle=False, verbose=0,
          callbacks=[backup, Report()])
'''
with open("fit_worker.py", "w") as file:  # the working directory
    file.write(FIT_WORKER)
# --8<-- [end:fit_worker]


# --8<-- [start:launcher]
def free_ports(count):
    """Ports that no program listens on now: the system picks them."""
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))  # port 0: any free port
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def cluster_of(workers):
    """The cluster in TF_CONFIG's form: every worker on this machine."""
    return {"worker": [f"127.0.0.1:{port}" for port in free_ports(workers)]}


class Job:
    """`workers` processes of `script`, each with its TF_CONFIG. `crash`:
    (worker, epoch), a failure to simulate in that worker."""

    def __init__(self, name, script, *args, workers=2, crash=None):
        self.name, self.command = name, [sys.executable, script, *args]
        self.workers, self.crash = workers, crash
        self.logs = [Path(f"{name}-{index}.log") for index in range(workers)]
        self.processes, self.failed = [], None

    def start(self):
        cluster = cluster_of(self.workers)
        for index, log in enumerate(self.logs):  # all start at once
            task = {"type": "worker", "index": index}
            env = dict(os.environ)  # the worker's environment
            env["TF_CONFIG"] = json.dumps({"cluster": cluster, "task": task})
            if self.crash and self.crash[0] == index:
                env["CRASH_IN_EPOCH"] = str(self.crash[1])
            with open(log, "w") as out, open(f"{log}.err", "w") as err:
                self.processes.append(
                    subprocess.Popen(
                        self.command,
                        env=env,
                        stdout=out,
                        stderr=err,
                        start_new_session=True,  # its own process group
                    )
                )

    def ended(self):
        """Whether every worker has ended. When one fails, the others are
        killed at once: they would only notice after tens of seconds of
        failed health checks."""
        codes = [process.poll() for process in self.processes]
        if self.failed is None and any(codes):  # an exit code other than 0
            self.failed = next(i for i, code in enumerate(codes) if code)
            self.kill()
        return all(process.poll() is not None for process in self.processes)

    def kill(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)  # the whole group
            process.wait()

    def printed(self):
        """What each worker printed; a failure nobody asked for raises."""
        if self.failed is not None and self.failed != (self.crash or [-1])[0]:
            log = self.logs[self.failed]
            text = log.read_text() + Path(f"{log}.err").read_text()
            raise RuntimeError(
                f"{self.name}: worker {self.failed} failed:\n{text[-3000:]}"
            )
        if self.failed is not None:
            print(f"{self.name}: worker {self.failed} failed, job stopped")
        return [log.read_text().splitlines() for log in self.logs]


def run(*jobs):
    """Run the jobs side by side until all have ended; returns what their
    workers printed. No worker outlives this call, whatever happens."""
    try:
        for job in jobs:
            job.start()
        while not all([job.ended() for job in jobs]):
            time.sleep(0.05)
    finally:
        for job in jobs:
            job.kill()
    return [job.printed() for job in jobs]


example = {"cluster": cluster_of(2), "task": {"type": "worker", "index": 1}}
print(re.sub(r":\d+", ":<port>", json.dumps(example)))  # ports vary
# --8<-- [end:launcher]

# --8<-- [start:first_run]
#| device_rtol: 2e-3
for leftover in ["checkpoints", "checkpoints-scratch-1", "backup"]:
    shutil.rmtree(leftover, ignore_errors=True)  # a re-run starts afresh
lines, fit_lines = run(
    Job("two-workers", "worker.py", "checkpoints", "5", crash=(1, 3)),
    Job("fit-job", "fit_worker.py", workers=1, crash=(0, 4)),
)  # the two jobs side by side, two separate trainings
for index, printed in enumerate(lines):
    print(f"worker {index}:", *printed, sep="\n  ")
print("checkpoints:", *sorted(os.listdir("checkpoints")), sep="\n  ")
print("worker 1's scratch left behind:", os.path.isdir("checkpoints-scratch-1"))
print("fit-job, worker 0:", *fit_lines[0], sep="\n  ")
print("backup:", *sorted(os.listdir("backup")), sep="\n  ")
with open("backup/training_metadata.json") as file:
    print(file.read())
# --8<-- [end:first_run]

# --8<-- [start:second_run]
#| device_rtol: 2e-3
more_lines, more_fit_lines = run(  # the same jobs, without a crash
    Job("two-workers", "worker.py", "checkpoints", "5"),
    Job("fit-job", "fit_worker.py", workers=1),
)
lines += more_lines  # lines[2] and lines[3]: the second run
fit_lines += more_fit_lines
for index, printed in enumerate(more_lines):
    print(f"worker {index}:", *printed, sep="\n  ")
print("checkpoints:", *sorted(os.listdir("checkpoints")), sep="\n  ")
print("worker 1's scratch left behind:", os.path.isdir("checkpoints-scratch-1"))
weights = [np.load(f"weights-{index}.npz") for index in range(2)]
equal = all(np.array_equal(weights[0][k], weights[1][k]) for k in weights[0])
print(f"the workers end with equal weights ({len(weights[0])} arrays):", equal)
print("fit-job, worker 0:", *more_fit_lines[0], sep="\n  ")
print("backup deleted at the end:", not os.path.exists("backup"))
# --8<-- [end:second_run]


# --8<-- [start:plot_restart]
def losses(printed):
    """{epoch: loss} from lines such as 'epoch 3: loss 0.8207'."""
    found = [re.match(r"epoch (\d+): loss ([\d.]+)", line) for line in printed]
    return {int(m[1]): float(m[2]) for m in found if m}


fig, axes = plt.subplots(1, 2, figsize=(9, 3.8), sharey=True)
workers_title = "2 workers: custom loop + CheckpointManager"
fit_title = "1 process, 2 replicas: fit + BackupAndRestore"
panels = [  # worker 1's losses are those of worker 0
    (f"{workers_title}\n(worker 0 shown)", lines[0], lines[2], 3),
    (fit_title, fit_lines[0], fit_lines[1], 4),
]
for ax, (title, first, second, crash) in zip(axes, panels):
    for printed, style, label in [
        (first, "o-", "first run"),
        (second, "s--", "second run, restored"),
    ]:
        run = losses(printed)
        ax.plot(list(run), list(run.values()), style, mfc="none", label=label)
    # the crash, in epoch `crash`: the restart redoes that epoch
    ax.axvline(crash - 0.5, color="grey", linestyle=":", label="crash, restart")
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("epoch")
    ax.set_xticks(range(1, max(losses(second)) + 1))
    ax.set_yscale("log")
    ax.set_yticks(
        [0.1, 0.2, 0.5, 1, 2, 3], ["0.1", "0.2", "0.5", "1", "2", "3"]
    )
    ax.yaxis.set_minor_formatter(plt.NullFormatter())
axes[0].set_ylabel("training loss, MSE (log scale)")
# one legend for both panels, below them: clear of the lines
handles, labels = axes[0].get_legend_handles_labels()
fig.legend(handles, labels, loc="lower center", ncol=3)
fig.tight_layout(rect=(0, 0.08, 1, 1))  # room for the legend
plt.show()
# --8<-- [end:plot_restart]
