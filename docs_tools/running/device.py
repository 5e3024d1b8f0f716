"""The device simulation, and the report that compares a device run with the pages.

    python -m docs_tools.running.device report DIR [--check]
    python -m docs_tools.running.device gpu          # fails unless TensorFlow sees a GPU (GPU session)

Our machines have no NVIDIA GPU, so the outputs policy (``docs_tools.running.compare``) is proven
here by perturbing TensorFlow the way a GPU with TensorFloat-32 (Ampere and newer) does. The
simulation is an approximation of one GPU, not TensorFlow's guarantee for every GPU: the rounding
rules below are what one NVIDIA H200 did, measured on 2026-12-04 through cuBLAS and cuDNN as
PyTorch 2.11 (CUDA 13.0) calls them with TF32 allowed, as TensorFlow's default is. TensorFlow
links the same libraries, but its own CUDA version and kernel choices may differ. Each GPU
result was compared with float64 products of its inputs rounded each way (largest difference
relative to the largest value):

    ==============================  ======================  ========  ========  ===========  =========
    product                         what the GPU did        ties to   ties      toward zero  float32
                                                            even      away                   (none)
    ==============================  ======================  ========  ========  ===========  =========
    256x784 @ 784x64                TF32, ties to even      2.6e-7    4.3e-5    8.3e-4       2.7e-4
    256x128 @ 128x64                TF32, ties to even      4.5e-7    4.6e-5    1.0e-3       3.4e-4
    512x512 @ 512x512               TF32, ties to even      1.8e-6    6.8e-5    8.6e-4       3.0e-4
    256xK @ Kx64, K = 4 ... 32      TF32 (no tie occurred)  <=2.2e-7  <=2.2e-7  ~1e-3        ~4e-4
    1000x2 @ 2x1 (linear classif.)  float32, no TF32        2.8e-4    2.8e-4    7.7e-4       4.6e-8
    conv 3x3, 1, 3, 8, 16 in-chan.  float32, no TF32        ~3e-4     ~3e-4     ~7e-4        <=5.4e-7
    conv 3x3, 32 or 64 in-channels  TF32, ties away         4.1e-5    <=1.9e-6  ~1e-3        3.4e-4
    ==============================  ======================  ========  ========  ===========  =========

Two profiles (``TFGUIDES_DEVICE_PROFILE``; ``nox -s simulate`` runs both):

- ``measured`` (the default) models that table, per op and size. Matrix products
  (``MatMul``, ``BatchMatMul``, ``Einsum``) whose inner size K is 4 or more get their float32
  inputs rounded to TensorFloat-32 (a 10-bit mantissa), round to nearest, ties to even;
  with K below 4 they stay float32 (measured at K = 2; K = 3 was not measured, and we chose
  float32 with K = 2). Convolutions (``Conv2D``, ``Conv3D`` and their gradients) with 16 or
  fewer input channels stay float32; with more, their inputs are rounded to TF32, ties away
  from zero (measured at 32 and 64; 17 to 31 channels were not measured, and we chose TF32,
  the choice that moves the numbers more). A size unknown when the op is traced counts as
  large (TF32).
- ``strict``: every float32 matrix product and convolution gets TF32 inputs, ties away
  from zero (the simulation before the measurement): more perturbation than the GPU showed.

In both, gradients pass straight through the rounding, and the products of the backward
pass are rounded by the same rules (by their own K, and by the layer's input channels for a
convolution's gradients), as on the GPU. Reductions run in another order: oneDNN off
(``TF_ENABLE_ONEDNN_OPTS=0``) and one thread inside and between ops.

The rounding wraps TensorFlow's generated op functions (``gen_math_ops.mat_mul`` and
friends), which ``tf.matmul``, ``tf.linalg.matmul``, ``@``, ``tf.tensordot``, Keras
``Dense``/``Conv*`` (through ``keras.ops`` and its TensorFlow backend) and the gradient
functions all call at run or trace time; tests/running/test_device.py counts the calls.

It is switched on by the environment, ``TFGUIDES_SIMULATE_DEVICE=1``, because oneDNN and
the thread pools are fixed when TensorFlow starts: ``docs_tools.running.offline.enter()`` (first
in every notebook kernel, in ``nox -s outputs`` and the tools) and the root conftest.py
call ``simulate()`` before TensorFlow is imported. ``nox -s simulate`` runs the suite so,
under each profile.

``report DIR`` reads a directory of recorded outputs (``<guide>.out`` files, as the
suite writes them where ``TFGUIDES_RECORD_OUTPUTS`` points: ``build/gpu-outputs`` in the
GPU session; ``build/simulated-outputs/<profile>/`` in the simulation, and given
``build/simulated-outputs`` it reads every profile's) and prints, per guide and section,
the largest relative difference from the committed ``snippets/*.out`` (under each profile)
and whether it is within the CPU and the device tolerance. With ``--check`` it fails if a
section exceeds its device tolerance (under any profile), or if no section exceeds its CPU
tolerance (then the run did not differ from the CPU and proves nothing about the policy).
With both profiles, the measured one carries that last check if it moves a section beyond
its CPU tolerance; if it perturbs too little, the report says so and the strict profile
must.
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
PROFILE_VARIABLE = "TFGUIDES_DEVICE_PROFILE"

#: The simulation's profiles, the default first (the module docstring says what each does).
PROFILES = {
    "measured": "what one NVIDIA H200 did (2026-12-04), per op and size",
    "strict": "every float32 product in TF32, ties away from zero",
}
DEFAULT_PROFILE = "measured"

#: How a product's float32 inputs are rounded to TensorFloat-32 (None: they stay float32).
EVEN, AWAY = "ties to even", "ties away"

#: The measured profile's sizes: matrix products in TF32 from this inner size K (measured:
#: K = 2 float32, K = 4 and above TF32; K = 3 unmeasured, taken as float32) ...
TF32_FROM_K = 4
#: ... and convolutions in float32 up to this many input channels (measured: 16 float32, 32
#: TF32 ties away; 17 to 31 unmeasured, taken as TF32).
FLOAT32_UP_TO_CHANNELS = 16

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


def profile() -> str:
    """The simulation's profile, from ``TFGUIDES_DEVICE_PROFILE`` (default: measured)."""
    name = os.environ.get(PROFILE_VARIABLE, "") or DEFAULT_PROFILE
    if name not in PROFILES:
        raise ValueError(f"{PROFILE_VARIABLE}={name}: no such profile of the device simulation; "
                         f"the profiles are {', '.join(PROFILES)}")
    return name


