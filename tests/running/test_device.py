"""The outputs policy on other machines: tolerances, the device simulation, the report and
the GPU session (with a fake GPU; our machines have none). See docs_tools/running/compare.py."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
import types
from pathlib import Path

import keras
import numpy as np
import pytest
import tensorflow as tf

from docs_tools.running import compare, device, offline
from docs_tools import snippets

ROOT = Path(__file__).resolve().parents[2]


# --- tolerances -------------------------------------------------------------------------

def test_cpu_runs_use_the_cpu_tolerance_even_for_device_dependent_sections(monkeypatch):
    monkeypatch.delenv(compare.DEVICE_CHECK_VARIABLE, raising=False)
    options = {"rtol": 1e-5, "atol": 1e-6, "device_rtol": 2e-3}
    assert not compare.device_run()
    assert compare.tolerance(options) == {"rtol": 1e-5, "atol": 1e-6}


def test_device_runs_use_the_device_tolerance_never_stricter_than_the_cpu_one(monkeypatch):
    monkeypatch.setenv(compare.DEVICE_CHECK_VARIABLE, "1")
    assert compare.device_run()
    assert compare.tolerance({"rtol": 1e-5, "atol": 1e-6, "device_rtol": 2e-3}) == {"rtol": 2e-3, "atol": 1e-6}
    assert compare.tolerance({"rtol": 1e-3, "atol": 1e-6, "device_rtol": 1e-4}) == {"rtol": 1e-3, "atol": 1e-6}
    # A section that states nothing for devices is held to the CPU tolerance everywhere.
    assert compare.tolerance(dict(snippets.DEFAULT_OPTIONS)) == snippets.DEFAULT_OPTIONS


def test_device_options_are_known_and_must_be_numbers(tmp_path):
    path = tmp_path / "mod.py"
    path.write_text("# --8<-- [start:a]\n#| device_rtol: 2e-3\n#| device_atol: 1e-3\nx = 1\n# --8<-- [end:a]\n")
    assert snippets.sections(path)["a"].options == {"rtol": 1e-5, "atol": 1e-6,
                                                   "device_rtol": 2e-3, "device_atol": 1e-3}
    path.write_text("# --8<-- [start:a]\n#| device_rtol: loose\nx = 1\n# --8<-- [end:a]\n")
    with pytest.raises(snippets.SnippetError, match=r"mod.py:2: .*not a number"):
        snippets.sections(path)


# --- the simulation ---------------------------------------------------------------------

@pytest.mark.parametrize("ties", [device.EVEN, device.AWAY])
@pytest.mark.parametrize("value, even, away", [
    (1 + 2**-12, 1.0, 1.0),  # below half a TF32 step (2**-10): down
    (1 + 3 * 2**-12, 1 + 2**-10, 1 + 2**-10),  # above half a step: up
    (1 + 2**-11, 1.0, 1 + 2**-10),  # exactly half, kept last bit even (0): even stays, away goes up
    (1 + 3 * 2**-11, 1 + 2**-9, 1 + 2**-9),  # exactly half, kept last bit odd: both go up
    (-(1 + 2**-11), -1.0, -(1 + 2**-10)),  # away from zero, for negatives too
    (-(1 + 3 * 2**-12), -(1 + 2**-10), -(1 + 2**-10)),
    (1 + 2**-10, 1 + 2**-10, 1 + 2**-10),  # already TF32
    (0.0, 0.0, 0.0),
    (np.inf, np.inf, np.inf),
])
def test_tf32_rounding_keeps_ten_mantissa_bits(value, even, away, ties):
    rounded = even if ties == device.EVEN else away
    assert device.to_tf32(tf.constant([value], tf.float32), ties).numpy()[0] == np.float32(rounded)


@pytest.mark.parametrize("ties", [device.EVEN, device.AWAY])
def test_tf32_rounding_error_is_at_most_half_a_step_and_nan_stays_nan(ties):
    values = np.random.default_rng(0).normal(size=1000).astype(np.float32) * 100
    rounded = device.to_tf32(tf.constant(values), ties).numpy()
    assert np.all(np.abs(rounded - values) <= np.abs(values) * 2.0**-11)
    assert np.all(rounded.view(np.int32) & 0x1FFF == 0)  # the 13 dropped bits are zero
    assert (rounded != values).mean() > 0.99
    assert np.isnan(device.to_tf32(tf.constant([np.nan]), ties).numpy()[0])


def test_ties_to_even_and_ties_away_differ_only_at_ties():
    bits = np.random.default_rng(1).integers(0x3F800000, 0x40000000, size=20000, dtype=np.int64).astype(np.int32)
    values = bits.view(np.float32)
    even = device.to_tf32(tf.constant(values), device.EVEN).numpy()
    away = device.to_tf32(tf.constant(values), device.AWAY).numpy()
    ties = (bits & 0x1FFF) == 0x1000
    assert np.all(even[~ties] == away[~ties]) and np.any(ties)
    # At a tie, even keeps a TF32 mantissa whose last kept bit is 0.
    assert np.all((even[ties].view(np.int32) >> 13) & 1 == 0)


def test_tf32_rounding_passes_gradients_straight_through():
    x = tf.Variable([1 + 2**-12, 3.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(device.to_tf32(x, device.EVEN) * 2.0)
    assert tape.gradient(y, x).numpy().tolist() == [2.0, 2.0]


def _patched() -> bool:
    from tensorflow.python.ops import gen_math_ops
    return hasattr(gen_math_ops.mat_mul, "tfguides_original")


@pytest.fixture
def simulated_products(monkeypatch):
    """TF32 products for one test (under `nox -s simulate` they are on for the whole run),
    under the strict profile: every float32 product rounded (the tests of the measured
    profile set it)."""
    monkeypatch.setenv(device.PROFILE_VARIABLE, "strict")
    already = _patched()
    device.patch_ops()
    try:
        yield
    finally:
        if not already:
            device.restore_ops()


#: 1 + 2**-12 is not a TF32 number: a sum of n products with 1 is n * 1.000244 in float32,
#: exactly n in TF32.
_OFF_GRID = 1 + 2**-12


def _x(*shape):
    return tf.fill(shape, _OFF_GRID)


@pytest.mark.parametrize("name, call, terms", [
    ("tf.matmul", lambda: tf.matmul(_x(1, 2), tf.ones((2, 1))), 2),
    ("tf.linalg.matmul", lambda: tf.linalg.matmul(_x(1, 2), tf.ones((2, 1))), 2),
    ("@", lambda: _x(1, 2) @ tf.ones((2, 1)), 2),
    ("tf.tensordot", lambda: tf.tensordot(_x(2), tf.ones((2,)), axes=1), 2),
    ("batch matmul", lambda: tf.matmul(_x(3, 1, 2), tf.ones((3, 2, 1))), 2),
    ("tf.einsum", lambda: tf.einsum("ij,jk->ik", _x(1, 2), tf.ones((2, 1))), 2),
    ("tf.function", lambda: tf.function(lambda a: tf.matmul(a, tf.ones((2, 1))))(_x(1, 2)), 2),
    ("keras.ops.matmul", lambda: keras.ops.matmul(_x(1, 2), keras.ops.ones((2, 1))), 2),
    ("Dense", lambda: keras.layers.Dense(1, kernel_initializer="ones", use_bias=False)(_x(1, 2)), 2),
    ("Conv2D", lambda: keras.layers.Conv2D(1, 2, kernel_initializer="ones", use_bias=False)(_x(1, 2, 2, 1)), 4),
    ("Conv1D", lambda: keras.layers.Conv1D(1, 2, kernel_initializer="ones", use_bias=False)(_x(1, 2, 1)), 2),
])
def test_the_simulation_reaches_every_way_the_guides_multiply(simulated_products, name, call, terms):
    before = device.rounded_inputs
    result = np.asarray(call())
    assert device.rounded_inputs - before >= 2, f"{name}: the inputs were not rounded to TF32"
    assert np.all(result == np.float32(terms)), f"{name}: {result} is not the TF32 product {terms}"


def test_unknown_profile_is_refused(monkeypatch):
    monkeypatch.delenv(device.PROFILE_VARIABLE, raising=False)
    assert device.profile() == "measured"
    monkeypatch.setenv(device.PROFILE_VARIABLE, "loose")
    with pytest.raises(ValueError, match="no such profile.*measured, strict"):
        device.profile()


#: 1 + 3 * 2**-11 is a tie between two TF32 numbers: ties to even gives 1 + 2**-9, ties away
#: gives 1 + 2**-9 too; 1 + 2**-11 is a tie that even rounds down (1) and away rounds up.
_TIE = 1 + 2**-11
_EVEN_SUM, _AWAY_SUM = 1.0, 1 + 2**-10


def _matmul(k: int, transpose: bool = False):
    a = tf.fill((1, k), _TIE)
    if transpose:
        return tf.matmul(tf.transpose(a), tf.ones((k, 1)), transpose_a=True)[0, 0].numpy()
    return tf.matmul(a, tf.ones((k, 1)))[0, 0].numpy()


def _conv(channels: int):
    layer = keras.layers.Conv2D(1, 1, kernel_initializer="ones", use_bias=False)
    return np.asarray(layer(tf.fill((1, 1, 1, channels), _TIE)))[0, 0, 0, 0]


@pytest.mark.parametrize("k, expected", [
    (2, np.float32(_TIE) * 2),  # measured: float32 (K = 2, the linear classifier)
    (3, np.float32(_TIE) * 3),  # not measured: float32, as K = 2 (our choice)
    (4, 4 * _EVEN_SUM),  # measured: TF32, ties to even
    (128, 128 * _EVEN_SUM),
])
def test_measured_profile_matrix_products_by_inner_size(simulated_products, monkeypatch, k, expected):
    monkeypatch.setenv(device.PROFILE_VARIABLE, "measured")
    assert _matmul(k) == np.float32(expected)
    assert _matmul(k, transpose=True) == np.float32(expected)  # K read through the transpose
    assert tf.einsum("ij,jk->ik", tf.fill((1, k), _TIE), tf.ones((k, 1)))[0, 0].numpy() == np.float32(expected)
    assert keras.layers.Dense(1, kernel_initializer="ones", use_bias=False)(
        tf.fill((1, k), _TIE))[0, 0].numpy() == np.float32(expected)


@pytest.mark.parametrize("channels, expected", [
    (16, np.float32(_TIE) * 16),  # measured: float32 up to 16 input channels
    (17, 17 * _AWAY_SUM),  # not measured (17 to 31): TF32, ties away (our choice)
    (32, 32 * _AWAY_SUM),  # measured: TF32, ties away
])
def test_measured_profile_convolutions_by_input_channels(simulated_products, monkeypatch, channels, expected):
    monkeypatch.setenv(device.PROFILE_VARIABLE, "measured")
    assert _conv(channels) == np.float32(expected)


def test_strict_profile_rounds_every_product_ties_away(simulated_products):
    assert _matmul(2) == np.float32(2 * _AWAY_SUM)
    assert _matmul(128) == np.float32(128 * _AWAY_SUM)
    assert _conv(16) == np.float32(16 * _AWAY_SUM)


def test_rounding_rule_per_op_and_size():
    a, b = np.zeros((256, 784), np.float32), np.zeros((784, 64), np.float32)
    assert device.rounding("mat_mul", {"a": a, "b": b}, "measured") == device.EVEN
    assert device.rounding("mat_mul", {"a": a[:, :2], "b": b[:2]}, "measured") is None
    assert device.rounding("mat_mul", {"a": a[:, :2].T, "b": b[:2], "transpose_a": True}, "measured") is None
    assert device.rounding("batch_mat_mul_v2", {"x": np.zeros((3, 1, 2)), "y": np.zeros((3, 2, 5))},
                           "measured") is None
    assert device.rounding("einsum", {"inputs": [np.zeros((4, 8, 2)), np.zeros((2, 3))],
                                      "equation": "abc,cd->abd"}, "measured") is None
    assert device.rounding("einsum", {"inputs": [np.zeros((4, 8, 2)), np.zeros((4, 8, 3))],
                                      "equation": "abc,abd->cd"}, "measured") == device.EVEN  # K = 32
    # A size unknown at trace time counts as large.
    spec = tf.TensorSpec((None, None))
    assert device.rounding("mat_mul", {"a": spec, "b": spec}, "measured") == device.EVEN
    # Convolutions: input channels from the filter, else from the input and data format.
    assert device.rounding("conv2d", {"input": np.zeros((1, 8, 8, 3)), "filter": np.zeros((3, 3, 3, 32))},
                           "measured") is None
    assert device.rounding("conv2d", {"input": np.zeros((1, 8, 8, 64)), "filter": np.zeros((3, 3, 64, 8))},
                           "measured") == device.AWAY
    assert device.rounding("conv2d_backprop_filter", {"input": np.zeros((1, 32, 8, 8)), "data_format": "NCHW"},
                           "measured") == device.AWAY
    assert device.rounding("conv2d_backprop_filter", {"input": np.zeros((1, 8, 8, 8))}, "measured") is None
    assert device.rounding("mat_mul", {"a": a[:, :2], "b": b[:2]}, "strict") == device.AWAY


def test_without_the_simulation_products_are_float32(simulated_products):
    device.restore_ops()
    try:
        before = device.rounded_inputs
        result = tf.matmul(_x(1, 2), tf.ones((2, 1))).numpy()
        assert device.rounded_inputs == before and result[0, 0] == np.float32(_OFF_GRID) * 2
    finally:
        device.patch_ops()  # as it was for the rest of the test; the fixture restores


def test_the_simulation_rounds_the_backward_pass_of_training(simulated_products):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, use_bias=False)])
    model.compile(optimizer="sgd", loss="mse")
    before = device.rounded_inputs
    model.fit(np.ones((4, 2), np.float32), np.ones((4, 1), np.float32), epochs=1, verbose=0)
    # The forward product, and the backward product for the kernel's gradient, both rounded.
    assert device.rounded_inputs - before >= 4


def test_simulation_refuses_to_start_after_tensorflow_without_its_environment(monkeypatch):
    already = _patched()
    monkeypatch.delenv("TF_ENABLE_ONEDNN_OPTS", raising=False)
    with pytest.raises(RuntimeError, match="TF_ENABLE_ONEDNN_OPTS=0.*nox -s simulate"):
        device.simulate()
    assert _patched() == already  # it refused before changing anything


def test_every_run_starts_the_simulation_when_the_environment_asks(monkeypatch):
    started = []
    monkeypatch.setattr(device, "simulate", lambda: started.append(True))
    monkeypatch.setenv("TFGUIDES_REAL_DATA", "1")  # enter() stops after the simulation
    monkeypatch.delenv(device.SIMULATE_VARIABLE, raising=False)
    offline.enter()
    assert started == []
    monkeypatch.setenv(device.SIMULATE_VARIABLE, "1")
    offline.enter()
    assert started == [True]


# --- the report -------------------------------------------------------------------------

@pytest.fixture
def guide(tmp_path, monkeypatch):
    """A one-guide snippets/ folder: a section with device tolerance, one without."""
    folder = tmp_path / "snippets"
    folder.mkdir()
    (folder / "g.py").write_text(textwrap.dedent("""\
        # --8<-- [start:trained]
        #| device_rtol: 1e-3
        print("loss 2.2375")
        # --8<-- [end:trained]
        # --8<-- [start:shape]
        print("shape (2, 3) 0.5")
        # --8<-- [end:shape]
        """))
    snippets.write_outputs(folder / "g.py", {"trained": "loss 2.2375", "shape": "shape (2, 3) 0.5"}, "CPU")
    monkeypatch.setattr(snippets, "SNIPPETS_DIR", folder)
    return tmp_path / "recorded"


def _record(directory: Path, printed: dict[str, str]) -> None:
    directory.mkdir(exist_ok=True)
    snippets.write_outputs(directory / "g.py", printed, "recorded")


def test_report_measures_each_section_against_both_tolerances(guide):
    _record(guide, {"trained": "loss 2.2374", "shape": "shape (2, 3) 0.5"})
    rows = {row.ref.rpartition(":")[2]: row for row in device.compare_recorded(guide)}
    trained = rows["trained"]
    assert trained.largest == pytest.approx(1 / 22375) and not trained.within_cpu and trained.within_device
    assert rows["shape"].largest == 0 and rows["shape"].within_cpu
    text = device.format_report(list(rows.values()))
    assert "trained: largest relative difference 4.47e-05; CPU: EXCEEDS rtol=1e-05" in text
    assert "device: within rtol=0.001" in text and "1 print exactly the committed output" in text
    assert device.check(list(rows.values())) == []  # the simulation bit, within the policy


def test_report_check_fails_beyond_a_device_tolerance_or_when_nothing_moved(guide):
    _record(guide, {"trained": "loss 2.2375", "shape": "shape (2, 3) 0.50001"})
    problems = device.check(device.compare_recorded(guide))
    assert any("shape differs beyond its device tolerance" in p for p in problems)
    _record(guide, {"trained": "loss 2.2375", "shape": "shape (2, 3) 0.5"})
    assert "proves nothing" in device.check(device.compare_recorded(guide))[0]
    _record(guide, {"trained": "loss 2.2375", "shape": "shape (2, 4) 0.5"})
    row = device.compare_recorded(guide)[1]
    assert row.largest == pytest.approx(1 / 3) and not row.within_device
    _record(guide, {"trained": "loss 2.2375", "shape": "rank 2"})
    assert device.compare_recorded(guide)[1].largest is None


def _record_profiles(directory: Path, measured: dict[str, str], strict: dict[str, str]) -> None:
    directory.mkdir(exist_ok=True)
    _record(directory / "measured", measured)
    _record(directory / "strict", strict)


def test_report_gives_each_section_under_both_profiles(guide, capsys):
    _record_profiles(guide, {"trained": "loss 2.2374", "shape": "shape (2, 3) 0.5"},
                     {"trained": "loss 2.2372", "shape": "shape (2, 3) 0.5"})
    assert device.main(["report", "--check", str(guide)]) == 0
    out = capsys.readouterr().out
    assert "  trained: measured 4.47e-05 (CPU: EXCEEDS rtol=1e-05" in out
    assert "; strict 1.34e-04 (CPU: EXCEEDS" in out
    assert "measured: 1 of 2 sections differ, 1 beyond their CPU tolerance, 0 beyond their device tolerance" in out
    assert "NOTE: the measured profile moves 1 section(s) beyond their CPU tolerance" in out


def test_report_says_when_the_strict_profile_carries_the_bite(guide, capsys):
    _record_profiles(guide, {"trained": "loss 2.2375", "shape": "shape (2, 3) 0.5"},
                     {"trained": "loss 2.2374", "shape": "shape (2, 3) 0.5"})
    assert device.main(["report", "--check", str(guide)]) == 0
    assert "NOTE: the measured profile perturbs too little to exceed any CPU tolerance: the strict " \
           "profile carries" in capsys.readouterr().out
    # Neither bites: fail.
    _record_profiles(guide, {"trained": "loss 2.2375", "shape": "shape (2, 3) 0.5"},
                     {"trained": "loss 2.2375", "shape": "shape (2, 3) 0.5"})
    assert device.main(["report", "--check", str(guide)]) == 1
    assert "under any profile" in capsys.readouterr().err


def test_report_check_holds_every_profile_to_the_device_tolerance(guide, capsys):
    _record_profiles(guide, {"trained": "loss 2.2374", "shape": "shape (2, 3) 0.5"},
                     {"trained": "loss 2.2374", "shape": "shape (2, 3) 0.50001"})
    assert device.main(["report", "--check", str(guide)]) == 1
    assert "shape differs beyond its device tolerance under the strict profile" in capsys.readouterr().err


def test_report_names_a_missing_recording(guide, capsys):
    assert device.main(["report", str(guide)]) == 1
    assert "holds no recorded outputs" in capsys.readouterr().err
    _record(guide, {"trained": "loss 2.2375"})
    with pytest.raises(snippets.SnippetError, match="no output for section 'shape'"):
        device.compare_recorded(guide)


# --- the GPU session, with a fake GPU -----------------------------------------------------

def test_gpu_check_passes_with_a_gpu_and_fails_clearly_without(monkeypatch, capsys):
    fake = types.SimpleNamespace(name="/physical_device:GPU:0", device_type="GPU")
    monkeypatch.setattr(tf.config, "list_physical_devices",
                        lambda kind=None: [fake] if kind == "GPU" else [])
    assert device.main(["gpu"]) == 0
    assert "TensorFlow sees /physical_device:GPU:0" in capsys.readouterr().out
    monkeypatch.setattr(tf.config, "list_physical_devices", lambda kind=None: [])
    assert device.main(["gpu"]) == 1
    assert "TensorFlow sees no GPU" in capsys.readouterr().err


class _Skipped(Exception):
    pass


class _Session:
    """What the noxfile's sessions call on nox.Session, recorded."""

    def __init__(self):
        self.runs, self.posargs = [], []

    def install(self, *args):
        pass

    def run(self, *args, env=None):
        self.runs.append((args, env or {}))

    def skip(self, message):
        raise _Skipped(message)

    def error(self, message):
        raise _Skipped(message)

    warn = log = notify = lambda self, *args: None


