"""The site: every language built (or served) from the pages, the guides' one execution and
their notebooks.

- ``build.py``      ``python -m docs_tools.site build|serve``: one mkdocs build per language, in
                    parallel; serve rebuilds the languages open in a browser first.
- ``plugins/``      the mkdocs plugins, one per concern, each with typed options (``mkdocs.yml``).
- ``fence.py``      the ``snippet`` fence: a section's code and output on a page.
- ``notebooks.py``  every guide as a notebook in every language: generated, filled from the
                    execution, published with its figures.
- ``mathml.py``     formulas to MathML at build time.
- ``warm_caches.py`` memos of serve's warm builders.
- ``theme/``        Material overrides: the language switcher, the stylesheet, search folding.

The top of the stack: may import every other package of ``docs_tools``.
"""
