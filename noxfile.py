"""Every task of the project, as a nox session (`nox -l` lists them).

    nox -s test      the whole suite on CPU, and on GPU where an NVIDIA GPU is present;
                     then the browser tests (e2e) where Chromium is installed
    nox -s simulate  the suite under the device simulation (TF32 products, other reduction
                     order) with the device tolerances, under its two profiles (measured on
                     an H200, and strict); fails unless the simulation bites
    nox -s e2e       the built site in headless Chromium, every page of every language
    nox -s serve     the site, every language, with live reload on http://127.0.0.1:8000/
    nox -s docs      build the site into site/ (strict)
    nox -s outputs   regenerate: snippets/*.out and notebooks/ (review the diff)
    nox -s translations  status of every translation; -- --mark-fresh PAGE after updating one
    nox -s realdata  the page checks against the real Keras datasets (downloads them)
    nox -s bench     suite, build, serve and page figures (benchmarks/results.json, README table)
    nox -s lock      hash every pin of requirements/*.txt, keeping the versions; upgrading =
                     edit (TENSORFLOW, base.in, nox.in), run this, review the diff

Environments come from the lock files only, so every machine runs the same versions, and
the same files: every pin carries its sha256 hashes and every install verifies them (uv
with --require-hashes). The one exception is the editable install of the project itself
(`-e .`, with --no-deps): it is this working tree, not a download.
"""

from __future__ import annotations

import os
import re
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
#: What `nox -s lock` pins, with hashes: requirements/<name>.txt from these sources. nox.txt is
#: what runs the sessions (the README's first command installs it with pip --require-hashes).
LOCKS = {
    **{build: [tensorflow, "-r requirements/base.in"] for build, tensorflow in BUILDS.items()},
    "nox": ["-r requirements/nox.in"],
}


def install_project(session: nox.Session) -> None:
    """The one install that verifies no hash: the project itself, editable, from this working
    tree (nothing is downloaded; --no-deps, its dependencies come hash-checked from a lock file)."""
    session.install("--no-deps", "-e", ".")


def install(session: nox.Session, build: str = "cpu") -> None:
    # Compile bytecode at install time: uv does not by default, and where
    # PYTHONDONTWRITEBYTECODE is set nothing ever does, so every process would recompile
    # what it imports (import tensorflow: 9.1 s instead of 3.7 s on 2 cores).
    # --require-hashes: every package must match a sha256 of the lock file, or nothing installs.
    session.install("--compile-bytecode", "--require-hashes", "-r", f"requirements/{build}.txt")
    install_project(session)


def pinned(name: str, lock: str = "cpu") -> str:
    """``name==version`` as requirements/<lock>.txt pins it (for installs of a few packages)."""
    text = Path(f"requirements/{lock}.txt").read_text(encoding="utf-8")
    match = re.search(rf"^({re.escape(name)}==\S+)", text, re.MULTILINE | re.IGNORECASE)
    if not match:
        raise ValueError(f"requirements/{lock}.txt pins no {name}: add it to requirements/base.in "
                         "and run `nox -s lock`")
    return match.group(1)


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


#: The device simulation's profiles (docs_tools/running/device.py), the default first: what one
#: H200 was measured to do, and every float32 product in TF32 (stricter).
SIMULATION_PROFILES = ["measured", "strict"]
#: Under the strict profile the tests that read the executions: the page checks and the claims.
STRICT_TESTS = ["docs", "tests/running/test_guides.py"]


def strict_tests(posargs: list[str]) -> list[str]:
    """What the strict profile runs: the posargs if they name tests, else STRICT_TESTS with
    them (options such as --deselect apply to both profiles)."""
    words = iter(posargs)
    for word in words:
        if word in _PYTEST_OPTIONS_WITH_VALUE:
            next(words, None)  # --deselect PATH::TEST names a test to leave out, not one to run
        elif not word.startswith("-") and Path(word.split("::")[0]).exists():
            return list(posargs)
    return [*STRICT_TESTS, *posargs]


_PYTEST_OPTIONS_WITH_VALUE = {"--deselect", "--ignore", "--ignore-glob", "-k", "-m", "-p", "-o",
                              "--maxfail", "--rootdir", "-c", "--confcutdir", "--basetemp"}


@nox.session
def simulate(session: nox.Session) -> None:
    """The suite as a GPU with TensorFloat-32 would run it (docs_tools/running/device.py), with the
    device tolerances, under each profile of the simulation: the whole suite under the measured
    one, the page checks and claims under the strict one. Tests named after -- replace both;
    options after -- (-x, --deselect ...) apply to both."""
    install(session)
    for profile in SIMULATION_PROFILES:  # recording() empties each profile's directory first
        env = {"TFGUIDES_TENSORFLOW": "cpu", "TFGUIDES_SIMULATE_DEVICE": "1", "TFGUIDES_DEVICE_PROFILE": profile,
               **recording(SIMULATED_OUTPUTS / profile)}
        session.run("pytest", *(strict_tests(session.posargs) if profile == "strict" else session.posargs), env=env)
    # Under every profile, every section within its device tolerance; and at least one beyond its
    # CPU tolerance (under the measured profile, or, if it perturbs too little, the strict one).
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
    A small environment: only what reading pages needs, at the versions of the lock file,
    verified against its hashes (the packages are named at their pins, so that uv's hash
    mode accepts them; their dependencies take version and hashes from the constraints).
    """
    session.install("--require-hashes", "-c", "requirements/cpu.txt",
                    *(pinned(name) for name in ("mkdocs", "markdown-it-py", "mdit-py-plugins", "pyyaml", "polib")))
    install_project(session)
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
    """Pin requirements/<name>.txt from its sources (LOCKS), every pin with its sha256 hashes.

    The versions the lock files already pin are kept (uv prefers the versions of an existing
    output file); only what an edit of the sources needs moves. `nox -s lock -- --upgrade`
    (or `-- --upgrade-package NAME`) moves the rest too. Review the diff of requirements/.
    """
    session.install("--require-hashes", "-r", "requirements/nox.txt")  # uv, at its pin and hashes
    for name, sources in LOCKS.items():
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / f"{name}.in"
            source.write_text("".join(line.replace("-r requirements/", f"-r {Path('requirements').resolve()}/") + "\n"
                                      for line in sources))
            session.run("uv", "pip", "compile", "--quiet", "--generate-hashes", *LOCK_PLATFORM,
                        "--custom-compile-command", "nox -s lock", "--no-annotate",
                        *session.posargs, str(source), "-o", f"requirements/{name}.txt")
