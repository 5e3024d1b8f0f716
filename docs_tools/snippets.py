"""Snippet modules and their output files.

A snippet module is a plain Python file under ``snippets/``, cut into named sections with
the marker comments pymdownx.snippets uses::

    # --8<-- [start:ones]
    x = tf.ones(shape=(2, 3))
    print(x)
    # --8<-- [end:ones]

Rules, enforced here with errors that name the file and line:

- every non-blank line of the module is inside a section (comments included), so running
  the module top to bottom is exactly running its sections in order, as a reader would;
- section names are unique identifiers;
- lines ``#| key: value`` right after a start marker are options for the checks (for
  example ``#| rtol: 1e-4``, or ``#| device_rtol: 2e-3`` for numbers that move on a GPU:
  see ``docs_tools.running.compare``) and are never shown to readers.

Next to each module, ``<name>.out`` holds what each section printed in the last run of
``nox -s outputs``. It is generated, never edited by hand, and checked by the tests.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS_DIR = ROOT / "snippets"

#: How a page names a section: a ```snippet fence whose one line is ``module.py:section``
#: (``docs_tools.site.fence`` expands it at build time; the checks read the same fences).
FENCE = re.compile(r"^```snippet[ \t]*\n(?P<ref>[^\n`]+)\n```[ \t]*$", re.MULTILINE)

_START = re.compile(r"^# --8<-- \[start:(?P<name>[A-Za-z_][A-Za-z0-9_]*)\]\s*$")
_END = re.compile(r"^# --8<-- \[end:(?P<name>[A-Za-z_][A-Za-z0-9_]*)\]\s*$")
_OPTION = re.compile(r"^#\| (?P<key>[a-z_]+): (?P<value>.+?)\s*$")
_OUT_HEADER = re.compile(r"^=== (?P<name>[A-Za-z_][A-Za-z0-9_]*)$")
#: The second line of an output file: where it was produced (see ``docs_tools.running.outputs``).
_PROVENANCE = re.compile(r"^# TensorFlow (?P<tensorflow>\S+), Keras (?P<keras>\S+), (?P<device>.+)$")

#: Options a section may set, with their defaults. rtol/atol bound the difference
#: between a number shown on a page and the number the code prints now.
DEFAULT_OPTIONS = {"rtol": 1e-5, "atol": 1e-6}
#: Options a section may set without a default here: what device runs (a GPU, the device
#: simulation) allow; ``docs_tools.running.compare`` holds the policy and its defaults.
DEVICE_OPTIONS = ("device_rtol", "device_atol")
KNOWN_OPTIONS = (*DEFAULT_OPTIONS, *DEVICE_OPTIONS)


class SnippetError(Exception):
    """A snippet module, reference or output file is malformed; the message says how to fix it."""


@dataclasses.dataclass(frozen=True)
class Section:
    module: Path
    name: str
    code: str  # the code readers see and run
    first_line: int  # 1-based line number of the first line of ``code`` in ``module``
    options: dict[str, float]

    @property
    def ref(self) -> str:
        return f"{relative(self.module)}:{self.name}"


def relative(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def output_path(module: Path) -> Path:
    return module.with_suffix(".out")


def modules() -> list[Path]:
    """Every snippet module, in a stable order."""
    return sorted(p for p in SNIPPETS_DIR.glob("**/*.py") if not p.name.startswith("_"))


@lru_cache(maxsize=None)
def _parse_cached(path: Path, mtime_ns: int) -> dict[str, Section]:
    lines = path.read_text(encoding="utf-8").splitlines()
    where = relative(path)
    sections: dict[str, Section] = {}
    current: str | None = None
    body: list[str] = []
    options: dict[str, float] = {}
    first = 0
    for number, line in enumerate(lines, start=1):
        start, end = _START.match(line), _END.match(line)
        if start:
            if current is not None:
                raise SnippetError(f"{where}:{number}: section '{start['name']}' starts inside "
                                   f"section '{current}'; close it with '# --8<-- [end:{current}]' first")
            current, body, options, first = start["name"], [], dict(DEFAULT_OPTIONS), 0
            if current in sections:
                raise SnippetError(f"{where}:{number}: section '{current}' is defined twice; "
                                   "give each section a unique name")
        elif end:
            if end["name"] != current:
                raise SnippetError(f"{where}:{number}: '[end:{end['name']}]' does not close the open "
                                   f"section ({current or 'none is open'})")
            while body and not body[-1].strip():
                body.pop()
            if not body:
                raise SnippetError(f"{where}:{number}: section '{current}' has no code")
            sections[current] = Section(path, current, "\n".join(body) + "\n", first, options)
            current = None
        elif current is None:
            if line.strip():
                raise SnippetError(f"{where}:{number}: line outside any section: {line.strip()!r}. "
                                   "Every line of a snippet module belongs to a section, so that "
                                   "the module run top to bottom is what readers run")
        else:
            option = _OPTION.match(line)
            if option and not body:
                key = option["key"]
                if key not in KNOWN_OPTIONS:
                    raise SnippetError(f"{where}:{number}: unknown option '#| {key}'; "
                                       f"known: {', '.join(KNOWN_OPTIONS)}")
                try:
                    options[key] = float(option["value"])
                except ValueError:
                    raise SnippetError(f"{where}:{number}: '#| {key}: {option['value']}' is not a "
                                       f"number; write e.g. '#| {key}: 2e-3'") from None
            elif body or line.strip():
                if not body:
                    first = number
                body.append(line)
    if current is not None:
        raise SnippetError(f"{where}: section '{current}' is never closed; "
                           f"add '# --8<-- [end:{current}]'")
    return sections


def sections(module: Path) -> dict[str, Section]:
    """The sections of ``module`` in file order."""
    module = module.resolve()
    if not module.is_file():
        raise SnippetError(f"{relative(module)} does not exist")
    return _parse_cached(module, module.stat().st_mtime_ns)


def resolve(ref: str) -> Section:
    """Find the section named by a page's reference ``path/to/module.py:section``."""
    path, sep, name = ref.strip().rpartition(":")
    if not sep or not path.endswith(".py"):
        raise SnippetError(f"'{ref}' is not a snippet reference; write 'module.py:section', "
                           "with the module's path relative to snippets/")
    module = SNIPPETS_DIR / path
    if not module.is_file():
        raise SnippetError(f"snippets/{path} does not exist (referenced as '{ref}')")
    found = sections(module)
    if name not in found:
        raise SnippetError(f"snippets/{path} has no section '{name}'; it has: "
                           f"{', '.join(found) or 'none'}")
    return found[name]


