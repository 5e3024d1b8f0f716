"""Each guide's code, executed once, top to bottom, in a fresh Jupyter kernel: the one run
that every check, notebook and figure is made from.

A guide is a snippet module (``snippets/<guide>.py``): its sections, in file order, are
the code cells the guide page shows, in the same order (``tests/test_sources.py``). The
module is executed as a notebook of those cells, in a fresh kernel, as a reader who runs
the blocks in order would: network sockets blocked (127.0.0.1 allowed for the guides in
``network.LOOPBACK_GUIDES``, and the processes the code starts guarded the same way) and Keras
datasets replaced by offline stand-ins before any cell runs (``docs_tools.running.offline``), in an empty working directory
that is kept afterwards at ``build/run/<guide>/`` (files the code wrote, such as logs).

That single execution feeds:

- the sybil page checks (``docs_tools.running.page_checks``): one example per fence, comparing the
  section's printed output with the page;
- ``nox -s outputs``: it writes ``snippets/<guide>.out`` from it;
- the build (``docs_tools.site.notebooks``): executed notebooks in every language, and figures;
- the claim tests (``tests/running/test_guides.py``), through a probe: ``tests/running/probes/<guide>.py``,
  if present, runs in the same kernel after the last section and prints JSON of values
  the tests check. It is not part of the guide and never published.

``run_all`` executes the guides that need it in parallel kernels (one per core) and
caches each execution in ``build/executions/<guide>.ipynb`` under a key of everything the
execution depends on (``dependencies``): the module's code, its output file, the lock
files and installed packages, the machinery the kernel runs (this file and the modules
``offline.enter()`` imports, the dataset stand-ins among them), the probe, and the
environment variables that change what the code computes. A prose edit changes none of
them, so it reruns no code. Every execution is appended to ``build/executions/log.txt``
(guide, seconds, process), which is how the suite proves it ran each guide at most once.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import fcntl
import functools
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from docs_tools.running import in_process, network
from docs_tools import snippets

ROOT = snippets.ROOT
BUILD_DIR = ROOT / "build"
CACHE_DIR = BUILD_DIR / "executions"
RUN_DIR = BUILD_DIR / "run"
LOG = CACHE_DIR / "log.txt"
PROBES_DIR = ROOT / "tests" / "running" / "probes"
LOCK_FILES = sorted((ROOT / "requirements").glob("*.txt"))
MACHINERY_DIR = Path(__file__).parent.parent  # docs_tools/
#: What the kernel runs besides the guide: this module, and every module of the project
#: that ``offline.enter()`` imports (tests/running/test_execution.py checks the list is complete),
#: as paths under ``docs_tools/``.
MACHINERY = ["running/execution.py", "running/in_process.py", "snippets.py", "running/offline.py",
             "running/network.py", "running/datasets.py", "running/compare.py", "running/dot.py",
             "running/device.py", "running/sitecustomize/sitecustomize.py"]
#: Environment variables that change what the guides compute (real data, device simulation,
#: TensorFloat-32, oneDNN). Anything else in the environment does not enter the key.
ENVIRONMENT = ["TFGUIDES_REAL_DATA", "TFGUIDES_SIMULATE_DEVICE", "TFGUIDES_DEVICE_PROFILE", "TF_ENABLE_ONEDNN_OPTS",
               "NVIDIA_TF32_OVERRIDE", "CUDA_VISIBLE_DEVICES"]
#: Set to a directory to get each execution's printed outputs there, as ``<guide>.out``
#: files (the GPU session and the device simulation record what they printed).
RECORD_VARIABLE = "TFGUIDES_RECORD_OUTPUTS"
_PROBE_MARKER = "tfguides-probe:"


@dataclasses.dataclass
class Cell:
    """What one section did in the kernel."""

    ref: str
    printed: str  # stdout, with rich text (model.summary()) as plain text
    figures: list[bytes]  # PNG images the cell showed
    outputs: list  # the notebook outputs, normalised (start-up notices dropped)
    execution_count: int | None
    error: str | None = None  # this cell raised, or showed a value a script would not


@dataclasses.dataclass
class Execution:
    module: Path
    key: str
    cells: dict[str, Cell]  # section name -> its run, in module order; a failed run stops early
    probe: dict | None
    seconds: float
    error: str | None = None  # why the run stopped, naming the section
    cached: bool = False
    repeatable: bool = True  # False when the kernel died or timed out: such a run is not cached

    @property
    def guide(self) -> str:
        return self.module.stem

    def problems(self) -> list[str]:
        """Everything that makes this run unusable for a page, one message per problem."""
        if self.error:
            return [self.error]
        found = []
        for name, cell in self.cells.items():
            if cell.error:
                found.append(cell.error)
            if len(cell.figures) > 1:
                found.append(f"{cell.ref} draws {len(cell.figures)} figures; a section draws at most one")
        return found


# --- the key -----------------------------------------------------------------------------

def guide_module(guide: str) -> Path:
    return snippets.SNIPPETS_DIR / f"{guide}.py"


def probe_path(module: Path) -> Path:
    return PROBES_DIR / module.name


def dependencies(module: Path) -> list[Path]:
    """The files an execution of ``module`` depends on."""
    files = [module, snippets.output_path(module), *LOCK_FILES, probe_path(module)]
    files += [MACHINERY_DIR / name for name in MACHINERY]
    return files


@functools.lru_cache(maxsize=None)
def installed() -> str:
    """Every installed distribution, ``name==version``, a line each (in an execution's key)."""
    return "\n".join(sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions()))