def to_tf32(x, ties: str):
    """``x`` with float32 values rounded to TensorFloat-32 (10 mantissa bits), to nearest,
    ``ties`` to even (``EVEN``) or away from zero (``AWAY``); gradients pass straight through."""
    import tensorflow as tf

    if ties not in (EVEN, AWAY):
        raise ValueError(f"ties: {ties!r} is neither {EVEN!r} nor {AWAY!r}")
    global rounded_inputs
    rounded_inputs += 1

    def round_mantissa(value):
        bits = tf.bitcast(value, tf.int32)  # sign and magnitude: rounding the magnitude's bits
        half = tf.constant(1 << (_DROPPED_BITS - 1), tf.int32)
        mask = tf.constant(~((1 << _DROPPED_BITS) - 1), tf.int32)
        if ties == EVEN:  # half a step less one, plus one where the kept last bit is odd
            odd = tf.bitwise.bitwise_and(tf.bitwise.right_shift(bits, _DROPPED_BITS), 1)
            bits = bits + (half - 1) + odd
        else:
            bits = bits + half
        rounded = tf.bitcast(tf.bitwise.bitwise_and(bits, mask), tf.float32)
        return tf.where(tf.math.is_finite(value), rounded, value)

    return tf.grad_pass_through(round_mantissa)(x)


def _round_if_float32(value, ties: str):
    import tensorflow as tf

    if isinstance(value, (list, tuple)):
        return type(value)(_round_if_float32(item, ties) for item in value)
    if value is None or isinstance(value, (str, bytes, bool, int)):
        return value
    try:  # tensors, tf.Variable, Keras variables, NumPy arrays, nested lists of floats
        tensor = tf.convert_to_tensor(value)
    except (TypeError, ValueError):
        return value
    return to_tf32(tensor, ties) if tensor.dtype == tf.float32 else value


def _dims(value) -> list | None:
    """The static shape of a tensor-like value (None where unknown), or None."""
    shape = getattr(value, "shape", None)
    if shape is None:
        return None
    try:
        import tensorflow as tf

        return tf.TensorShape(shape).as_list()
    except (TypeError, ValueError):
        return None


