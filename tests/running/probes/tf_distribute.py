# Probe of the tf.distribute guide: runs in the guide's kernel after its last section (see
# docs_tools/running/execution.py) and prints, as JSON, the values tests/running/test_guides.py checks.
# Not part of the guide; never published.
import json as _json
import os as _os

def _survivors():
    """Processes still running one of the guide's worker scripts from this working directory."""
    found = []
    for pid in filter(str.isdigit, _os.listdir("/proc")):
        try:
            command = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
            cwd = _os.readlink(f"/proc/{pid}/cwd")
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if cwd == _os.getcwd() and any(part.endswith((b"worker.py", b"fit_worker.py")) for part in command):
            found.append(int(pid))
    return found

print("tfguides-probe:" + _json.dumps({
    # section launcher: a cluster as run_job builds it for the workers' TF_CONFIG
    "cluster": cluster_of(2),
    # sections first_run ... fit_second_run: worker processes left running after the jobs
    "survivors": _survivors(),
    # section loss_scaling: each weight's update over the one-device update
    "wrong_ratio": [float(v) for v in ratios["wrong"]],
    "right_ratio": [float(v) for v in ratios["right"]],
    # section same_update: the largest difference, relative to the largest change
    "same_update_difference": float(difference),
    # sections first_run, second_run, fit_*: the epochs each run printed a loss for
    "epochs": {name: [sorted(losses(printed)) for printed in runs]
               for name, runs in [("workers", lines), ("fit", fit_lines)]},
}))