def key(module: Path) -> str:
    digest = hashlib.sha256()
    for path in dependencies(module):
        digest.update(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"(absent)")
        digest.update(b"\0")
    for name in ENVIRONMENT:
        digest.update(f"{name}={os.environ.get(name, '')}\0".encode())
    digest.update(installed().encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


# --- running in a kernel -----------------------------------------------------------------

def notebook_of(module: Path) -> nbformat.NotebookNode:
    """The module as the notebook a reader runs: one code cell per section, in order."""
    cells = []
    for name, section in snippets.sections(module).items():
        cell = nbformat.v4.new_code_cell(section.code.rstrip("\n"))
        cell.metadata["tfguides"] = {"snippet": f"{module.relative_to(snippets.SNIPPETS_DIR).as_posix()}:{name}"}
        cells.append(cell)
    probe = probe_path(module)
    if probe.is_file():
        cell = nbformat.v4.new_code_cell(probe.read_text(encoding="utf-8"))
        cell.metadata["tfguides"] = {"probe": snippets.relative(probe)}
        cells.append(cell)
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                         "language_info": {"name": "python"}}
    return notebook


def run_directory(guide: str) -> Path:
    """The kernel's working directory of the guide's last execution (files its code wrote)."""
    return RUN_DIR / guide


def _kernel_env(ipython_dir: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # inline figures
    env["IPYTHONDIR"] = ipython_dir
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"
    env["COLUMNS"] = in_process.TERMINAL_COLUMNS  # summary tables as wide as on the pages
    # The environment's programs (Graphviz's `dot`, docs_tools/running/dot.py) even when this
    # process was started without activating it.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    # The kernel imports docs_tools from this checkout, whatever is installed.
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    return env


def _run_kernel(notebook: nbformat.NotebookNode, cwd: Path, guide: str) -> tuple[nbformat.NotebookNode, str | None, bool]:
    """Execute ``notebook`` in a fresh kernel; returns it with outputs, the error text if a
    cell failed (the cells before it keep their outputs), and whether the same inputs would
    give the same result (not so when the kernel died or timed out)."""
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    executed = copy.deepcopy(notebook)
    error, repeatable = None, True
    with tempfile.TemporaryDirectory(prefix="tfguides-kernel-") as work:
        startup = Path(work, "ipython", "profile_default", "startup")
        startup.mkdir(parents=True)
        # Hermetic kernel: no sockets, offline datasets (docs_tools.running.offline), before any cell runs.
        # A guide allowed loopback (network.LOOPBACK_GUIDES) gets it, and so do the processes
        # its code starts (network.guard_children).
        mode = network.mode(guide)
        (startup / "00-offline.py").write_text(
            "from docs_tools.running import network, offline\n"
            f"offline.enter({mode!r})\nnetwork.guard_children({mode!r})\n")
        # The kernel talks to us over Unix sockets in the scratch folder, not TCP ports.
        kernel = KernelManager(kernel_name="python3", transport="ipc", ip=str(Path(work, "kernel")),
                               connection_file=str(Path(work, "kernel.json")))
        client = NotebookClient(executed, km=kernel, timeout=900, allow_errors=False,
                                resources={"metadata": {"path": str(cwd)}})
        # The kernel process's own stderr (TensorFlow's C++ start-up notices) is kept out of
        # the terminal, and shown if the kernel dies.
        stderr = open(Path(work, "kernel.stderr"), "w+b")
        try:
            client.execute(env=_kernel_env(str(Path(work, "ipython"))), cwd=str(cwd), stderr=stderr)
        except CellExecutionError as failure:
            error = _ANSI.sub("", str(failure))
        except Exception as failure:  # the kernel died or timed out: say what it printed
            stderr.seek(0)
            tail = stderr.read().decode("utf-8", "replace")[-3000:]
            error = f"{type(failure).__name__}: {failure}\nthe kernel's stderr ended with:\n{tail}"
            repeatable = False
        finally:
            stderr.close()
            if kernel.has_kernel:  # nbclient leaves a kernel manager it did not create running
                kernel.shutdown_kernel(now=True)
    return executed, error, repeatable


#: TensorFlow's C++ runtime writes start-up notices to stderr (absl's "All log messages
#: before absl::InitializeLog()", glog-style "I0000 ..." lines about oneDNN or CPU
#: features). They depend on the machine, not on the guide, so published notebooks drop
#: exactly these lines; any other stderr output is kept.
_RUNTIME_LOG = re.compile(r"^(?:WARNING: All log messages before absl::InitializeLog\(\) is called are "
                          r"written to STDERR|[IWEF]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ \S+:\d+\] .*)\n?",
                          re.MULTILINE)
#: Rich text that Keras prints through the ``rich`` library (``model.summary()``) reaches
#: a notebook as display outputs: styled HTML, and plain text with ANSI colour codes.
#: Published notebooks show it as the plain text a script prints, which is also what the
#: page shows (and rich's colours would fail the site's contrast checks).
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _rich_text(output) -> str | None:
    data = output.get("data", {})
    if output.output_type == "display_data" and set(data) == {"text/plain", "text/html"} \
            and data["text/html"].startswith("<pre style="):
        return _ANSI.sub("", data["text/plain"])
    return None


def normalise_outputs(outputs: list) -> list:
    """Drop the runtime's start-up notices, turn rich text into printed text, and merge
    consecutive printed outputs."""
    kept = []
    for output in outputs:
        if output.output_type == "stream" and output.get("name") == "stderr":
            output.text = _RUNTIME_LOG.sub("", output.text)
            if not output.text.strip():
                continue
        text = _rich_text(output)
        if text is not None:
            output = nbformat.v4.new_output("stream", name="stdout", text=text)
        previous = kept[-1] if kept else None
        if (previous is not None and output.output_type == previous.output_type == "stream"
                and output.name == previous.name):
            previous.text += output.text
            continue
        kept.append(output)
    return kept


def _cell(ref: str, source) -> Cell:
    outputs = normalise_outputs(source.outputs)
    printed = "".join(out.get("text", "") for out in outputs
                      if out.output_type == "stream" and out.get("name") == "stdout")
    figures = [base64.b64decode(out["data"]["image/png"]) for out in outputs
               if out.output_type in ("display_data", "execute_result") and "image/png" in out.get("data", {})]
    error = None
    shown = [out for out in outputs if out.output_type == "execute_result" and "image/png" not in out.get("data", {})]
    if shown:
        kind = shown[0].get("data", {}).get("text/plain", "")[:60]
        error = (f"{ref} ends with an expression whose value ({kind}) a notebook would display and a "
                 "script would not: print() it, or assign it")
    return Cell(ref, printed, figures, outputs, source.get("execution_count"), error)


def _execute(module: Path, key_: str) -> Execution:
    guide = module.stem
    cwd = run_directory(guide)
    shutil.rmtree(cwd, ignore_errors=True)
    cwd.mkdir(parents=True)
    started = time.perf_counter()
    executed, error, repeatable = _run_kernel(notebook_of(module), cwd, guide)
    seconds = time.perf_counter() - started
    cells, probe = {}, None
    for source in executed.cells:
        meta = source.metadata.get("tfguides", {})
        if "probe" in meta:
            printed = "".join(out.get("text", "") for out in source.outputs if out.get("name") == "stdout")
            lines = [line for line in printed.splitlines() if line.startswith(_PROBE_MARKER)]
            probe = json.loads(lines[-1][len(_PROBE_MARKER):]) if lines else None
            continue
        if source.get("execution_count") is None and not source.outputs:
            break  # not reached: an earlier cell failed
        ref = meta["snippet"]
        cells[ref.rpartition(":")[2]] = _cell(ref, source)
    if error:
        failed = next(reversed(cells), None)
        where = snippets.resolve(cells[failed].ref).ref if failed else snippets.relative(module)
        error = f"{where} failed in a fresh kernel (the guide run top to bottom):\n{error}"
        if failed:
            cells[failed].error = error
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(f"{guide}\t{seconds:.1f}\t{os.getpid()}\t{os.getppid()}\t{time.time():.3f}\n")
    return Execution(module, key_, cells, probe, seconds, error, repeatable=repeatable)


# --- the cache ---------------------------------------------------------------------------

def _cache_path(module: Path) -> Path:
    # A simulated run (nox -s simulate) is kept apart, one per profile, so that neither evicts
    # the CPU run or the other profile's run.
    simulated = ""
    if os.environ.get("TFGUIDES_SIMULATE_DEVICE") == "1":
        from docs_tools.running import device

        simulated = f".simulated-{device.profile()}"  # a misspelt profile fails here, saying so
    return CACHE_DIR / f"{module.stem}{simulated}.json"


def _store(run: Execution) -> None:
    data = {"key": run.key, "seconds": run.seconds, "probe": run.probe, "error": run.error,
            "cells": [{"name": name, "ref": c.ref, "printed": c.printed,
                       "figures": [base64.b64encode(f).decode() for f in c.figures],
                       "outputs": c.outputs, "execution_count": c.execution_count, "error": c.error}
                      for name, c in run.cells.items()]}
    path = _cache_path(run.module)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data), encoding="utf-8")
    temporary.replace(path)


