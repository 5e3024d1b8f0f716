"""Every task of the project, as a nox session (`nox -l` lists them).

    nox -s test      the whole suite on CPU, and on GPU where an NVIDIA GPU is present;
                     then the browser tests (e2e) where Chromium is installed
    nox -s simulate  the suite under the device simulation (TF32 products, other reduction
                     order) with the device tolerances; fails unless the simulation bites
    nox -s e2e       the built site in headless Chromium, every page of every language
    nox -s serve     the site, every language, with live reload on http://127.0.0.1:8000/
    nox -s docs      build the site into site/ (strict)
    nox -s outputs   regenerate: snippets/*.out and notebooks/ (review the diff)
    nox -s translations  status of every translation; -- --mark-fresh PAGE after updating one
    nox -s realdata  the page checks against the real Keras datasets (downloads them)
    nox -s bench     suite, build, serve and page figures (benchmarks/results.json, README table)
    nox -s lock      re-pin requirements/*.txt; upgrading TensorFlow = edit TENSORFLOW, run this

Environments come from the lock files only, so every machine runs the same versions.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import nox

nox.options.default_venv_backend = "uv"
nox.options.sessions = ["test"]
# Reuse environments between runs: installing is then a quick no-op check. `nox -s lock`
# changes the lock files, and the next install brings each environment up to them.
nox.options.reuse_venv = "yes"
nox.options.error_on_missing_interpreters = True

#: The TensorFlow release the guides are written for. Changing it is one deliberate step:
#: edit, `nox -s lock`, `nox -s outputs`, `nox -s test`, and read the diffs.
TENSORFLOW = "2.21.0"
BUILDS = {
    "cpu": f"tensorflow-cpu=={TENSORFLOW}",
    "gpu": f"tensorflow[and-cuda]=={TENSORFLOW}",
}
LOCK_PLATFORM = ["--python-version", "3.11", "--python-platform", "x86_64-manylinux_2_28"]


def install(session: nox.Session, build: str = "cpu") -> None:
    # Compile bytecode at install time: uv does not by default, and where
    # PYTHONDONTWRITEBYTECODE is set nothing ever does, so every process would recompile
    # what it imports (import tensorflow: 9.1 s instead of 3.7 s on 2 cores).
    session.install("--compile-bytecode", "-r", f"requirements/{build}.txt")
    session.install("--no-deps", "-e", ".")


def gpu_present() -> bool:
    if not shutil.which("nvidia-smi"):
        return False
    listed = subprocess.run(["nvidia-smi", "-L"], capture_output=True, text=True)
    return listed.returncode == 0 and "GPU" in listed.stdout


#: Where the GPU session and the simulation record what the guides printed (.out format),
#: for `python -m docs_tools.running.device report DIR` and for a maintainer to read.
GPU_OUTPUTS = Path("build/gpu-outputs")
SIMULATED_OUTPUTS = Path("build/simulated-outputs")


def recording(directory: Path) -> dict[str, str]:
    """The environment of a device run: device tolerances, outputs recorded to ``directory``."""
    shutil.rmtree(directory, ignore_errors=True)
    return {"TFGUIDES_DEVICE_CHECK": "1", "TFGUIDES_RECORD_OUTPUTS": str(directory.resolve())}


@nox.session
@nox.parametrize("tensorflow", list(BUILDS))
def test(session: nox.Session, tensorflow: str) -> None:
    """Snippets, page outputs, the strict build of every language and the built site."""
    if tensorflow == "gpu" and not gpu_present():
        session.skip("No NVIDIA GPU here (nvidia-smi lists none): the GPU variant did NOT run. "
                     "It runs the same suite, and asserts TensorFlow sees the GPU, where one is.")
    env = {"TFGUIDES_TENSORFLOW": tensorflow}
    if tensorflow == "gpu":
        # TensorFloat-32 stays on, as every reader with an Ampere or newer GPU gets it: the
        # check proves the policy for the default a reader runs (docs/en/running.md#other-machines).
        if os.environ.get("NVIDIA_TF32_OVERRIDE") is not None:
            session.error("NVIDIA_TF32_OVERRIDE is set: unset it. The GPU check runs with "
                          "TensorFlow's default (TensorFloat-32 on), the one readers get.")
        env |= recording(GPU_OUTPUTS)
    install(session, tensorflow)
    if tensorflow == "gpu":
        session.run("python", "-m", "docs_tools.running.device", "gpu")  # fails clearly if TF sees none
    session.run("pytest", *session.posargs, env=env)
    if tensorflow == "gpu":
        session.run("python", "-m", "docs_tools.running.device", "report", str(GPU_OUTPUTS))
    if tensorflow == "cpu":
        if chromium():
            session.notify("e2e")
        else:
            session.warn("The browser tests did NOT run: no Chromium here. Install it "
                         "(apt-get install -y chromium) or set CHROMIUM, then run `nox -s e2e`.")


@nox.session
def simulate(session: nox.Session) -> None:
    """The suite as an Ampere+ GPU would run it (docs_tools/running/device.py), with the device tolerances."""
    install(session)
    env = {"TFGUIDES_TENSORFLOW": "cpu", "TFGUIDES_SIMULATE_DEVICE": "1", **recording(SIMULATED_OUTPUTS)}
    session.run("pytest", *session.posargs, env=env)
    # Every section within its device tolerance, and at least one beyond its CPU tolerance.
    session.run("python", "-m", "docs_tools.running.device", "report", "--check", str(SIMULATED_OUTPUTS))


def chromium() -> str | None:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@nox.session
def e2e(session: nox.Session) -> None:
    """The built site in headless Chromium: every page, every language (screenshots in build/)."""
    if not chromium():
        session.error("No Chromium: install it (apt-get install -y chromium) or set CHROMIUM")
    install(session)
    session.run("pytest", "tests/e2e", "-m", "e2e", "--allow-hosts=127.0.0.1", *session.posargs)
    session.log("Screenshots: build/screenshots/")


@nox.session
def realdata(session: nox.Session) -> None:
    """The page checks with the real Keras datasets instead of the offline stand-ins.

    Needs the internet: the loaders download into ~/.keras/datasets the first time.
    """
    install(session)
    session.run("pytest", "docs", "tests/running/test_datasets.py", "--force-enable-socket", *session.posargs,
                env={"TFGUIDES_REAL_DATA": "1"})


@nox.session
def docs(session: nox.Session) -> None:
    """Build the whole site into site/."""
    install(session)
    session.run("python", "-m", "docs_tools.site", "build", *session.posargs)


@nox.session
def serve(session: nox.Session) -> None:
    """Serve the whole site with live reload (pass --port N after --)."""
    install(session)
    session.run("python", "-m", "docs_tools.site", "serve", *session.posargs)


@nox.session
def outputs(session: nox.Session) -> None:
    """Rerun the snippets, rewrite their output files, regenerate the notebooks."""
    install(session)
    session.run("python", "-m", "docs_tools.running.outputs", *session.posargs)
    session.run("python", "-m", "docs_tools.site.notebooks")


@nox.session
def translations(session: nox.Session) -> None:
    """Translation status; `-- --mark-fresh ru/guides/tensors.md` after updating a translation.

    Also: `-- --mark-fresh ru` (a language), `-- --mark-fresh --all`, `-- --check`,
    `-- --accept-behind PAGE --why "reason"` (docs_tools/translation/freshness.py says more).
    Then the code comments: what is untranslated or fuzzy in docs/comments/<lang>.po
    (docs_tools/translation/comments.py; `update` there adds new and changed comments).
    A small environment: only what reading pages needs, at the versions of the lock file.
    """
    session.install("-c", "requirements/cpu.txt", "mkdocs", "markdown-it-py", "mdit-py-plugins", "pyyaml", "polib")
    session.install("--no-deps", "-e", ".")
    session.run("python", "-m", "docs_tools.translation.freshness", *session.posargs)
    # The code comments' catalogues (docs/comments/<lang>.po): untranslated or fuzzy comments.
    # `python -m docs_tools.translation.comments update` brings them up to date with snippets/.
    session.run("python", "-m", "docs_tools.translation.comments", "check",
                success_codes=[0, 1] if "--check" not in session.posargs else [0])


@nox.session
def bench(session: nox.Session) -> None:
    """Medians of suite, build, serve and page figures; pass --runs N after --."""
    if not chromium():
        session.error("No Chromium: install it (apt-get install -y chromium) or set CHROMIUM")
    install(session)
    session.run("npm", "ci", "--prefix", "benchmarks", "--no-audit", "--no-fund", "--silent", external=True)
    session.run("python", "benchmarks/bench.py", *session.posargs)


@nox.session(venv_backend="uv")
def lock(session: nox.Session) -> None:
    """Resolve requirements/base.in plus each TensorFlow build into requirements/<build>.txt."""
    session.install("uv")
    for build, tensorflow in BUILDS.items():
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / f"{build}.in"
            source.write_text(f"{tensorflow}\n-r {Path('requirements/base.in').resolve()}\n")
            session.run("uv", "pip", "compile", "--quiet", "--upgrade", *LOCK_PLATFORM,
                        "--custom-compile-command", "nox -s lock",
                        "--no-annotate", str(source), "-o", f"requirements/{build}.txt")
