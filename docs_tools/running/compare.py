"""Compare the output a page shows with the output the code prints now.

The rule, stated once:

- Numbers are compared with ``math.isclose(shown, printed, rel_tol=rtol, abs_tol=atol)``,
  using the section's ``#| rtol`` / ``#| atol`` options (defaults in
  ``snippets.DEFAULT_OPTIONS``). On CPU with fixed seeds the numbers are in practice equal;
  the tolerance is there for float noise between machines.
- Everything else must match exactly, except whitespace: TensorFlow pads numbers in
  printed arrays to a common width, and that padding changes with the digits.

Nothing is skipped: there are no ellipses, and a shown output with fewer or more lines,
numbers or words than the printed one fails.

The policy for other machines, stated once (readers find it on the running page,
``#other-machines``, in every language):

- The outputs in ``snippets/*.out`` were produced on one machine kind, the one their
  header names (``CPU, x86-64``), and the CPU check holds every run to them with the rule
  above, however a section is marked.
- Exact on every machine: words, shapes, dtypes, integer results, and printed claims
  (``True``/``False``, "accuracy above 85%"). The guides print claims rather than
  trained numbers where a number would not be stable.
- Device-dependent in their last digits: numbers that come out of matrix products,
  convolutions or training. On Ampere and newer NVIDIA GPUs TensorFlow lets the GPU
  libraries round the inputs of float32 matrix products and convolutions to TensorFloat-32
  (10-bit mantissa, about 1e-3 relative per product; which products, and how, is their
  choice: ``docs_tools.running.device`` has what one H200 did), reductions run in another
  order, and TensorFlow promises
  seeded random draws only "almost the same" across devices. A section whose numbers
  move on such a device says so with ``#| device_rtol`` (and ``#| device_atol`` where
  a number printed to few decimals is near zero): the measured difference under the
  device simulation (``docs_tools.running.device``), with a margin.
- A device run (``TFGUIDES_DEVICE_CHECK=1``: the GPU session and the simulation) compares
  with the device tolerances: ``DEVICE_DEFAULTS`` merged with the section's
  ``device_*`` options, never stricter than its CPU tolerance. A section without
  ``device_*`` options is claimed to hold on every machine within the CPU tolerance.
- The GPU session keeps TensorFloat-32 on, as readers get it; it fails only where a
  difference exceeds this policy.
"""

from __future__ import annotations

import math
import os
import re

from docs_tools import snippets

#: Set to 1 by the GPU session and by the device simulation: compare with device tolerances.
DEVICE_CHECK_VARIABLE = "TFGUIDES_DEVICE_CHECK"

#: The policy's device tolerances for a section that states none of its own: the CPU
#: defaults, so an unmarked section is claimed to hold on every machine.
DEVICE_DEFAULTS = {"device_rtol": snippets.DEFAULT_OPTIONS["rtol"],
                   "device_atol": snippets.DEFAULT_OPTIONS["atol"]}

_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|[-+]?\b(?:nan|inf)\b")


def device_run() -> bool:
    """True in a run on (or simulating) another device: the GPU session, the simulation."""
    return os.environ.get(DEVICE_CHECK_VARIABLE, "") == "1"


def cpu_tolerance(options: dict) -> dict[str, float]:
    return {key: float(options.get(key, default)) for key, default in snippets.DEFAULT_OPTIONS.items()}


def device_tolerance(options: dict) -> dict[str, float]:
    """The section's device tolerances, never stricter than its CPU ones."""
    cpu = cpu_tolerance(options)
    return {key: max(cpu[key], float(options.get(f"device_{key}", DEVICE_DEFAULTS[f"device_{key}"])))
            for key in cpu}


def tolerance(options: dict) -> dict[str, float]:
    """``rtol``/``atol`` for ``difference``: the CPU ones, or the device ones in a device run."""
    return device_tolerance(options) if device_run() else cpu_tolerance(options)


def _tokens(text: str) -> list[str | float]:
    tokens: list[str | float] = []
    position = 0
    for match in _NUMBER.finditer(text):
        words = "".join(text[position:match.start()].split())
        if words:
            tokens.append(words)
        tokens.append(float(match.group()))
        position = match.end()
    tail = "".join(text[position:].split())
    if tail:
        tokens.append(tail)
    return tokens


def difference(shown: str, printed: str, rtol: float, atol: float) -> str | None:
    """Describe the first difference between ``shown`` and ``printed``, or None if they agree."""
    expected, actual = _tokens(shown), _tokens(printed)
    for index, (want, got) in enumerate(zip(expected, actual, strict=False)):  # lengths compared below
        if isinstance(want, float) and isinstance(got, float):
            if not math.isclose(want, got, rel_tol=rtol, abs_tol=atol) and not (
                    math.isnan(want) and math.isnan(got)):
                return (f"number {index + 1}: the page shows {want!r}, the code prints {got!r} "
                        f"(allowed: rtol={rtol:g}, atol={atol:g})")
        elif want != got:
            return f"token {index + 1}: the page shows {want!r}, the code prints {got!r}"
    if len(expected) != len(actual):
        longer, which = (expected, "page shows") if len(expected) > len(actual) else (actual, "code prints")
        extra = longer[min(len(expected), len(actual))]
        return f"the {which} more: next is {extra!r}"
    return None
