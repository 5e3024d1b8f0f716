"""Machinery behind the guides: snippet sections, their execution and checked outputs,
the mkdocs plugin, and the four-language build.

Where each thing lives:

- ``languages.py`` the site's languages, their URL prefixes, configs and labels.
- ``snippets.py``  reads snippet modules (``snippets/*.py``) and their output files.
- ``execute.py``   runs sections, capturing what they print and the figures they draw.
- ``compare.py``   compares printed output with the output shown on a page (tolerances, and
                   the policy for outputs on other machines).
- ``device.py``    the device simulation (TF32, reduction order) and the report of a device run.
- ``outputs.py``   ``python -m docs_tools.outputs``: reruns snippets, rewrites their outputs.
- ``notebooks.py`` notebooks from pages: generated, executed in a fresh kernel, published.
- ``markdown.py``  the ``snippet`` fence that puts a section's code and output on a page.
- ``plugin.py``    the mkdocs plugin (notebooks, figures, versions, math, page parity, theme).
- ``site.py``      ``python -m docs_tools.site build|serve``: all languages, in parallel.
- ``sybil.py``     the sybil parser that checks every snippet fence of every page.
"""
