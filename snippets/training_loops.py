# --8<-- [start:setup]
import keras
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(42)  # seeds Python, NumPy and TensorFlow at once
# --8<-- [end:setup]

# --8<-- [start:data]
TRUE_W = 3.0
TRUE_B = 2.0
NUM_EXAMPLES = 201

x = tf.linspace(-2.0, 2.0, NUM_EXAMPLES)
noise = tf.random.normal(shape=[NUM_EXAMPLES])
y = x * TRUE_W + TRUE_B + noise
print("x:", x.shape, x.dtype)
print("y:", y.shape, y.dtype)
# --8<-- [end:data]

# --8<-- [start:plot_data]
plt.figure(figsize=(6, 4))
plt.scatter(x, y, s=8, c="tab:blue")
plt.xlabel("x")
plt.ylabel("y")
plt.show()
# --8<-- [end:plot_data]


# --8<-- [start:module]
class LinearModel(tf.Module):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Start far from the truth (3 and 2), to watch training move there.
        self.w = tf.Variable(5.0, name="w")
        self.b = tf.Variable(0.0, name="b")

    def __call__(self, x):
        return self.w * x + self.b


model = LinearModel()
print(model(3.0))  # 5 * 3 + 0
# --8<-- [end:module]

# --8<-- [start:variables]
for variable in model.variables:
    print(variable.name, variable.numpy())
# --8<-- [end:variables]


# --8<-- [start:loss]
def loss(target_y, predicted_y):
    return tf.reduce_mean(tf.square(target_y - predicted_y))


# --8<-- [end:loss]


# --8<-- [start:plot_untrained]
def plot_model(model):
    """Data (blue), true line (orange), model (green), and the loss."""
    plt.figure(figsize=(6, 4))
    plt.scatter(x, y, s=8, c="tab:blue", label="(x, y)")
    plt.plot(
        x,
        x * TRUE_W + TRUE_B,
        c="tab:orange",
        linewidth=2,
        label=f"true w = {TRUE_W:g}, b = {TRUE_B:g}",
    )
    plt.plot(
        x,
        model(x),
        c="tab:green",
        linewidth=2,
        label=f"model w = {model.w.numpy():.2f}, b = {model.b.numpy():.2f}",
    )
    plt.xlabel("x")
    plt.ylabel("y")
    plt.legend()
    plt.show()
    print(f"loss: {loss(y, model(x)):.4f}")


plot_model(model)
# --8<-- [end:plot_untrained]


# --8<-- [start:train_step]
def train_step(model, x, y, learning_rate):
    with tf.GradientTape() as tape:
        current_loss = loss(y, model(x))
    dw, db = tape.gradient(current_loss, [model.w, model.b])
    model.w.assign_sub(learning_rate * dw)
    model.b.assign_sub(learning_rate * db)


# --8<-- [end:train_step]


# --8<-- [start:training_loop]
def training_loop(model, x, y, epochs=10, learning_rate=0.1):
    history = {
        "w": [model.w.numpy()],
        "b": [model.b.numpy()],
        "loss": [loss(y, model(x)).numpy()],
    }
    for epoch in range(1, epochs + 1):
        train_step(model, x, y, learning_rate)
        # The loss of the updated model, not the one computed during the step.
        current_loss = loss(y, model(x))
        history["w"].append(model.w.numpy())
        history["b"].append(model.b.numpy())
        history["loss"].append(current_loss.numpy())
        print(
            f"epoch {epoch:2d}: w = {model.w.numpy():.3f}, "
            f"b = {model.b.numpy():.3f}, loss = {current_loss:.4f}"
        )
    return history


history = training_loop(model, x, y)
# --8<-- [end:training_loop]

# --8<-- [start:plot_weights]
epochs = range(len(history["w"]))
plt.figure(figsize=(6, 4))
plt.plot(epochs, history["w"], c="tab:blue", marker="o", label="w")
plt.plot(epochs, history["b"], c="tab:red", marker="o", label="b")
plt.axhline(TRUE_W, c="tab:blue", linestyle="--", label=f"true w = {TRUE_W:g}")
plt.axhline(TRUE_B, c="tab:red", linestyle="--", label=f"true b = {TRUE_B:g}")
plt.xlabel("epoch")
plt.ylabel("w, b")
plt.legend()
plt.show()
# --8<-- [end:plot_weights]

# --8<-- [start:plot_trained]
plot_model(model)
# --8<-- [end:plot_trained]


# --8<-- [start:keras_model]
class KerasLinearModel(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.w = self.add_weight(
            shape=(), initializer=keras.initializers.Constant(5.0), name="w"
        )
        self.b = self.add_weight(shape=(), initializer="zeros", name="b")

    def call(self, x):
        return self.w * x + self.b


keras_model = KerasLinearModel()
keras_history = training_loop(keras_model, x, y)
# --8<-- [end:keras_model]

# --8<-- [start:save_weights]
keras_model.save_weights("linear_model.weights.h5")

restored = KerasLinearModel()
print("before loading:", restored(x)[:3].numpy())
restored.load_weights("linear_model.weights.h5")
print("after loading: ", restored(x)[:3].numpy())
print("same predictions:", bool(tf.reduce_all(restored(x) == keras_model(x))))
# --8<-- [end:save_weights]

# --8<-- [start:fit]
fit_model = KerasLinearModel()
fit_model.compile(
    optimizer=keras.optimizers.SGD(learning_rate=0.1),
    loss=keras.losses.MeanSquaredError(),
)
fit_history = fit_model.fit(x, y, epochs=10, batch_size=NUM_EXAMPLES, verbose=0)
for epoch, value in enumerate(fit_history.history["loss"], start=1):
    print(f"epoch {epoch:2d}: loss = {value:.4f}")
# --8<-- [end:fit]

# --8<-- [start:compare]
print(
    f"hand loop: w = {keras_model.w.numpy():.4f}, "
    f"b = {keras_model.b.numpy():.4f}"
)
print(
    f"fit:       w = {fit_model.w.numpy():.4f}, b = {fit_model.b.numpy():.4f}"
)
print(
    "fit's losses are the hand loop's, one epoch later:",
    np.allclose(
        fit_history.history["loss"], keras_history["loss"][:-1], rtol=1e-5
    ),
)
# --8<-- [end:compare]