def _last_seconds(module: Path) -> float:
    try:
        return float(json.loads(_cache_path(module).read_text(encoding="utf-8"))["seconds"])
    except (OSError, ValueError, KeyError):
        return 0.0


def _load(module: Path, key_: str) -> Execution | None:
    path = _cache_path(module)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("key") != key_ or not run_directory(module.stem).is_dir():
        return None  # the files the run wrote (logs, checkpoints) are part of its result
    cells = {c["name"]: Cell(c["ref"], c["printed"], [base64.b64decode(f) for f in c["figures"]],
                             [nbformat.from_dict(o) for o in c["outputs"]], c["execution_count"], c["error"])
             for c in data["cells"]}
    return Execution(module, key_, cells, data["probe"], data["seconds"], data.get("error"), cached=True)


def rekey(run: Execution) -> None:
    """Store ``run`` under the key its dependencies have now (after ``nox -s outputs``
    rewrote the output file from this very run, nothing else changed)."""
    run.key = key(run.module)
    _store(run)


# --- the entry point ---------------------------------------------------------------------

_SESSION: dict[Path, Execution] = {}


def run_all(modules: Iterable[Path]) -> dict[Path, Execution]:
    """The execution of each module: from this process's memory, from the cache when its
    key still holds, otherwise by running it, several modules in parallel kernels."""
    modules = [Path(m).resolve() for m in modules]
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with open(CACHE_DIR / ".lock", "w") as lock:  # one process executes at a time
        fcntl.flock(lock, fcntl.LOCK_EX)
        keys = {module: key(module) for module in modules}
        results, todo = {}, []
        for module in modules:
            known = _SESSION.get(module)
            if known is not None and known.key == keys[module]:
                results[module] = known
                continue
            cached = _load(module, keys[module])
            if cached is not None:
                results[module] = cached
            else:
                todo.append(module)
        if todo:
            workers = max(1, min(len(todo), os.cpu_count() or 1))
            with ThreadPoolExecutor(max_workers=workers) as pool:
                # The longest guides first, so that the kernels finish together.
                todo.sort(key=lambda m: -_last_seconds(m))
                for run in pool.map(lambda m: _execute(m, keys[m]), todo):
                    if run.repeatable:
                        _store(run)  # a failed section too: the same inputs fail the same way
                    results[run.module] = run
        _SESSION.update(results)
        record = os.environ.get(RECORD_VARIABLE)
        if record:
            for run in results.values():
                write_outputs(run, Path(record) / snippets.output_path(run.module).name)
    return {module: results[module] for module in modules}