@pytest.fixture
def noxfile(monkeypatch):
    """noxfile.py, imported with a stand-in for nox (not installed in the test environment)."""
    fake_nox = types.ModuleType("nox")
    fake_nox.options = types.SimpleNamespace()
    fake_nox.Session = _Session
    fake_nox.session = lambda *args, **kwargs: args[0] if args and callable(args[0]) else (lambda f: f)
    fake_nox.parametrize = lambda *args, **kwargs: (lambda f: f)
    monkeypatch.setitem(sys.modules, "nox", fake_nox)
    spec = importlib.util.spec_from_file_location("noxfile_under_test", ROOT / "noxfile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(module, "recording", lambda directory: {
        "TFGUIDES_DEVICE_CHECK": "1", "TFGUIDES_RECORD_OUTPUTS": str(directory.resolve())})
    return module


def test_gpu_session_checks_the_gpu_then_runs_the_suite_with_device_tolerances(noxfile, monkeypatch):
    monkeypatch.delenv("NVIDIA_TF32_OVERRIDE", raising=False)
    monkeypatch.setattr(noxfile, "gpu_present", lambda: True)
    session = _Session()
    noxfile.test(session, "gpu")
    commands = [args for args, _ in session.runs]
    assert commands[0] == ("python", "-m", "docs_tools.running.device", "gpu")
    assert commands[1][0] == "pytest" and commands[2][:4] == ("python", "-m", "docs_tools.running.device", "report")
    env = session.runs[1][1]
    assert env["TFGUIDES_TENSORFLOW"] == "gpu" and env["TFGUIDES_DEVICE_CHECK"] == "1"
    assert env["TFGUIDES_RECORD_OUTPUTS"] == str(ROOT / "build" / "gpu-outputs")
    assert "NVIDIA_TF32_OVERRIDE" not in env  # TensorFloat-32 as readers get it


