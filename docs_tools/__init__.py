"""Machinery behind the guides: snippet sections, their execution and checked outputs,
the mkdocs plugin, and the build of every language.

Where each thing lives:

- ``languages.py`` the site's languages, their URL prefixes, configs and labels.
- ``snippets.py``  reads snippet modules (``snippets/*.py``) and their output files.
- ``execution.py`` each guide executed once in a fresh kernel, cached: what every check reads.
- ``execute.py``   runs sections in this process (the benchmark's floor, unit tests).
- ``compare.py``   compares printed output with the output shown on a page (tolerances, and
                   the policy for outputs on other machines).
- ``device.py``    the device simulation (TF32, reduction order) and the report of a device run.
- ``outputs.py``   ``python -m docs_tools.outputs``: rewrites output files from the execution.
- ``notebooks.py`` notebooks from pages: generated, filled from the execution, published.
- ``markdown.py``  the ``snippet`` fence that puts a section's code and output on a page.
- ``plugin.py``    the mkdocs plugin (notebooks, figures, versions, math, page parity, theme).
- ``site.py``      ``python -m docs_tools.site build|serve``: all languages, in parallel.
- ``sybil.py``     the sybil parser that checks every snippet fence of every page.
- ``prose.py``     a page's prose by section (markdown-it-py): blocks, code spans, numbers.
- ``translations.py`` ``nox -s translations``: what English each translation translates.
- ``parity.py``    ``python -m docs_tools.parity``: translations say as much, section by section.
- ``glossary.py``  ``python -m docs_tools.glossary``: one word per term in each language.
- ``prose_numbers.py`` numbers in English prose must be in the page's code or outputs.
"""
