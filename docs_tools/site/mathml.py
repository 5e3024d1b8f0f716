"""Formulas to MathML at build time (pages and notebooks): no math script, font or CDN."""

from __future__ import annotations

import re

from latex2mathml.converter import convert

#: latex2mathml turns a decimal comma written for Russian pages (``9{,}8``) into an operator
#: between two numbers, which browsers draw as "9, 8"; it is one number.
_DECIMAL_COMMA = re.compile(r"<mn>(\d+)</mn><mrow><mo>&#x0002C;</mo></mrow><mn>(\d+)</mn>")


def to_mathml(tex: str, display: str = "inline") -> str:
    return _DECIMAL_COMMA.sub(r"<mn>\1,\2</mn>", convert(tex, display=display))
