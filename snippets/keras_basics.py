# --8<-- [start:setup]
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
from keras import layers

keras.utils.clear_session()  # a fresh start: layer names begin again at "dense"
keras.utils.set_random_seed(42)  # seeds Python, NumPy and TensorFlow at once
# --8<-- [end:setup]


# --8<-- [start:simple_dense]
class SimpleDense(keras.layers.Layer):
    """A fully connected layer: outputs = activation(inputs @ kernel + bias)."""

    def __init__(self, units, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        input_dim = input_shape[-1]  # known only once the layer sees its input
        self.kernel = self.add_weight(
            shape=(input_dim, self.units),
            initializer="glorot_uniform",
            name="kernel",
        )
        self.bias = self.add_weight(
            shape=(self.units,), initializer="zeros", name="bias"
        )

    def call(self, inputs):
        return self.activation(
            keras.ops.matmul(inputs, self.kernel) + self.bias
        )


# --8<-- [end:simple_dense]

# --8<-- [start:lazy_weights]
dense = SimpleDense(32, activation="relu")
print("built:", dense.built, "| weights:", dense.weights)

outputs = dense(keras.ops.ones((2, 784)))  # a batch of 2 vectors of 784 numbers
print("built:", dense.built, "| output:", outputs.shape)
for weight in dense.weights:
    print(f"{weight.name:7}{weight.shape}")
# --8<-- [end:lazy_weights]


# --8<-- [start:call_order]
class TracedDense(SimpleDense):
    """SimpleDense that says when Keras runs build and call."""

    def build(self, input_shape):
        print("build, input shape:", input_shape)
        super().build(input_shape)

    def call(self, inputs):
        print("call, inputs:", type(inputs).__name__, inputs.shape)
        return super().call(inputs)


traced = TracedDense(4)
first = traced(np.ones((3, 5), dtype="float32"))  # a NumPy array goes in
second = traced(np.ones((3, 5), dtype="float32"))  # built already: call only
print("output:", type(first).__name__)
# --8<-- [end:call_order]

# --8<-- [start:trainable_weights]
print(
    [weight.name for weight in dense.trainable_weights],
    dense.non_trainable_weights,
)
# freeze the layer: its weights move to non_trainable_weights
dense.trainable = False
print(
    [weight.name for weight in dense.trainable_weights],
    len(dense.non_trainable_weights),
)
dense.trainable = True
# --8<-- [end:trainable_weights]

# --8<-- [start:layer_kinds]
vectors = np.zeros((4, 10), dtype="float32")  # (batch, features)
# (batch, timesteps, features)
sequences = np.zeros((4, 20, 10), dtype="float32")
# (batch, height, width, channels)
images = np.zeros((4, 28, 28, 3), dtype="float32")

print("Dense  ", vectors.shape, "->", layers.Dense(16)(vectors).shape)
print("LSTM   ", sequences.shape, "->", layers.LSTM(16)(sequences).shape)
print(
    "Conv1D ",
    sequences.shape,
    "->",
    layers.Conv1D(16, kernel_size=3)(sequences).shape,
)
print(
    "Conv2D ",
    images.shape,
    "->",
    layers.Conv2D(16, kernel_size=3)(images).shape,
)
# --8<-- [end:layer_kinds]

# --8<-- [start:sequential_list]
model = keras.Sequential(
    [
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ]
)
print("built:", model.built, "| weights:", model.weights)
# --8<-- [end:sequential_list]

# --8<-- [start:sequential_build]
# None: any batch size; 3 features per example
model.build(input_shape=(None, 3))
for weight in model.weights:
    print(f"{weight.path:28}{weight.shape}")
# --8<-- [end:sequential_build]

# --8<-- [start:sequential_add]
model = keras.Sequential(name="my_sequential")
# declare the input: the model is built at once
model.add(keras.Input(shape=(3,)))
model.add(layers.Dense(64, activation="relu", name="hidden"))
model.add(layers.Dense(10, activation="softmax", name="output"))
model.summary()
# --8<-- [end:sequential_add]

# --8<-- [start:make_points]
rng = np.random.default_rng(seed=42)
num_samples_per_class = 1000
covariance = [[1.0, 0.5], [0.5, 1.0]]
negative_samples = rng.multivariate_normal(
    mean=[0.0, 3.0], cov=covariance, size=num_samples_per_class
)
positive_samples = rng.multivariate_normal(
    mean=[3.0, 0.0], cov=covariance, size=num_samples_per_class
)
inputs = np.vstack((negative_samples, positive_samples)).astype("float32")
targets = np.vstack(
    (np.zeros((num_samples_per_class, 1)), np.ones((num_samples_per_class, 1)))
).astype("float32")
print(
    "inputs:",
    inputs.shape,
    "| targets:",
    targets.shape,
    "| classes:",
    np.unique(targets),
)
# --8<-- [end:make_points]

# --8<-- [start:compile_strings]
classifier = keras.Sequential(
    [keras.Input(shape=(2,)), layers.Dense(1, activation="sigmoid")]
)
classifier.compile(
    optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"]
)
# --8<-- [end:compile_strings]

# --8<-- [start:compile_objects]
classifier.compile(
    optimizer=keras.optimizers.RMSprop(learning_rate=0.05),
    loss=keras.losses.BinaryCrossentropy(),
    metrics=[keras.metrics.BinaryAccuracy()],
)
print("learning rate:", classifier.optimizer.learning_rate.numpy())
# --8<-- [end:compile_objects]


# --8<-- [start:compile_custom]
def weighted_crossentropy(y_true, y_pred):
    """Binary cross-entropy that counts a missed positive point twice."""
    # one loss per example
    per_example = keras.losses.binary_crossentropy(y_true, y_pred)
    return per_example * (1.0 + y_true[:, 0])


def confident_mistakes(y_true, y_pred):
    """1 for each example on the wrong side with more than 90% confidence."""
    return keras.ops.cast(keras.ops.abs(y_true - y_pred) > 0.9, "float32")[:, 0]


custom = keras.Sequential(
    [keras.Input(shape=(2,)), layers.Dense(1, activation="sigmoid")]
)
custom.compile(
    optimizer=keras.optimizers.RMSprop(learning_rate=0.05),
    loss=weighted_crossentropy,
    metrics=[confident_mistakes, "accuracy"],
)
custom_history = custom.fit(
    inputs, targets, epochs=1, batch_size=256, verbose=0
)
print(sorted(custom_history.history))
# --8<-- [end:compile_custom]

# --8<-- [start:usual_choices]
optimizers = [
    keras.optimizers.SGD(momentum=0.9),
    keras.optimizers.RMSprop(),
    keras.optimizers.Adam(),
    keras.optimizers.AdamW(),
    keras.optimizers.Adagrad(),
]
losses = [
    keras.losses.BinaryCrossentropy(),
    keras.losses.CategoricalCrossentropy(),
    keras.losses.SparseCategoricalCrossentropy(),
    keras.losses.MeanSquaredError(),
    keras.losses.MeanAbsoluteError(),
    keras.losses.Huber(),
]
metrics = [
    keras.metrics.BinaryAccuracy(),
    keras.metrics.CategoricalAccuracy(),
    keras.metrics.SparseCategoricalAccuracy(),
    keras.metrics.AUC(),
    keras.metrics.Precision(),
    keras.metrics.Recall(),
    keras.metrics.RootMeanSquaredError(),
]
for kind in (optimizers, losses, metrics):
    print(", ".join(type(item).__name__ for item in kind))
# --8<-- [end:usual_choices]

# --8<-- [start:targets]
# integer class indices: for sparse categorical cross-entropy
labels = np.array([2, 0, 1])
# one-hot: for categorical
one_hot = keras.utils.to_categorical(labels, num_classes=3)
print("labels:", labels)
print("one-hot:")
print(one_hot)

# softmax outputs
probabilities = np.array([[0.1, 0.2, 0.7], [0.8, 0.1, 0.1], [0.2, 0.6, 0.2]])
sparse = keras.losses.SparseCategoricalCrossentropy()(labels, probabilities)
categorical = keras.losses.CategoricalCrossentropy()(one_hot, probabilities)
print(f"sparse: {float(sparse):.4f}, categorical: {float(categorical):.4f}")
# --8<-- [end:targets]

# --8<-- [start:loss_mismatch]
three_classes = keras.Sequential(
    [keras.Input(shape=(2,)), layers.Dense(3, activation="softmax")]
)
three_classes.compile(optimizer="adam", loss="categorical_crossentropy")
x_three = rng.normal(size=(30, 2)).astype("float32")
# integer labels, but the loss expects one-hot rows
y_three = rng.integers(0, 3, size=30)
try:
    three_classes.fit(x_three, y_three, epochs=1, verbose=0)
except ValueError as error:
    print(f"{type(error).__name__}: {str(error).splitlines()[0]}")
# --8<-- [end:loss_mismatch]

# --8<-- [start:loss_fix]
three_classes.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
three_classes.fit(x_three, y_three, epochs=1, verbose=0)
print(
    "fit ran with integer labels:",
    three_classes.optimizer.iterations.numpy(),
    "step",
)
# --8<-- [end:loss_fix]

# --8<-- [start:fit]
steps = []
count_steps = keras.callbacks.LambdaCallback(
    on_train_batch_end=lambda batch, logs: steps.append(batch)
)
history = classifier.fit(
    inputs,
    targets,
    epochs=5,
    batch_size=128,
    callbacks=[count_steps],
    verbose=0,
)
print(
    "examples:",
    len(inputs),
    "| batch size: 128 | steps per epoch:",
    len(steps) // 5,
)
print("steps in 5 epochs:", len(steps))
# --8<-- [end:fit]

# --8<-- [start:history]
print("epochs:", history.epoch)
for name, values in history.history.items():
    print(f"{name:16}", " ".join(f"{value:.3f}" for value in values))
# --8<-- [end:history]

# --8<-- [start:plot_history]
plt.figure(figsize=(6, 3.5))
plt.plot(history.epoch, history.history["loss"], marker="o", label="loss")
plt.plot(
    history.epoch,
    history.history["binary_accuracy"],
    marker="o",
    label="binary_accuracy",
)
plt.xlabel("epoch")
plt.xticks(history.epoch)
plt.legend()
plt.show()
# --8<-- [end:plot_history]

# --8<-- [start:plot_boundary]
kernel, bias = classifier.layers[0].get_weights()
line_x = np.linspace(-3.0, 6.0, 100)
# where the sigmoid's input is 0
line_y = -(kernel[0, 0] * line_x + bias[0]) / kernel[1, 0]

plt.figure(figsize=(5, 5))
plt.scatter(
    negative_samples[:, 0],
    negative_samples[:, 1],
    s=6,
    c="tab:blue",
    label="y = 0",
)
plt.scatter(
    positive_samples[:, 0],
    positive_samples[:, 1],
    s=6,
    c="tab:red",
    label="y = 1",
)
plt.plot(line_x, line_y, "-k", label="p = 0.5")
plt.xlabel("$x_1$")
plt.ylabel("$x_2$")
plt.xlim(-4, 7)
plt.ylim(-4, 7)
plt.gca().set_aspect("equal")
plt.legend(loc="lower left")
plt.show()
# --8<-- [end:plot_boundary]

# --8<-- [start:split]
# shuffle first: the points are sorted by class
permutation = rng.permutation(len(inputs))
shuffled_inputs, shuffled_targets = inputs[permutation], targets[permutation]

num_validation = int(0.3 * len(inputs))
train_inputs, train_targets = (
    shuffled_inputs[:-num_validation],
    shuffled_targets[:-num_validation],
)
val_inputs, val_targets = (
    shuffled_inputs[-num_validation:],
    shuffled_targets[-num_validation:],
)
print("training:", train_inputs.shape, "| validation:", val_inputs.shape)

train_rows, val_rows = (
    permutation[:-num_validation],
    permutation[-num_validation:],
)
print(
    "validation rows come from the shuffled tail:",
    np.array_equal(val_inputs, inputs[val_rows]),
)
print("no point in both sets:", len(np.intersect1d(train_rows, val_rows)) == 0)
print(
    "every point in one of them:",
    len(np.union1d(train_rows, val_rows)) == len(inputs),
)
print(
    "validation points per class:", np.bincount(val_targets[:, 0].astype(int))
)
# --8<-- [end:split]


# --8<-- [start:validation_data]
def make_classifier():
    model = keras.Sequential(
        [keras.Input(shape=(2,)), layers.Dense(1, activation="sigmoid")]
    )
    model.compile(
        optimizer=keras.optimizers.RMSprop(learning_rate=0.05),
        loss="binary_crossentropy",
        metrics=["binary_accuracy"],
    )
    return model


classifier = make_classifier()
history = classifier.fit(
    train_inputs,
    train_targets,
    epochs=6,
    batch_size=128,
    validation_data=(val_inputs, val_targets),
    verbose=0,
)
print(sorted(history.history))
# --8<-- [end:validation_data]

# --8<-- [start:plot_validation]
plt.figure(figsize=(6, 3.5))
plt.plot(history.epoch, history.history["loss"], marker="o", label="loss")
plt.plot(
    history.epoch, history.history["val_loss"], marker="o", label="val_loss"
)
plt.xlabel("epoch")
plt.legend()
plt.show()
print(
    f"last epoch: loss {history.history['loss'][-1]:.3f}, "
    f"val_loss {history.history['val_loss'][-1]:.3f}"
)
# --8<-- [end:plot_validation]

# --8<-- [start:validation_split]
print(
    "classes in the last 30% before shuffling:",
    np.unique(targets[-num_validation:]),
)

split_classifier = make_classifier()
split_history = split_classifier.fit(
    shuffled_inputs,
    shuffled_targets,
    epochs=6,
    batch_size=128,
    validation_split=0.3,
    verbose=0,
)
val_loss, val_accuracy = split_classifier.evaluate(
    val_inputs, val_targets, verbose=0
)
print(
    "validation_split held out our validation points:",
    np.isclose(split_history.history["val_loss"][-1], val_loss),
)
# --8<-- [end:validation_split]

# --8<-- [start:evaluate]
scores = classifier.evaluate(
    val_inputs, val_targets, batch_size=200, verbose=0, return_dict=True
)
print({name: round(value, 3) for name, value in scores.items()})
# --8<-- [end:evaluate]

# --8<-- [start:predict]
# NumPy, batch by batch
predicted = classifier.predict(val_inputs, batch_size=200, verbose=0)
called = classifier(val_inputs)  # one tensor, all rows at once
print(
    type(predicted).__name__,
    predicted.shape,
    "|",
    type(called).__name__,
    tuple(called.shape),
)
print("same numbers:", np.allclose(predicted, called))
print(
    "first three:",
    predicted[:3, 0].round(3),
    "classes:",
    (predicted[:3, 0] > 0.5).astype(int),
)
# --8<-- [end:predict]

# --8<-- [start:training_flag]
dropout = layers.Dropout(0.5)
batch = np.ones((2, 6), dtype="float32")
print(dropout(batch))  # inference: the input passes unchanged
# training: about half the values set to 0
dropped = dropout(batch, training=True)
print("values in training:", np.unique(dropped))  # the kept ones are doubled
# --8<-- [end:training_flag]

# --8<-- [start:datasets]
train_dataset = (
    tf.data.Dataset.from_tensor_slices((train_inputs, train_targets))
    .shuffle(1400)
    .batch(64)
)
val_dataset = tf.data.Dataset.from_tensor_slices(
    (val_inputs, val_targets)
).batch(200)
print(train_dataset.element_spec)

dataset_classifier = make_classifier()
# shuffle=False: the dataset shuffles itself (fit shuffles arrays only)
dataset_classifier.fit(
    train_dataset,
    epochs=3,
    validation_data=val_dataset,
    shuffle=False,
    verbose=0,
)
loss, accuracy = dataset_classifier.evaluate(val_dataset, verbose=0)
# the targets are ignored
predicted = dataset_classifier.predict(val_dataset, verbose=0)
print(
    "predict:",
    predicted.shape,
    "| evaluate's accuracy from predict:",
    np.isclose(np.mean((predicted > 0.5) == val_targets), accuracy),
)
# --8<-- [end:datasets]

# --8<-- [start:load_mnist]
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
# 784 numbers from 0 to 1
x_train = x_train.reshape(-1, 28 * 28).astype("float32") / 255
x_test = x_test.reshape(-1, 28 * 28).astype("float32") / 255
print(
    "train:",
    x_train.shape,
    y_train.shape,
    "| test:",
    x_test.shape,
    y_test.shape,
)
print("labels:", y_train[:10].dtype, np.unique(y_train))
# --8<-- [end:load_mnist]

# --8<-- [start:mnist_model]
mnist_model = keras.Sequential(
    [
        keras.Input(shape=(784,)),
        layers.Dense(128, activation="relu"),
        layers.Dropout(0.2),
        layers.Dense(10, activation="softmax"),
    ],
    name="mnist_classifier",
)
mnist_model.compile(
    optimizer="adam",
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
mnist_model.summary()
# --8<-- [end:mnist_model]

# --8<-- [start:mnist_fit]
# 20,000 of the 60,000 training images keep this quick; train on all for real.
mnist_history = mnist_model.fit(
    x_train[:20000],
    y_train[:20000],
    epochs=2,
    batch_size=128,
    validation_split=0.1,
    verbose=0,
)
print("steps per epoch:", int(mnist_model.optimizer.iterations.numpy()) // 2)
print(
    "validation accuracy above 85%:",
    mnist_history.history["val_accuracy"][-1] > 0.85,
)
# --8<-- [end:mnist_fit]

# --8<-- [start:mnist_evaluate]
test_loss, test_accuracy = mnist_model.evaluate(
    x_test, y_test, batch_size=250, verbose=0
)
print("test accuracy above 80%:", test_accuracy > 0.80)
# --8<-- [end:mnist_evaluate]

# --8<-- [start:mnist_predict]
probabilities = mnist_model.predict(x_test, batch_size=250, verbose=0)
digits = probabilities.argmax(axis=1)
print(
    probabilities.shape,
    "| each row sums to 1:",
    np.allclose(probabilities.sum(axis=1), 1, atol=1e-5),
)
print(
    "predicted digits match evaluate's accuracy:",
    np.isclose(np.mean(digits == y_test), test_accuracy),
)
# --8<-- [end:mnist_predict]
