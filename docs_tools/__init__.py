"""Machinery behind the guides, by concern. Each package's docstring lists its modules.

- ``snippets.py``   the model every package shares: snippet modules (``snippets/*.py``), their
                    sections, output files, fences and figures.
- ``languages.py``  the site's languages, their URL prefixes, configs and labels.
- ``running/``      running the guides: each executed once in a fresh kernel, hermetically
                    (offline stand-ins, no network), on the CPU or under the device
                    simulation, and its outputs compared with the pages.
- ``translation/``  the translations: freshness locks, parity, glossary, typography, prose
                    numbers, and the languages derived from another (zh-TW).
- ``search/``       what each language's search index holds (word forms, folding), and the
                    queries that test it.
- ``site/``         the build and serve of every language: the mkdocs plugins, the snippet
                    fence, notebooks, MathML, the theme.

Imports run one way: ``running`` and ``translation`` import only the two root modules;
``search`` adds ``translation``; ``site`` may import everything
(``tests/test_layout.py`` holds the tree to it, and to no import cycle).
"""