def run(module: Path) -> Execution:
    """The execution of one module (the others are run with it, in parallel, if they need
    it: a page check asks for one guide, and the suite will ask for all)."""
    module = Path(module).resolve()
    guides = snippets.modules()
    return run_all(guides if module in guides else [module])[module]


def write_outputs(run: Execution, path: Path | None = None) -> None:
    """Write what each section printed in ``run`` as the module's output file."""
    from docs_tools.running import device, versions

    pins = versions.pinned()
    printed = {name: cell.printed for name, cell in run.cells.items()}
    # The committed outputs say where they were produced (device.kind() refuses to name a
    # simulated run); a recorded run under the simulation says that instead.
    where = "the device simulation (docs_tools/running/device.py)" if device.requested() and path else device.kind()
    snippets.write_outputs(run.module, printed, f"TensorFlow {pins['tensorflow']}, Keras {pins['keras']}, {where}",
                           path=path)


def executions_logged(since: float = 0.0, process: int | None = None) -> dict[str, list[float]]:
    """The executions since ``since`` (a ``time.time()`` value) by ``process`` (default: this
    one) or its children: guide -> the seconds each took."""
    process = os.getpid() if process is None else process
    found: dict[str, list[float]] = {}
    if LOG.is_file():
        for line in LOG.read_text(encoding="utf-8").splitlines():
            guide, seconds, pid, parent, when = line.split("\t")
            if float(when) >= since and process in (int(pid), int(parent)):
                found.setdefault(guide, []).append(float(seconds))
    return found


#: The tests that read the guides' executions: the page checks, the claim tests, the built site.
READERS = ("docs/", "tests/running/test_guides.py", "tests/site/test_site.py", "tests/e2e/")


def read_by(nodeid: str) -> bool:
    """Whether the test ``nodeid`` (relative to the project) reads an execution."""
    return nodeid.startswith(READERS)


def may_be_read(args: Iterable[str], invocation_dir: Path) -> bool:
    """Whether the paths pytest was given (``tests``, ``docs/en/guides/tensors.md::line:12``,
    relative to ``invocation_dir``) hold a test that reads an execution."""
    readers = [ROOT / reader for reader in READERS]
    for arg in args:
        path = Path(invocation_dir, arg.split("::")[0]).resolve()
        if any(path == reader or path in reader.parents or reader in path.parents for reader in readers):
            return True
    return False


def start_in_background() -> subprocess.Popen:
    """Execute every guide that needs it in another process, now: the suite starts it first
    thing, so that the kernels run while the tests that need no execution do. The first
    check that needs a run waits for it (``run_all`` holds a lock while executing) and then
    reads it from the cache."""
    return subprocess.Popen([sys.executable, "-m", "docs_tools.running.execution"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    run_all(snippets.modules())
