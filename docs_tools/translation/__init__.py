"""Translation: the other languages' pages say what the English page says, in their own words.

- ``prose.py``        a page's prose, section by section (markdown-it-py): what every check reads.
- ``freshness.py``    ``nox -s translations``: what English each translation translates (locks,
                      banners' and status pages' data).
- ``parity.py``       the same blocks, inline code and numbers, section by section.
- ``glossary.py``     one word per term in each language (``docs/glossary/<lang>.yml``).
- ``typography.py``   each language's typesetting rules (``russian.py``: pymorphy3, for ё).
- ``prose_numbers.py`` numbers in English prose are numbers of the page's code or outputs.
- ``prose_code.py``   inline code in English prose is in the page's code or outputs (or marked,
                      or proved by a claim test).
- ``derived.py``      languages made from another at build time (zh-TW from zh: OpenCC and our
                      phrase table).
- ``comments.py``     the code's comments in each language (``docs/comments/<lang>.po``, gettext):
                      catalogues, ``update``, and placing translations in the code shown;
                      ``catalogs.py`` reads the catalogues (for ``derived`` too).

Imports only ``docs_tools.snippets`` and ``docs_tools.languages`` from outside this package.
"""
