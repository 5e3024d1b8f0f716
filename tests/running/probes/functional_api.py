# Probe of the functional API guide: runs in the guide's kernel after its last section (see
# docs_tools/running/execution.py) and prints, as JSON, the values tests/running/test_guides.py checks.
# Not part of the guide; never published.
import json as _json

import numpy as _np


def _tickets(inputs, targets):
    urgent = targets["priority"][:, 0] == 1
    alarm_words = ((inputs["title"] >= 1) & (inputs["title"] <= 20)).sum(axis=1)
    department = targets["department"].argmax(axis=1)
    hinted = inputs["tags"][:, 8:].argmax(axis=1)
    return {
        "urgent": float(urgent.mean()),
        "alarm_words_urgent": sorted({int(n) for n in alarm_words[urgent]}),
        "alarm_words_other": sorted({int(n) for n in alarm_words[~urgent]}),
        "tag_points_to_department": float(_np.mean(hinted == department)),
    }


print("tfguides-probe:" + _json.dumps({
    "train_tickets": _tickets(train_inputs, train_targets),
    "test_tickets": _tickets(test_inputs, test_targets),
}))