def test_gpu_session_refuses_tf32_override_and_skips_without_a_gpu(noxfile, monkeypatch):
    monkeypatch.setattr(noxfile, "gpu_present", lambda: True)
    monkeypatch.setenv("NVIDIA_TF32_OVERRIDE", "0")
    with pytest.raises(_Skipped, match="NVIDIA_TF32_OVERRIDE is set"):
        noxfile.test(_Session(), "gpu")
    monkeypatch.setattr(noxfile, "gpu_present", lambda: False)
    with pytest.raises(_Skipped, match="did NOT run"):
        noxfile.test(_Session(), "gpu")


def test_cpu_session_is_no_device_run(noxfile, monkeypatch):
    monkeypatch.setattr(noxfile, "chromium", lambda: None)
    session = _Session()
    noxfile.test(session, "cpu")
    [(args, env)] = session.runs
    assert args[0] == "pytest" and env == {"TFGUIDES_TENSORFLOW": "cpu"}


def test_simulate_session_runs_both_profiles_then_checks_the_recordings(noxfile):
    session = _Session()
    noxfile.simulate(session)
    (measured_args, measured), (strict_args, strict), (report, _) = session.runs
    assert measured_args == ("pytest",)  # the whole suite under the default profile
    assert strict_args == ("pytest", "docs", "tests/running/test_guides.py")  # what reads the executions
    for name, env in (("measured", measured), ("strict", strict)):
        assert env["TFGUIDES_SIMULATE_DEVICE"] == "1" and env["TFGUIDES_DEVICE_PROFILE"] == name
        assert env["TFGUIDES_DEVICE_CHECK"] == "1"
        assert env["TFGUIDES_RECORD_OUTPUTS"] == str(ROOT / "build" / "simulated-outputs" / name)
    assert report == ("python", "-m", "docs_tools.running.device", "report", "--check",
                      str(Path("build/simulated-outputs")))
    assert noxfile.strict_tests(["-x"]) == ["docs", "tests/running/test_guides.py", "-x"]
    assert noxfile.strict_tests(["docs/en/guides/tensors.md", "-x"]) == ["docs/en/guides/tensors.md", "-x"]
    assert noxfile.strict_tests(["--deselect", "docs/en/guides/tensors.md::x"]) == [
        "docs", "tests/running/test_guides.py", "--deselect", "docs/en/guides/tensors.md::x"]


# --- provenance -------------------------------------------------------------------------

def test_every_output_file_says_where_it_was_produced():
    from docs_tools.running import versions

    for module in snippets.modules():
        found = snippets.provenance(module)
        assert (found["tensorflow"], found["keras"]) == (versions.pinned()["tensorflow"], versions.pinned()["keras"])
        assert found["device"].startswith("CPU, "), f"{module.name}: produced on {found['device']!r}"


def test_committed_outputs_are_never_produced_under_the_simulation(monkeypatch):
    monkeypatch.delenv(device.SIMULATE_VARIABLE, raising=False)
    assert device.kind().startswith("CPU, ")
    monkeypatch.setenv(device.SIMULATE_VARIABLE, "1")
    with pytest.raises(RuntimeError, match="never produced under the device simulation"):
        device.kind()
