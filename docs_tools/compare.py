"""Compare the output a page shows with the output the code prints now.

The rule, stated once:

- Numbers are compared with ``math.isclose(shown, printed, rel_tol=rtol, abs_tol=atol)``,
  using the section's ``#| rtol`` / ``#| atol`` options (defaults in
  ``snippets.DEFAULT_OPTIONS``). On CPU with fixed seeds the numbers are in practice equal;
  the tolerance is there for float noise between machines and between CPU and GPU.
- Everything else must match exactly, except whitespace: TensorFlow pads numbers in
  printed arrays to a common width, and that padding changes with the digits.

Nothing is skipped: there are no ellipses, and a shown output with fewer or more lines,
numbers or words than the printed one fails.
"""

from __future__ import annotations

import math
import re

_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|[-+]?\b(?:nan|inf)\b")


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
