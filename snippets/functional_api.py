# --8<-- [start:setup]
import keras
import numpy as np
from keras import layers

keras.utils.clear_session()  # a fresh start: layer names begin again at "dense"
keras.utils.set_random_seed(42)  # seeds Python, NumPy and the backend at once
# --8<-- [end:setup]

# --8<-- [start:input]
inputs = keras.Input(shape=(784,), name="digits")
print(inputs.shape, inputs.dtype)
# --8<-- [end:input]

# --8<-- [start:layer_call]
dense = layers.Dense(64, activation="relu")
x = dense(inputs)
print(x.shape)
# --8<-- [end:layer_call]

# --8<-- [start:model]
x = layers.Dense(64, activation="relu")(x)
outputs = layers.Dense(10, name="logits")(x)
model = keras.Model(inputs=inputs, outputs=outputs, name="mnist_mlp")
# --8<-- [end:model]

# --8<-- [start:summary]
model.summary()
# --8<-- [end:summary]

# --8<-- [start:plot]
keras.utils.plot_model(model, "mnist_mlp.png", show_shapes=True, dpi=72)
# --8<-- [end:plot]

# --8<-- [start:load_mnist]
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
print("train:", x_train.shape, x_train.dtype, y_train.shape, y_train.dtype)
print("test: ", x_test.shape, x_test.dtype, y_test.shape, y_test.dtype)
print(
    "pixel values from",
    x_train.min(),
    "to",
    x_train.max(),
    "| labels:",
    np.unique(y_train),
)
# --8<-- [end:load_mnist]

# --8<-- [start:prepare_mnist]
x_train = x_train.reshape(60000, 784).astype("float32") / 255
x_test = x_test.reshape(10000, 784).astype("float32") / 255
print(x_train.shape, x_train.dtype, x_train.max())
# --8<-- [end:prepare_mnist]

# --8<-- [start:fit_mnist]
model.compile(
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    optimizer=keras.optimizers.RMSprop(),
    metrics=["accuracy"],
)
history = model.fit(
    x_train, y_train, batch_size=128, epochs=2, validation_split=0.2, verbose=0
)
print(sorted(history.history), "after", len(history.epoch), "epochs")
print(
    "validation accuracy above 85%:", history.history["val_accuracy"][-1] > 0.85
)
# --8<-- [end:fit_mnist]

# --8<-- [start:evaluate_mnist]
test_loss, test_accuracy = model.evaluate(x_test, y_test, verbose=0)
print("test accuracy above 85%:", test_accuracy > 0.85)
# --8<-- [end:evaluate_mnist]

# --8<-- [start:predict_mnist]
logits = model.predict(x_test, verbose=0)
print(logits.shape)
by_hand = np.mean(logits.argmax(axis=1) == y_test)
print(
    "argmax of predict agrees with evaluate:",
    np.isclose(by_hand, test_accuracy),
)
# --8<-- [end:predict_mnist]

# --8<-- [start:save_load]
model.save("mnist_mlp.keras")
restored = keras.models.load_model("mnist_mlp.keras")
print(
    "same predictions:",
    np.allclose(restored.predict(x_test, verbose=0), logits),
)
# --8<-- [end:save_load]

# --8<-- [start:encoder_autoencoder]
encoder_input = keras.Input(shape=(28, 28, 1), name="img")
x = layers.Conv2D(16, 3, activation="relu")(encoder_input)
x = layers.Conv2D(32, 3, activation="relu")(x)
x = layers.MaxPooling2D(3)(x)
x = layers.Conv2D(32, 3, activation="relu")(x)
x = layers.Conv2D(16, 3, activation="relu")(x)
encoder_output = layers.GlobalMaxPooling2D()(x)
encoder = keras.Model(encoder_input, encoder_output, name="encoder")

x = layers.Reshape((4, 4, 1))(encoder_output)
x = layers.Conv2DTranspose(16, 3, activation="relu")(x)
x = layers.Conv2DTranspose(32, 3, activation="relu")(x)
x = layers.UpSampling2D(3)(x)
x = layers.Conv2DTranspose(16, 3, activation="relu")(x)
decoder_output = layers.Conv2DTranspose(1, 3, activation="relu")(x)
autoencoder = keras.Model(encoder_input, decoder_output, name="autoencoder")

