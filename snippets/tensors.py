# --8<-- [start:setup]
import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

tf.random.set_seed(42)  # the same random tensors on every run
rng = np.random.default_rng(seed=42)  # NumPy's generator, for the data set
# --8<-- [end:setup]

# --8<-- [start:ones]
x = tf.ones(shape=(2, 3))
print(x)
# --8<-- [end:ones]

# --8<-- [start:zeros]
x = tf.zeros(shape=(3, 1))
print(x)
# --8<-- [end:zeros]

# --8<-- [start:random_normal]
x = tf.random.normal(shape=(3, 1), mean=0.0, stddev=1.0)
print(x)
# --8<-- [end:random_normal]

# --8<-- [start:random_uniform]
x = tf.random.uniform(shape=(3, 1), minval=0.0, maxval=1.0)
print(x)
# --8<-- [end:random_uniform]

# --8<-- [start:immutable]
x = tf.ones(shape=(2, 2))
try:
    x[0, 0] = 0.0
except TypeError as error:
    print("TypeError:", error)
# --8<-- [end:immutable]

# --8<-- [start:variable]
v = tf.Variable(initial_value=tf.random.normal(shape=(3, 1)))
print(v)
# --8<-- [end:variable]

# --8<-- [start:assign]
v.assign(tf.ones(shape=(3, 1)))
print(v.numpy())
# --8<-- [end:assign]

# --8<-- [start:assign_slice]
v[0, 0].assign(3.0)
print(v.numpy())
# --8<-- [end:assign_slice]

# --8<-- [start:assign_add]
v.assign_add(tf.ones(shape=(3, 1)))  # v += 1, in place
print(v.numpy())
v.assign_sub(tf.fill(dims=(3, 1), value=0.5))  # v -= 0.5, in place
print(v.numpy())
# --8<-- [end:assign_add]

# --8<-- [start:math]
a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
b = tf.square(a)  # element by element: 1, 4, 9, 16
c = tf.sqrt(a)  # element by element
d = b + c  # element by element
e = tf.matmul(a, b)  # matrix product: rows of a times columns of b
print(d)
print(e)
# --8<-- [end:math]

# --8<-- [start:gradient]
x = tf.Variable(3.0)
with tf.GradientTape() as tape:
    y = tf.square(x)
print(tape.gradient(y, x))  # dy/dx = 2x = 6
# --8<-- [end:gradient]

# --8<-- [start:gradient_constant]
c = tf.constant(3.0)
with tf.GradientTape() as tape:
    y = tf.square(c)
print(tape.gradient(y, c))  # None: the tape did not record c

with tf.GradientTape() as tape:
    tape.watch(c)
    y = tf.square(c)
print(tape.gradient(y, c))
# --8<-- [end:gradient_constant]

# --8<-- [start:second_order]
time = tf.Variable(2.0)  # seconds after the apple starts to fall
with tf.GradientTape() as outer_tape:
    with tf.GradientTape() as inner_tape:
        # metres fallen: g * t**2 / 2, with g = 9.8 m/s²
        distance = 4.9 * time**2
    speed = inner_tape.gradient(distance, time)
acceleration = outer_tape.gradient(speed, time)
print(f"distance: {distance.numpy():.1f} m")
print(f"speed: {speed.numpy():.1f} m/s")
print(f"acceleration: {acceleration.numpy():.1f} m/s²")
# --8<-- [end:second_order]

# --8<-- [start:make_data]
num_samples_per_class = 1000
covariance = [[1.0, 0.5], [0.5, 1.0]]
negative_samples = rng.multivariate_normal(
    mean=[0.0, 3.0], cov=covariance, size=num_samples_per_class
)
positive_samples = rng.multivariate_normal(
    mean=[3.0, 0.0], cov=covariance, size=num_samples_per_class
)
inputs = np.vstack((negative_samples, positive_samples)).astype(np.float32)
targets = np.vstack(
    (
        np.zeros((num_samples_per_class, 1), dtype=np.float32),
        np.ones((num_samples_per_class, 1), dtype=np.float32),
    )
)
print("inputs:", inputs.shape, inputs.dtype)
print("targets:", targets.shape, targets.dtype)
# --8<-- [end:make_data]