def read_outputs(module: Path) -> dict[str, str]:
    """What each section of ``module`` printed in the last ``nox -s outputs`` run."""
    path = output_path(module)
    if not path.is_file():
        raise SnippetError(f"{relative(path)} is missing: run `nox -s outputs` to generate it")
    return parse_outputs(path)


def parse_outputs(path: Path) -> dict[str, str]:
    """Each section's output in an output file (the ``.out`` format), at any path."""
    outputs: dict[str, str] = {}
    current = None
    for line in path.read_text(encoding="utf-8").splitlines():
        header = _OUT_HEADER.match(line)
        if header:
            current = header["name"]
            outputs[current] = ""
        elif current is not None:
            outputs[current] += line + "\n"
    return {name: text.rstrip("\n") for name, text in outputs.items()}


def provenance(module: Path) -> dict[str, str]:
    """Where ``module``'s committed outputs were produced: ``tensorflow``, ``keras`` and
    ``device`` (for example "CPU, x86-64"), from its output file's header."""
    path = output_path(module)
    if not path.is_file():
        raise SnippetError(f"{relative(path)} is missing: run `nox -s outputs` to generate it")
    lines = path.read_text(encoding="utf-8").splitlines()
    found = _PROVENANCE.match(lines[1]) if len(lines) > 1 else None
    if not found:
        raise SnippetError(f"{relative(path)}:2 does not say where its outputs were produced "
                           "('# TensorFlow x, Keras y, <device>'): run `nox -s outputs`")
    return found.groupdict()


def expected_output(section: Section) -> str:
    outputs = read_outputs(section.module)
    if section.name not in outputs:
        raise SnippetError(f"{relative(output_path(section.module))} has no output for section "
                           f"'{section.name}': run `nox -s outputs` to regenerate it")
    return outputs[section.name]


def write_outputs(module: Path, printed: dict[str, str], header: str, path: Path | None = None) -> None:
    """Write ``<module>.out`` (or ``path``): what each section printed, under a header."""
    lines = [f"# Generated from {relative(module)} by `nox -s outputs`: do not edit by hand.",
             f"# {header}"]
    for name, text in printed.items():
        text = text.rstrip("\n")
        for line in text.splitlines():
            if _OUT_HEADER.match(line):
                raise SnippetError(f"{relative(module)}:{name} prints a line that looks like an "
                                   f"output header ({line!r}); print something else")
        lines.append(f"=== {name}")
        if text:
            lines.append(text)
    path = output_path(module) if path is None else path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def figure_path(module: Path, section: str) -> str:
    """Where a section's figure is published, relative to the site root of every language:
    ``figures/<guide>/<section>.png`` (the build puts the guide's one execution's figure there)."""
    return f"figures/{module.relative_to(SNIPPETS_DIR).with_suffix('').as_posix()}/{section}.png"


def page_sources(text: str, resolve_ref=resolve, output=expected_output) -> list[str]:
    """The code and the printed output of every section a page's ``snippet`` fences show, in
    order (what the prose checks hold a page's numbers and inline code against)."""
    sources = []
    for fence in FENCE.finditer(text):
        section = resolve_ref(fence["ref"])
        sources += [section.code, output(section)]
    return sources