print("encoder:    ", encoder.input.shape, "->", encoder.output.shape)
print("autoencoder:", autoencoder.input.shape, "->", autoencoder.output.shape)
print(
    "layers they share:",
    sum(layer in autoencoder.layers for layer in encoder.layers),
)
# --8<-- [end:encoder_autoencoder]

# --8<-- [start:encoder_summary]
encoder.summary()
# --8<-- [end:encoder_summary]

# --8<-- [start:nested_models]
# The encoder model from above, and a decoder model of its own.
decoder_input = keras.Input(shape=(16,), name="encoded_img")
x = layers.Reshape((4, 4, 1))(decoder_input)
x = layers.Conv2DTranspose(16, 3, activation="relu")(x)
x = layers.Conv2DTranspose(32, 3, activation="relu")(x)
x = layers.UpSampling2D(3)(x)
x = layers.Conv2DTranspose(16, 3, activation="relu")(x)
decoder_output = layers.Conv2DTranspose(1, 3, activation="relu")(x)
decoder = keras.Model(decoder_input, decoder_output, name="decoder")

autoencoder_input = keras.Input(shape=(28, 28, 1), name="img")
encoded_img = encoder(autoencoder_input)
decoded_img = decoder(encoded_img)
autoencoder = keras.Model(autoencoder_input, decoded_img, name="autoencoder")
print([layer.name for layer in autoencoder.layers])
# --8<-- [end:nested_models]

# --8<-- [start:plot_nested]
keras.utils.plot_model(
    autoencoder, "autoencoder.png", show_shapes=True, expand_nested=True, dpi=72
)
# --8<-- [end:plot_nested]


# --8<-- [start:ensemble]
def get_model():
    inputs = keras.Input(shape=(128,))
    outputs = layers.Dense(1)(inputs)
    return keras.Model(inputs, outputs)


model1, model2, model3 = get_model(), get_model(), get_model()

inputs = keras.Input(shape=(128,))
y1, y2, y3 = model1(inputs), model2(inputs), model3(inputs)
outputs = layers.average([y1, y2, y3])
ensemble = keras.Model(inputs=inputs, outputs=outputs)

batch = np.random.random((4, 128)).astype("float32")
mean_of_three = (model1(batch) + model2(batch) + model3(batch)) / 3
print(
    "ensemble = mean of the three:", np.allclose(ensemble(batch), mean_of_three)
)
# --8<-- [end:ensemble]

# --8<-- [start:tickets_model]
num_tags = 12  # kinds of tag a ticket can carry
num_words = 1000  # size of the vocabulary
num_departments = 4

# word indices, any length
title_input = keras.Input(shape=(None,), name="title")
body_input = keras.Input(shape=(None,), name="body")  # word indices, any length
tags_input = keras.Input(shape=(num_tags,), name="tags")  # 0/1 for each tag

title_features = layers.Embedding(num_words, 32)(title_input)
body_features = layers.Embedding(num_words, 32)(body_input)
title_features = layers.LSTM(32)(title_features)  # one vector per title
body_features = layers.LSTM(16)(body_features)  # one vector per body

x = layers.concatenate([title_features, body_features, tags_input])
priority_logit = layers.Dense(1, name="priority")(x)
department_logits = layers.Dense(num_departments, name="department")(x)

model = keras.Model(
    inputs=[title_input, body_input, tags_input],
    outputs=[priority_logit, department_logits],
    name="tickets",
)
# --8<-- [end:tickets_model]

# --8<-- [start:plot_tickets]
keras.utils.plot_model(
    model, "tickets.png", show_shapes=True, show_layer_names=True, dpi=72
)
# --8<-- [end:plot_tickets]

# --8<-- [start:tickets_data]
rng = np.random.default_rng(0)


def make_tickets(n):
    """Tickets whose targets follow from their content: something to learn."""
    department = rng.integers(0, num_departments, size=n)
    # Each department has its own 50 topic words (100-299); the rest: 300-999.
    topic = 100 + 50 * department[:, None] + rng.integers(0, 50, size=(n, 40))
    filler = rng.integers(300, num_words, size=(n, 40))
    body = np.where(rng.random((n, 40)) < 0.3, topic, filler)
    # Words 1-20 are urgent ("outage", "down", ...); urgent tickets use two.
    urgent = rng.random(n) < 0.3
    title = rng.integers(300, num_words, size=(n, 8))
    title[urgent, :2] = rng.integers(1, 21, size=(urgent.sum(), 2))
    title = rng.permuted(title, axis=1)
    # Tags: 0-7 are common to all departments, 8-11 each point to one (noisily).
    tags = (rng.random((n, num_tags)) < 0.2).astype("float32")
    tags[:, 8:] = 0
    hint = np.where(
        rng.random(n) < 0.7,
        department,
        rng.integers(0, num_departments, size=n),
    )
    tags[np.arange(n), 8 + hint] = 1
    inputs = {"title": title, "body": body, "tags": tags}
    targets = {
        "priority": urgent.astype("float32")[:, None],
        "department": keras.utils.to_categorical(department, num_departments),
    }
    return inputs, targets