# --8<-- [start:plot_data]
plt.figure(figsize=(5, 5))
points = plt.scatter(
    inputs[:, 0], inputs[:, 1], c=targets[:, 0], cmap="coolwarm", s=6
)
plt.legend(*points.legend_elements(), title="targets")
plt.xlabel("x")
plt.ylabel("y")
plt.gca().set_aspect("equal")
plt.show()
# --8<-- [end:plot_data]

# --8<-- [start:variables]
input_dim = 2  # each point has two coordinates
output_dim = 1  # one score per point
W = tf.Variable(initial_value=tf.random.uniform(shape=(input_dim, output_dim)))
b = tf.Variable(initial_value=tf.zeros(shape=(output_dim,)))
# --8<-- [end:variables]


# --8<-- [start:model]
def model(inputs):
    return tf.matmul(inputs, W) + b


def square_loss(targets, predictions):
    per_sample_losses = tf.square(targets - predictions)
    return tf.reduce_mean(per_sample_losses)


# --8<-- [end:model]

# --8<-- [start:training_step]
learning_rate = 0.1


def training_step(inputs, targets):
    with tf.GradientTape() as tape:
        predictions = model(inputs)
        loss = square_loss(targets, predictions)
    grad_loss_wrt_W, grad_loss_wrt_b = tape.gradient(loss, [W, b])
    W.assign_sub(grad_loss_wrt_W * learning_rate)
    b.assign_sub(grad_loss_wrt_b * learning_rate)
    return loss


# --8<-- [end:training_step]

# --8<-- [start:first_step]
#| device_rtol: 1e-3
loss = training_step(inputs, targets)
print(f"loss before the first update: {float(loss):.4f}")
print(f"loss after it: {float(square_loss(targets, model(inputs))):.4f}")
# --8<-- [end:first_step]

# --8<-- [start:training_loop]
#| device_rtol: 5e-3
for step in range(2, 41):
    loss = training_step(inputs, targets)
    if step % 5 == 0:
        print(f"step {step:2d}: loss {float(loss):.4f}")
# --8<-- [end:training_loop]

# --8<-- [start:accuracy]
#| device_rtol: 2e-3
predictions = model(inputs)
accuracy = np.mean((predictions.numpy() > 0.5) == (targets > 0.5))
print(f"accuracy on the training points: {accuracy:.1%}")
# --8<-- [end:accuracy]

# --8<-- [start:plot_predictions]
plt.figure(figsize=(5, 5))
points = plt.scatter(
    inputs[:, 0], inputs[:, 1], c=predictions[:, 0] > 0.5, cmap="coolwarm", s=6
)
plt.legend(points.legend_elements()[0], ["≤ 0.5", "> 0.5"], title="predictions")
plt.xlabel("x")
plt.ylabel("y")
plt.gca().set_aspect("equal")
plt.show()
# --8<-- [end:plot_predictions]

# --8<-- [start:decision_line]
#| device_rtol: 1e-2
w1, w2, b0 = W[0, 0].numpy(), W[1, 0].numpy(), b[0].numpy()
print(f"w1 = {w1:.3f}, w2 = {w2:.3f}, b = {b0:.3f}")
line_x = np.linspace(-2.0, 5.0, 100)
line_y = (0.5 - b0 - w1 * line_x) / w2  # where w1 * x + w2 * y + b = 0.5

plt.figure(figsize=(5, 5))
points = plt.scatter(
    inputs[:, 0], inputs[:, 1], c=predictions[:, 0] > 0.5, cmap="coolwarm", s=6
)
(line,) = plt.plot(line_x, line_y, "-k")
plt.legend(
    [*points.legend_elements()[0], line],
    ["≤ 0.5", "> 0.5", "= 0.5"],
    title="predictions",
)
plt.xlabel("x")
plt.ylabel("y")
plt.gca().set_aspect("equal")
plt.show()
# --8<-- [end:decision_line]
