"""Search reads some letters as others, in the index and in queries: the ``fold`` option of
the ``tfguides/search`` plugin.

Russian pages write ё wherever it belongs (``docs_tools.translation.typography``), but most readers
type е: search engines for Russian read ё as е, and so does ours. A language config sets

    plugins:
      tfguides/search:
        fold: {"ё": "е", "Ё": "Е"}

and then (1) after Material's search plugin has written ``search/search_index.json``, the
titles and texts in it are folded (``fold_index``), and (2) every page carries a small
inline script (``docs_tools/site/theme/main.html``) that folds the query as it is typed, before
Material's search reads it. A query with ё and one with е find the same sections. The cost:
the previews in search results show the folded text (Material displays the texts it
indexes); the pages themselves keep their ё.
"""

from __future__ import annotations


def fold(text: str, mapping: dict[str, str]) -> str:
    return text.translate(str.maketrans(mapping))


def check_mapping(mapping, where: str) -> dict[str, str]:
    """``mapping`` as a dict of single letters; anything else is an error naming ``where``."""
    if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and len(k) == 1 and len(v) == 1 for k, v in mapping.items()):
        raise ValueError(f"{where}: must map single letters to single letters, "
                         f'e.g. {{"ё": "е", "Ё": "Е"}}; got {mapping!r}')
    return mapping


def fold_index(index: dict, mapping: dict[str, str]) -> dict:
    """Fold the titles and texts of a Material search index (parsed), in place."""
    for doc in index["docs"]:
        for field in ("title", "text"):
            if field in doc:
                doc[field] = fold(doc[field], mapping)
    return index