train_inputs, train_targets = make_tickets(2000)
test_inputs, test_targets = make_tickets(500)
for name, array in train_inputs.items():
    print(f"{name:8}{array.shape}")
for name, array in train_targets.items():
    print(f"{name:11}{array.shape}")
# --8<-- [end:tickets_data]

# --8<-- [start:compile_lists]
model.compile(
    optimizer=keras.optimizers.RMSprop(1e-3),
    loss=[
        keras.losses.BinaryCrossentropy(from_logits=True),
        keras.losses.CategoricalCrossentropy(from_logits=True),
    ],
    loss_weights=[1.0, 0.2],
)
# --8<-- [end:compile_lists]

# --8<-- [start:compile_dicts]
model.compile(
    optimizer=keras.optimizers.RMSprop(1e-3),
    loss={
        "priority": keras.losses.BinaryCrossentropy(from_logits=True),
        "department": keras.losses.CategoricalCrossentropy(from_logits=True),
    },
    loss_weights={"priority": 1.0, "department": 0.2},
    metrics={
        "priority": ["binary_accuracy"],
        "department": ["categorical_accuracy"],
    },
)
# --8<-- [end:compile_dicts]

# --8<-- [start:fit_tickets]
history = model.fit(
    train_inputs, train_targets, epochs=4, batch_size=64, verbose=0
)
print(sorted(history.history))
# --8<-- [end:fit_tickets]

# --8<-- [start:evaluate_tickets]
scores = model.evaluate(test_inputs, test_targets, verbose=0, return_dict=True)
print(
    "priority right on new tickets, above 90%:",
    scores["priority_binary_accuracy"] > 0.90,
)
print(
    "department right on new tickets, above 60%:",
    scores["department_categorical_accuracy"] > 0.60,
)
# --8<-- [end:evaluate_tickets]

# --8<-- [start:resnet]
inputs = keras.Input(shape=(32, 32, 3), name="img")
x = layers.Conv2D(32, 3, activation="relu")(inputs)
x = layers.Conv2D(64, 3, activation="relu")(x)
block_1_output = layers.MaxPooling2D(3)(x)

x = layers.Conv2D(64, 3, activation="relu", padding="same")(block_1_output)
x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
block_2_output = layers.add([x, block_1_output])

x = layers.Conv2D(64, 3, activation="relu", padding="same")(block_2_output)
x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
block_3_output = layers.add([x, block_2_output])

x = layers.Conv2D(64, 3, activation="relu")(block_3_output)
x = layers.GlobalAveragePooling2D()(x)
x = layers.Dense(256, activation="relu")(x)
x = layers.Dropout(0.5)(x)
outputs = layers.Dense(10)(x)

resnet = keras.Model(inputs, outputs, name="toy_resnet")
print(f"{resnet.count_params():,} parameters")
# --8<-- [end:resnet]

# --8<-- [start:plot_resnet]
keras.utils.plot_model(resnet, "toy_resnet.png", show_shapes=True, dpi=72)
# --8<-- [end:plot_resnet]

