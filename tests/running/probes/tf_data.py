# Probe of the tf.data guide: runs in the guide's kernel after its last section (see
# docs_tools/running/execution.py) and prints, as JSON, the values tests/running/test_guides.py checks.
# Not part of the guide; never published.
import json as _json

print("tfguides-probe:" + _json.dumps({
    # section shuffle: the two orders the figure plot_shuffle draws
    "small_buffer": [int(v) for v in small_buffer],
    "full_buffer": [int(v) for v in full_buffer],
    # section timeline: the steps of each pipeline's last epoch, (stage, start, seconds), as drawn
    "timelines": {name: [[stage, float(begin), float(length)] for stage, begin, length in steps]
                  for name, steps in timelines.items()},
    # section prefetch: reads that overlapped a training step, with prefetch(1)
    "prefetch_overlapped": int(overlapped),
}))
