"""Search: what goes into each language's search index, and the queries that test it.

- ``forms.py``   other forms of the pages' words (Russian cases, Hebrew prefixes, English -ies),
                 written into a hidden field of Material's index.
- ``fold.py``    letters read as others in the index and in queries (Russian ё as е).
- ``chinese.py`` a language derived from Chinese (zh-TW) cut again as Traditional text.
- ``worker.py``  Chinese queries cut into the words of the index: a patch of Material's search
                 worker (``segment.js``), made in the built site.
- ``queries.py`` the queries a reader would type, generated from the built site.

Imports ``docs_tools.snippets``, ``docs_tools.languages``, ``docs_tools.translation.russian`` and
``docs_tools.translation.derived``.
"""