def _dim(value, axis: int) -> int | None:
    dims = _dims(value)
    if dims is None or len(dims) < max(axis + 1, -axis):
        return None
    return dims[axis]


def _inner_size(name: str, arguments: dict) -> int | None:
    """K, the length of the sums of a matrix product (None: unknown at trace time)."""
    if name == "einsum":
        equation = str(arguments.get("equation", "")).replace(" ", "").replace("...", "")
        left, arrow, right = equation.partition("->")
        operands = left.split(",")
        letters = "".join(operands)
        if arrow:
            contracted = {c for c in letters if c not in right}
        else:  # implicit output: the letters that occur once
            contracted = {c for c in letters if letters.count(c) > 1}
        sizes = {}
        for letters_of, value in zip(operands, arguments.get("inputs") or []):
            dims = _dims(value)
            if dims is not None and len(dims) >= len(letters_of):
                for letter, size in zip(letters_of, dims[len(dims) - len(letters_of):]):
                    if size is not None:
                        sizes[letter] = size
        if any(c not in sizes for c in contracted):
            return None
        return math.prod(sizes[c] for c in contracted)
    if name == "mat_mul":
        a, b = ("transpose_a", "transpose_b")
        first, second = arguments.get("a"), arguments.get("b")
    else:  # batch_mat_mul*
        a, b = ("adj_x", "adj_y")
        first, second = arguments.get("x"), arguments.get("y")
    k = _dim(first, -2 if arguments.get(a) else -1)
    return k if k is not None else _dim(second, -1 if arguments.get(b) else -2)


def _input_channels(arguments: dict) -> int | None:
    """A convolution's input channels: from its filter (``[..., in, out]``), else from its
    input and data format (None: unknown at trace time)."""
    filter_dims = _dims(arguments.get("filter"))
    if filter_dims is not None and len(filter_dims) >= 3:
        return filter_dims[-2]
    input_dims = _dims(arguments.get("input"))
    if input_dims is None or len(input_dims) < 3:
        return None
    data_format = arguments.get("data_format") or "NHWC"
    if isinstance(data_format, bytes):
        data_format = data_format.decode()
    channels_first = data_format.startswith("NC") or data_format == "CHANNELS_FIRST"
    return input_dims[1 if channels_first else -1]


def rounding(name: str, arguments: dict, profile_name: str | None = None) -> str | None:
    """How the profile rounds the inputs of the op ``name`` called with ``arguments``:
    ``EVEN``, ``AWAY``, or None (they stay float32)."""
    profile_name = profile_name or profile()
    if profile_name == "strict":
        return AWAY
    if name.startswith("conv"):
        channels = _input_channels(arguments)
        return None if channels is not None and channels <= FLOAT32_UP_TO_CHANNELS else AWAY
    k = _inner_size(name, arguments)
    return None if k is not None and k < TF32_FROM_K else EVEN


