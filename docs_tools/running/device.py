"""The device simulation, and the report that compares a device run with the pages.

    python -m docs_tools.running.device report DIR [--check]
    python -m docs_tools.running.device gpu          # fails unless TensorFlow sees a GPU (GPU session)

Our machines have no NVIDIA GPU, so the outputs policy (``docs_tools.running.compare``) is proven
here by perturbing TensorFlow the way an Ampere or newer GPU does:

- every float32 matrix product (``MatMul``, ``BatchMatMul``), ``Einsum`` and
  convolution (``Conv2D``, ``Conv3D`` and their gradients) gets its inputs rounded to
  TensorFloat-32: a 10-bit mantissa, round to nearest (ties away from zero, as the GPU's
  conversion does). Gradients pass straight through the rounding; the products of the
  backward pass are rounded too, as on the GPU;
- reductions run in another order: oneDNN off (``TF_ENABLE_ONEDNN_OPTS=0``) and one
  thread inside and between ops.

The rounding wraps TensorFlow's generated op functions (``gen_math_ops.mat_mul`` and
friends), which ``tf.matmul``, ``tf.linalg.matmul``, ``@``, ``tf.tensordot``, Keras
``Dense``/``Conv*`` (through ``keras.ops`` and its TensorFlow backend) and the gradient
functions all call at run or trace time; tests/running/test_device.py counts the calls.

It is switched on by the environment, ``TFGUIDES_SIMULATE_DEVICE=1``, because oneDNN and
the thread pools are fixed when TensorFlow starts: ``docs_tools.running.offline.enter()`` (first
in every notebook kernel, in ``nox -s outputs`` and the tools) and the root conftest.py
call ``simulate()`` before TensorFlow is imported. ``nox -s simulate`` runs the suite so.

``report DIR`` reads a directory of recorded outputs (``<guide>.out`` files, as the
suite writes them where ``TFGUIDES_RECORD_OUTPUTS`` points: ``build/gpu-outputs`` in the
GPU session, ``build/simulated-outputs`` in the simulation) and prints, per guide and
section, the largest relative difference from the committed ``snippets/*.out`` and
whether it is within the CPU and the device tolerance. With ``--check`` it fails if a
section exceeds its device tolerance, or if no section exceeds its CPU tolerance (then
the run did not differ from the CPU and proves nothing about the policy).
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import inspect
import math
import os
import platform
import sys
from pathlib import Path

from docs_tools.running import compare
from docs_tools import snippets

SIMULATE_VARIABLE = "TFGUIDES_SIMULATE_DEVICE"
RECORD_VARIABLE = "TFGUIDES_RECORD_OUTPUTS"

#: What must be in the environment before TensorFlow starts, for reductions in another order.
STARTUP_ENVIRONMENT = {
    "TF_ENABLE_ONEDNN_OPTS": "0",
    "TF_NUM_INTRAOP_THREADS": "1",
    "TF_NUM_INTEROP_THREADS": "1",
}

#: TensorFloat-32 keeps 10 of float32's 23 mantissa bits.
_DROPPED_BITS = 23 - 10

#: The generated op functions whose float32 inputs a GPU rounds to TensorFloat-32, with
#: the names of those inputs (the others are sizes, strides or flags).
ROUNDED_OPS = {
    "gen_math_ops": {
        "mat_mul": ("a", "b"),
        "batch_mat_mul": ("x", "y"),
        "batch_mat_mul_v2": ("x", "y"),
        "batch_mat_mul_v3": ("x", "y"),
    },
    "gen_linalg_ops": {"einsum": ("inputs",)},
    "gen_nn_ops": {
        "conv": ("input", "filter"),
        "conv2d": ("input", "filter"),
        "conv2d_backprop_filter": ("input", "out_backprop"),
        "conv2d_backprop_filter_v2": ("input", "filter", "out_backprop"),
        "conv2d_backprop_input": ("filter", "out_backprop"),
        "conv2d_backprop_input_v2": ("input", "filter", "out_backprop"),
        "conv3d": ("input", "filter"),
        "conv3d_backprop_filter": ("input", "filter", "out_backprop"),
        "conv3d_backprop_filter_v2": ("input", "out_backprop"),
        "conv3d_backprop_input": ("input", "filter", "out_backprop"),
        "conv3d_backprop_input_v2": ("filter", "out_backprop"),
    },
}

#: How many op inputs went through the rounding (once per eager call, or per trace of a
#: ``tf.function``, not per execution of a traced graph): the tests count with it.
rounded_inputs = 0


def kind() -> str:
    """The machine kind ``nox -s outputs`` produces the committed outputs on, for their header."""
    if requested():
        raise RuntimeError(f"{SIMULATE_VARIABLE}=1: the committed outputs are never produced under "
                           "the device simulation; unset it and rerun `nox -s outputs`")
    machine = platform.machine().lower()
    return "CPU, " + {"x86_64": "x86-64", "amd64": "x86-64", "aarch64": "ARM64", "arm64": "ARM64"}.get(machine, machine)


def requested() -> bool:
    return os.environ.get(SIMULATE_VARIABLE, "") == "1"


def to_tf32(x):
    """``x`` with float32 values rounded to TensorFloat-32; gradients pass straight through."""
    import tensorflow as tf

    global rounded_inputs
    rounded_inputs += 1

    def round_mantissa(value):
        bits = tf.bitcast(value, tf.int32)
        half = tf.constant(1 << (_DROPPED_BITS - 1), tf.int32)
        mask = tf.constant(~((1 << _DROPPED_BITS) - 1), tf.int32)
        rounded = tf.bitcast(tf.bitwise.bitwise_and(bits + half, mask), tf.float32)
        return tf.where(tf.math.is_finite(value), rounded, value)

    return tf.grad_pass_through(round_mantissa)(x)


def _round_if_float32(value):
    import tensorflow as tf

    if isinstance(value, (list, tuple)):
        return type(value)(_round_if_float32(item) for item in value)
    if value is None or isinstance(value, (str, bytes, bool, int)):
        return value
    try:  # tensors, tf.Variable, Keras variables, NumPy arrays, nested lists of floats
        tensor = tf.convert_to_tensor(value)
    except (TypeError, ValueError):
        return value
    return to_tf32(tensor) if tensor.dtype == tf.float32 else value


def _rounding(op, inputs: tuple[str, ...]):
    signature = inspect.signature(op)

    @functools.wraps(op)
    def rounded(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        for name in inputs:
            if name in bound.arguments:
                bound.arguments[name] = _round_if_float32(bound.arguments[name])
        return op(*bound.args, **bound.kwargs)

    rounded.tfguides_original = op
    return rounded


def patch_ops() -> None:
    from tensorflow.python.ops import gen_linalg_ops, gen_math_ops, gen_nn_ops

    modules = {"gen_math_ops": gen_math_ops, "gen_linalg_ops": gen_linalg_ops, "gen_nn_ops": gen_nn_ops}
    for module_name, ops in ROUNDED_OPS.items():
        module = modules[module_name]
        for name, inputs in ops.items():
            op = getattr(module, name)
            if not hasattr(op, "tfguides_original"):
                setattr(module, name, _rounding(op, inputs))


def restore_ops() -> None:
    """Undo ``patch_ops`` (for the tests)."""
    from tensorflow.python.ops import gen_linalg_ops, gen_math_ops, gen_nn_ops

    for module in (gen_math_ops, gen_linalg_ops, gen_nn_ops):
        for name, op in list(vars(module).items()):
            original = getattr(op, "tfguides_original", None)
            if original is not None:
                setattr(module, name, original)


def simulate() -> None:
    """Perturb TensorFlow as an Ampere+ GPU would. Call before TensorFlow is imported."""
    imported = "tensorflow" in sys.modules
    wrong = {k: v for k, v in STARTUP_ENVIRONMENT.items() if os.environ.get(k) != v}
    if imported and wrong:
        raise RuntimeError(
            f"{SIMULATE_VARIABLE}=1, but TensorFlow was imported before the device simulation "
            f"could set {', '.join(f'{k}={v}' for k, v in wrong.items())}: set "
            f"{SIMULATE_VARIABLE}=1 in the environment of the process (nox -s simulate does), "
            "so docs_tools.running.offline.enter() or the root conftest.py starts the simulation first")
    os.environ.update(STARTUP_ENVIRONMENT)
    os.environ.setdefault(compare.DEVICE_CHECK_VARIABLE, "1")
    import tensorflow as tf

    try:  # the environment variables above already say so, where TensorFlow reads them
        tf.config.threading.set_intra_op_parallelism_threads(1)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:  # the runtime is already up (with the variables above in place)
        pass
    patch_ops()


def gpu_devices() -> list:
    import tensorflow as tf

    return tf.config.list_physical_devices("GPU")


def assert_gpu() -> str:
    """What the GPU session checks first: TensorFlow sees a GPU. Returns a line saying which."""
    import tensorflow as tf

    devices = gpu_devices()
    if not devices:
        raise RuntimeError(
            "the GPU session runs, but TensorFlow sees no GPU: the checks would run on the CPU and "
            "prove nothing about GPUs. Check the NVIDIA driver (`nvidia-smi`) and that the session "
            "installed tensorflow[and-cuda]; `python -c 'import tensorflow as tf; "
            "print(tf.config.list_physical_devices())'` shows what TensorFlow finds")
    tf32 = "on" if tf.config.experimental.tensor_float_32_execution_enabled() else "off"
    return f"TensorFlow sees {', '.join(d.name for d in devices)}; TensorFloat-32 {tf32}"


# --- the report -----------------------------------------------------------------------

def largest_relative_difference(shown: str, printed: str) -> float | None:
    """The largest |printed - shown| / |shown| over the numbers of two outputs (0 if equal),
    or None if the outputs differ in anything but numbers."""
    expected, actual = compare._tokens(shown), compare._tokens(printed)
    if len(expected) != len(actual):
        return None
    largest = 0.0
    for want, got in zip(expected, actual):
        if isinstance(want, float) and isinstance(got, float):
            if want == got or (math.isnan(want) and math.isnan(got)):
                continue
            largest = max(largest, abs(got - want) / abs(want) if want else math.inf)
        elif want != got:
            return None
    return largest


def _read_recorded(directory: Path) -> dict[str, dict[str, str]]:
    if not directory.is_dir() or not any(directory.glob("*.out")):
        raise snippets.SnippetError(
            f"{directory} holds no recorded outputs (<guide>.out). The suite's execution of the "
            f"guides writes them where {RECORD_VARIABLE} points (nox -s simulate: "
            "build/simulated-outputs; the GPU session: build/gpu-outputs): run that session first")
    recorded = {}
    for path in sorted(directory.glob("*.out")):
        if not (snippets.SNIPPETS_DIR / f"{path.stem}.py").is_file():
            raise snippets.SnippetError(f"{path} names no snippet module: snippets/{path.stem}.py "
                                        f"does not exist; remove it from {directory}")
        recorded[path.stem] = snippets.parse_outputs(path)
    return recorded


@dataclasses.dataclass(frozen=True)
class Row:
    ref: str  # snippets/<guide>.py:<section>
    largest: float | None  # largest relative difference; None: more than numbers differ
    cpu: dict[str, float]
    device: dict[str, float]
    within_cpu: bool
    within_device: bool


def compare_recorded(directory: Path) -> list[Row]:
    """Every section of every recorded guide, against the committed output."""
    rows = []
    for guide, printed in _read_recorded(directory).items():
        module = snippets.SNIPPETS_DIR / f"{guide}.py"
        committed = snippets.read_outputs(module)
        for name, section in snippets.sections(module).items():
            if name not in printed:
                raise snippets.SnippetError(f"{directory / (guide + '.out')} has no output for section "
                                            f"'{name}': the recording is incomplete or stale")
            shown = committed.get(name, "")
            cpu, device = compare.cpu_tolerance(section.options), compare.device_tolerance(section.options)
            rows.append(Row(section.ref, largest_relative_difference(shown, printed[name]), cpu, device,
                            compare.difference(shown, printed[name], **cpu) is None,
                            compare.difference(shown, printed[name], **device) is None))
    return rows


def _verdict(within: bool, tolerance: dict[str, float]) -> str:
    return f"{'within' if within else 'EXCEEDS'} rtol={tolerance['rtol']:g} atol={tolerance['atol']:g}"


def format_report(rows: list[Row]) -> str:
    lines = []
    guides = dict.fromkeys(row.ref.partition(":")[0] for row in rows)
    for guide in guides:
        own = [row for row in rows if row.ref.startswith(guide + ":")]
        moved = [row for row in own if row.largest != 0.0]
        lines.append(f"{guide}: {len(own)} sections, {len(own) - len(moved)} print exactly the committed output")
        for row in moved:
            largest = "not only numbers differ" if row.largest is None else f"largest relative difference {row.largest:.2e}"
            lines.append(f"  {row.ref.partition(':')[2]}: {largest}; CPU: {_verdict(row.within_cpu, row.cpu)}; "
                         f"device: {_verdict(row.within_device, row.device)}")
    return "\n".join(lines)


def check(rows: list[Row]) -> list[str]:
    """What makes a device run fail the policy (empty: it holds, and the run was a real test)."""
    problems = [f"{row.ref} differs beyond its device tolerance" for row in rows if not row.within_device]
    if not any(not row.within_cpu for row in rows):
        problems.append("no section differs beyond its CPU tolerance: this run did not perturb the "
                        "printed numbers, so it proves nothing about the device tolerances")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="compare recorded outputs with snippets/*.out")
    report.add_argument("directory", type=Path)
    report.add_argument("--check", action="store_true",
                        help="fail beyond a device tolerance, or if nothing exceeds a CPU tolerance")
    commands.add_parser("gpu", help="fail unless TensorFlow sees a GPU")
    args = parser.parse_args(argv)
    if args.command == "gpu":
        try:
            print(assert_gpu())
        except RuntimeError as error:
            print(error, file=sys.stderr)
            return 1
        return 0
    try:
        rows = compare_recorded(args.directory)
    except snippets.SnippetError as error:
        print(error, file=sys.stderr)
        return 1
    print(format_report(rows))
    if args.check:
        problems = check(rows)
        for problem in problems:
            print(f"FAIL: {problem}", file=sys.stderr)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
