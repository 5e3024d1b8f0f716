# Probe of the customizing-Keras guide: runs in the guide's kernel after its last section (see
# docs_tools/running/execution.py) and prints, as JSON, the values tests/running/test_guides.py checks.
# Not part of the guide; never published.
import json as _json

print("tfguides-probe:" + _json.dumps({
    "early_stopping_val_losses": [float(value) for value in val_losses],
    "early_stopping_best_epoch": int(best_epoch),
    "batch_losses": [float(value) for value in batch_losses.losses],
    "running_means": [float(value) for value in batch_losses.running_means],
}))