def _rounding(name: str, op, inputs: tuple[str, ...]):
    signature = inspect.signature(op)

    @functools.wraps(op)
    def rounded(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        ties = rounding(name, bound.arguments)
        if ties is not None:
            for input_name in inputs:
                if input_name in bound.arguments:
                    bound.arguments[input_name] = _round_if_float32(bound.arguments[input_name], ties)
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
                setattr(module, name, _rounding(name, op, inputs))


def restore_ops() -> None:
    """Undo ``patch_ops`` (for the tests)."""
    from tensorflow.python.ops import gen_linalg_ops, gen_math_ops, gen_nn_ops

    for module in (gen_math_ops, gen_linalg_ops, gen_nn_ops):
        for name, op in list(vars(module).items()):
            original = getattr(op, "tfguides_original", None)
            if original is not None:
                setattr(module, name, original)


def simulate() -> None:
    """Perturb TensorFlow as a GPU with TensorFloat-32 would (under the profile the environment
    names). Call before TensorFlow is imported."""
    profile()  # an unknown profile fails here, before anything changes
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


def profile_recordings(directory: Path) -> dict[str, Path]:
    """The recording of each profile under ``directory`` (``<directory>/<profile>/``, as
    ``nox -s simulate`` writes them), or {} where ``directory`` is one recording."""
    return {name: directory / name for name in PROFILES if (directory / name).is_dir()}


def _largest(rows: list[Row]) -> str:
    numeric = [row for row in rows if row.largest is not None]
    if not any(row.largest for row in numeric):
        return "no printed number moved"
    top = max(numeric, key=lambda row: row.largest)
    return f"largest relative difference {top.largest:.2e} ({top.ref.removeprefix('snippets/')})"


def format_profiles(by_profile: dict[str, list[Row]]) -> str:
    """Each section's largest difference under every profile, then each profile's summary."""
    lines = [f"profiles: {'; '.join(f'{name} ({PROFILES[name]})' for name in by_profile)}"]
    refs = list(dict.fromkeys(row.ref for rows in by_profile.values() for row in rows))
    rows_of = {name: {row.ref: row for row in rows} for name, rows in by_profile.items()}
    for guide in dict.fromkeys(ref.partition(":")[0] for ref in refs):
        own = [ref for ref in refs if ref.startswith(guide + ":")]
        moved = [ref for ref in own if any(rows[ref].largest != 0.0 for rows in rows_of.values() if ref in rows)]
        lines.append(f"{guide}: {len(own)} sections, {len(own) - len(moved)} print exactly the committed "
                     "output under every profile")
        for ref in moved:
            parts = []
            for name, rows in rows_of.items():
                row = rows.get(ref)
                if row is None:
                    parts.append(f"{name}: not recorded")
                    continue
                largest = "not only numbers differ" if row.largest is None else f"{row.largest:.2e}"
                parts.append(f"{name} {largest} (CPU: {_verdict(row.within_cpu, row.cpu)}; "
                             f"device: {_verdict(row.within_device, row.device)})")
            lines.append(f"  {ref.partition(':')[2]}: " + "; ".join(parts))
    for name, rows in by_profile.items():
        beyond_cpu = sum(not row.within_cpu for row in rows)
        beyond_device = sum(not row.within_device for row in rows)
        moved = sum(row.largest != 0.0 for row in rows)
        lines.append(f"{name}: {moved} of {len(rows)} sections differ, {beyond_cpu} beyond their CPU "
                     f"tolerance, {beyond_device} beyond their device tolerance; {_largest(rows)}")
    return "\n".join(lines)


def check_profiles(by_profile: dict[str, list[Row]]) -> tuple[list[str], list[str]]:
    """What makes a simulation under several profiles fail the policy, and notes for the report.

    Every section within its device tolerance under every profile. At least one section
    beyond its CPU tolerance: under the default profile if it perturbs enough; if it does
    not, the report says so and the strict profile must.
    """
    problems = [f"{row.ref} differs beyond its device tolerance under the {name} profile"
                for name, rows in by_profile.items() for row in rows if not row.within_device]
    notes = []
    bites = {name: any(not row.within_cpu for row in rows) for name, rows in by_profile.items()}
    if bites.get(DEFAULT_PROFILE):
        notes.append(f"the {DEFAULT_PROFILE} profile moves {sum(not r.within_cpu for r in by_profile[DEFAULT_PROFILE])} "
                     "section(s) beyond their CPU tolerance: it carries the check that the simulation bites")
    else:
        if DEFAULT_PROFILE in by_profile:
            notes.append(f"the {DEFAULT_PROFILE} profile perturbs too little to exceed any CPU tolerance: "
                         "the strict profile carries the check that the simulation bites")
        if not bites.get("strict"):
            problems.append("no section differs beyond its CPU tolerance under any profile: the simulation "
                            "did not perturb the printed numbers, so it proves nothing about the device tolerances")
    return problems, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="compare recorded outputs with snippets/*.out")
    report.add_argument("directory", type=Path,
                        help="one recording, or a directory of one recording per profile (<profile>/)")
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
    recordings = profile_recordings(args.directory)
    try:
        if recordings:
            by_profile = {name: compare_recorded(path) for name, path in recordings.items()}
        else:
            rows = compare_recorded(args.directory)
    except snippets.SnippetError as error:
        print(error, file=sys.stderr)
        return 1
    if recordings:
        print(format_profiles(by_profile))
        problems, notes = check_profiles(by_profile)
        for note in notes:
            print(f"NOTE: {note}")
    else:
        print(format_report(rows))
        problems = check(rows)
    if args.check:
        for problem in problems:
            print(f"FAIL: {problem}", file=sys.stderr)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
