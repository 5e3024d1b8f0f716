# Probe of the tensors guide: runs in the guide's kernel after its last section (see
# docs_tools/running/execution.py) and prints, as JSON, the values tests/running/test_guides.py checks.
# Not part of the guide; never published.
import json as _json

print("tfguides-probe:" + _json.dumps({
    "W_shape": [int(n) for n in W.shape],
    "b_shape": [int(n) for n in b.shape],
}))