# --8<-- [start:load_cifar10]
(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
print("train:", x_train.shape, x_train.dtype, y_train.shape, y_train.dtype)
print("test: ", x_test.shape, x_test.dtype, y_test.shape, y_test.dtype)

# A slice keeps this quick on a laptop's CPU; a real model trains on all 50,000.
x_train = x_train[:500].astype("float32") / 255.0
y_train = keras.utils.to_categorical(y_train[:500], 10)
print(x_train.shape, y_train.shape)
# --8<-- [end:load_cifar10]

# --8<-- [start:fit_resnet]
resnet.compile(
    optimizer=keras.optimizers.RMSprop(1e-3),
    loss=keras.losses.CategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = resnet.fit(x_train, y_train, batch_size=50, epochs=2, verbose=0)
losses = history.history["loss"]
print("the loss went down:", losses[-1] < losses[0])
# --8<-- [end:fit_resnet]

# --8<-- [start:shared_layer]
# 1,000 words, 128-dimensional vectors
shared_embedding = layers.Embedding(1000, 128)

text_input_a = keras.Input(shape=(None,), dtype="int32")
text_input_b = keras.Input(shape=(None,), dtype="int32")
encoded_input_a = shared_embedding(text_input_a)
encoded_input_b = shared_embedding(text_input_b)
pair = keras.Model(
    [text_input_a, text_input_b], [encoded_input_a, encoded_input_b]
)

tokens = np.array([[3, 14, 15, 92]])
vectors_a, vectors_b = pair([tokens, tokens])
print(
    "weights in the model:",
    len(pair.weights),
    "| same vectors:",
    np.array_equal(vectors_a, vectors_b),
)
# --8<-- [end:shared_layer]

# --8<-- [start:feature_extractor]
base = keras.applications.MobileNetV2(weights=None, input_shape=(96, 96, 3))
names = ["block_1_expand_relu", "block_6_expand_relu", "out_relu"]
extractor = keras.Model(
    inputs=base.input,
    outputs={name: base.get_layer(name).output for name in names},
)
images = np.random.random((2, 96, 96, 3)).astype("float32")
features = extractor(images)
for name in names:
    print(f"{name:20}{tuple(features[name].shape)}")
# --8<-- [end:feature_extractor]


# --8<-- [start:custom_layer]
@keras.saving.register_keras_serializable(package="guide")
class CustomDense(layers.Layer):
    def __init__(self, units=32, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(
            shape=(input_shape[-1], self.units), initializer="random_normal"
        )
        self.b = self.add_weight(shape=(self.units,), initializer="zeros")

    def call(self, inputs):
        return inputs @ self.w + self.b

    def get_config(self):
        return {**super().get_config(), "units": self.units}


inputs = keras.Input((4,))
outputs = CustomDense(10)(inputs)
model = keras.Model(inputs, outputs)
print(model.layers[1].get_config()["units"])
# --8<-- [end:custom_layer]

# --8<-- [start:from_config]
config = model.get_config()
# CustomDense is found because it is registered
rebuilt = keras.Model.from_config(config)
# a config holds the architecture, not the weights
rebuilt.set_weights(model.get_weights())
batch = np.random.random((3, 4)).astype("float32")
print(
    type(rebuilt.layers[1]).__name__, np.allclose(rebuilt(batch), model(batch))
)
# --8<-- [end:from_config]

# --8<-- [start:mlp_in_subclass]
units = 32
timesteps = 10
input_dim = 5


def make_scorer():
    """A functional model: one score for a sequence of states."""
    inputs = keras.Input((None, units))
    x = layers.GlobalAveragePooling1D()(inputs)
    outputs = layers.Dense(1)(x)
    return keras.Model(inputs, outputs, name="scorer")


class CustomRNN(layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.projection_1 = layers.Dense(units, activation="tanh")
        self.projection_2 = layers.Dense(units, activation="tanh")
        # a functional model inside a subclassed layer
        self.scorer = make_scorer()

    def call(self, inputs):
        state = keras.ops.zeros((keras.ops.shape(inputs)[0], units))
        states = []
        for t in range(inputs.shape[1]):
            state = self.projection_1(inputs[:, t, :]) + self.projection_2(
                state
            )
            states.append(state)
        return self.scorer(keras.ops.stack(states, axis=1))


rnn = CustomRNN()
print(rnn(keras.ops.zeros((1, timesteps, units))).shape)
# --8<-- [end:mlp_in_subclass]


# --8<-- [start:subclass_in_functional]
class Scale(layers.Layer):
    """A subclassed layer: multiplies its input by one trainable number."""

    def build(self, input_shape):
        self.factor = self.add_weight(shape=(), initializer="ones")

    def call(self, inputs):
        return inputs * self.factor


inputs = keras.Input(shape=(timesteps, input_dim))
x = layers.Conv1D(units, 3, padding="same")(inputs)
x = Scale()(x)
outputs = CustomRNN()(x)
mixed = keras.Model(inputs, outputs, name="mixed")
print(mixed(np.zeros((2, timesteps, input_dim), dtype="float32")).shape)
# --8<-- [end:subclass_in_functional]
