"""``tfguides/math``: formulas become MathML at build time, so pages need no math script, font
or CDN. ``pymdownx.arithmatex`` (generic mode) marks them; ``docs_tools.site.mathml`` converts."""

from __future__ import annotations

import html
import re


from docs_tools.site.mathml import to_mathml as latex_to_mathml
from docs_tools.site.plugins import NoOptions, StrictOptions

_MATH = re.compile(r'<(?P<tag>span|div) class="arithmatex">\\[(\[](?P<tex>.*?)\\[)\]]</(?P=tag)>', re.DOTALL)


class MathPlugin(StrictOptions):
    config_class = NoOptions

    def on_page_content(self, html_text: str, page, config, files) -> str:
        def to_mathml(match: re.Match) -> str:
            display = "block" if match["tag"] == "div" else "inline"
            return latex_to_mathml(html.unescape(match["tex"]), display=display)

        return _MATH.sub(to_mathml, html_text)
