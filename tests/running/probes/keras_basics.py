# Probe of the Keras basics guide: runs in the guide's kernel after its last section (see
# docs_tools/running/execution.py) and prints, as JSON, the values tests/running/test_guides.py checks.
# Not part of the guide; never published.
import json as _json

print("tfguides-probe:" + _json.dumps({
    # the run with validation_data (section validation_data), which plot_validation draws
    "validation_history": {name: [float(value) for value in history.history[name]] for name in ("loss", "val_loss")},
}))
