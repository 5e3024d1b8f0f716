# Probe of the training-loops guide: runs in the guide's kernel after its last section (see
# docs_tools/running/execution.py) and prints, as JSON, the values tests/running/test_guides.py checks.
# Not part of the guide; never published.
import json as _json

print("tfguides-probe:" + _json.dumps({
    "hand_losses": [float(value) for value in history["loss"]],
    "losses_of_weights": [float(loss(y, w * x + b)) for w, b in zip(history["w"], history["b"])],
    "keras_model": {name: float(getattr(keras_model, name).numpy()) for name in ("w", "b")},
    "fit_model": {name: float(getattr(fit_model, name).numpy()) for name in ("w", "b")},
    "fit_losses": [float(value) for value in fit_history.history["loss"]],
    "keras_hand_losses": [float(value) for value in keras_history["loss"]],
    "model": {"w": float(model.w.numpy()), "b": float(model.b.numpy())},
    "true": {"w": float(TRUE_W), "b": float(TRUE_B)},
    # the best line through the points (least squares), and its loss: the floor of training
    "least_squares": dict(zip(("w", "b"), (float(v) for v in np.polyfit(x.numpy(), y.numpy(), 1)))),
    "least_squares_loss": float(np.mean((y.numpy() - np.polyval(np.polyfit(x.numpy(), y.numpy(), 1), x.numpy())) ** 2)),
}))
