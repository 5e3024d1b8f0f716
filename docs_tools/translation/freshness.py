"""What each translated page translates: per-section fingerprints of the English source.

    nox -s translations                                     # status of every translated page
    nox -s translations -- --check                          # the same; exits 1 if one is behind
    nox -s translations -- --mark-fresh ru/guides/tensors.md [PAGE ...]
    nox -s translations -- --mark-fresh ru                  # every page of a language
    nox -s translations -- --mark-fresh --all               # every page of every language
    nox -s translations -- --accept-behind ru/guides/tensors.md --why "the new section is being translated"

(``python -m docs_tools.translation.freshness ...`` is the same without nox.)

Each language has a lock file, ``docs/translations/<lang>.lock.json`` (outside every
``docs_dir``: it is not published). For each page it records the fingerprint of every
section of the English page (``docs_tools.translation.prose``: heading to heading, by anchor,
with the English comments of the code the section shows) as it was when the translation was
last brought up to date. Update it with ``--mark-fresh``
after updating a translation, never by hand.

A page is *behind* when the English page's sections differ from the recorded ones (a
section changed, was added or was removed). The test suite fails on a page that is behind,
naming the sections and these commands, unless the page was accepted as behind with
``--accept-behind PAGE --why TEXT``: that records the English it was accepted against
(changing the English again makes it fail again) and the reason, which the page's banner
shows. Built pages that are behind carry a banner in their own language linking to the
English page at the first changed section, and every language has a status page
(``translations/``) listing its pages as current or behind.

A language derived from another (``docs_tools.translation.derived``: zh-TW from zh) has no lock: its
pages are its source's, converted, so each is behind exactly when its source page is, with
the source's changes and accepted reasons; it is marked fresh by marking the source.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import os
import shlex
import sys
from pathlib import Path

from docs_tools.translation import comments, prose
from docs_tools.languages import followed, languages, own_pages, reference
from docs_tools.snippets import ROOT

DOCS = ROOT / "docs"
#: Where the lock files live; tests point it elsewhere (a fixture copy).
LOCKS_ENV = "TFGUIDES_TRANSLATION_LOCKS"


def locks_dir() -> Path:
    return Path(os.environ.get(LOCKS_ENV) or DOCS / "translations")


def lock_path(lang: str, locks: Path | None = None) -> Path:
    return (locks or locks_dir()) / f"{lang}.lock.json"


def command(*args: str) -> str:
    return "nox -s translations -- " + " ".join(shlex.quote(a) for a in args)


@dataclasses.dataclass
class Change:
    anchor: str
    title: str   # the English heading (empty for a removed section)
    kind: str    # "changed", "new" or "removed"


@dataclasses.dataclass
class PageStatus:
    lang: str
    page: str                      # path inside the language folder: guides/tensors.md
    changes: list[Change]
    accepted: str | None = None    # the reason, when accepted as behind the current English
    recorded: bool = True          # False: the lock has no entry (never marked fresh)

    @property
    def state(self) -> str:
        return "current" if not self.changes else ("accepted" if self.accepted is not None else "behind")

    @property
    def name(self) -> str:
        return f"{self.lang}/{self.page}"

    def describe(self) -> str:
        return ", ".join(f"#{c.anchor or '(top)'} ({c.kind})" for c in self.changes)


def english_sections(page: str, docs: Path = DOCS) -> list[prose.Section]:
    return prose.sections((docs / reference() / page).read_text(encoding="utf-8"))


def section_fingerprint(section: prose.Section) -> str:
    """A section's fingerprint: its Markdown, and the English comments of the code its fences
    show (a comment is prose: changing one puts the section behind in every language, and
    ``docs_tools.translation.comments`` names it)."""
    shown = comments.fence_comments(section.source)
    if not shown:
        return section.fingerprint
    return hashlib.sha256("\n".join([section.fingerprint, *shown]).encode("utf-8")).hexdigest()[:16]


def fingerprints(page: str, docs: Path = DOCS) -> dict[str, str]:
    return {s.anchor: section_fingerprint(s) for s in english_sections(page, docs)}


class LockError(Exception):
    pass


def read_lock(lang: str, locks: Path | None = None) -> dict:
    path = lock_path(lang, locks)
    if not path.exists():
        return {"language": lang, "pages": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise LockError(f"{path}: not valid JSON ({error}); it is written by `{command('--mark-fresh', lang)}`, "
                        "not by hand: restore it from git or run that command") from error
    if not isinstance(data.get("pages"), dict):
        raise LockError(f"{path}: no \"pages\" mapping; restore it from git or run `{command('--mark-fresh', lang)}`")
    return data


def write_lock(lang: str, data: dict, locks: Path | None = None) -> None:
    path = lock_path(lang, locks)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"language": lang, "about": "Written by `nox -s translations -- --mark-fresh PAGE`; do not edit by hand.",
            "pages": dict(sorted(data["pages"].items()))}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _changes(recorded: dict[str, str], current: list[prose.Section]) -> list[Change]:
    changes = []
    for section in current:
        if section.anchor not in recorded:
            changes.append(Change(section.anchor, section.title, "new"))
        elif recorded[section.anchor] != section_fingerprint(section):
            changes.append(Change(section.anchor, section.title, "changed"))
    anchors = {s.anchor for s in current}
    changes += [Change(anchor, "", "removed") for anchor in recorded if anchor not in anchors]
    return changes


def english_pages(docs: Path = DOCS) -> list[str]:
    return sorted(p.relative_to(docs / reference()).as_posix() for p in (docs / reference()).glob("**/*.md"))


def translated_languages() -> list[str]:
    return [lang for lang in languages() if lang != reference()]


def status(lang: str, page: str, docs: Path = DOCS, locks: Path | None = None, lock: dict | None = None) -> PageStatus:
    """The page's state in ``lang``; a derived language's is its source's (its lock, its reason)."""
    entry = (lock if lock is not None else read_lock(followed(lang), locks))["pages"].get(page)
    current = english_sections(page, docs)
    if entry is None:
        return PageStatus(lang, page, [Change(s.anchor, s.title, "new") for s in current], recorded=False)
    changes = _changes(entry.get("sections", {}), current)
    accepted = entry.get("accepted_behind")
    if changes and accepted and accepted.get("sections") == {s.anchor: section_fingerprint(s) for s in current}:
        return PageStatus(lang, page, changes, accepted.get("why", ""))
    return PageStatus(lang, page, changes)


def statuses(lang: str, docs: Path = DOCS, locks: Path | None = None) -> list[PageStatus]:
    lock = read_lock(followed(lang), locks)
    return [status(lang, page, docs, locks, lock) for page in english_pages(docs)]


def problems(docs: Path = DOCS, locks: Path | None = None) -> list[str]:
    """One message per translated page that is behind (and not accepted), and per stale lock entry.
    A derived language's pages are reported as their source's (one fix, one message)."""
    found = []
    for lang in [lang for lang in translated_languages() if lang in own_pages()]:
        try:
            lock = read_lock(lang, locks)
        except LockError as error:
            found.append(str(error))
            continue
        for page in english_pages(docs):
            page_status = status(lang, page, docs, locks, lock)
            if page_status.state != "behind":
                continue
            never = page not in lock["pages"]
            found.append(
                f"docs/{lang}/{page} is behind docs/{reference()}/{page}: "
                + ("it was never marked as translated" if never else
                   f"English sections changed since it was translated: {page_status.describe()}")
                + f". Update the translation, then run `{command('--mark-fresh', page_status.name)}`; "
                f"or publish it behind on purpose: `{command('--accept-behind', page_status.name, '--why', 'REASON')}`")
        for page in sorted(set(lock["pages"]) - set(english_pages(docs))):
            found.append(f"{lock_path(lang, locks)}: records {page}, which has no English page; "
                         f"run `{command('--mark-fresh', lang)}` to drop it")
    return found


def _targets(args: list[str], docs: Path = DOCS) -> list[tuple[str, str]]:
    """(lang, page) for each PAGE or LANG argument."""
    langs = [lang for lang in translated_languages() if lang in own_pages()]
    targets = []
    for arg in args:
        arg = arg.removeprefix("docs/").strip("/")
        lang, _, page = arg.partition("/")
        if lang in translated_languages() and lang not in langs:
            source = followed(lang)
            raise SystemExit(f"{arg}: {lang} is generated from {source} (docs_tools/translation/derived.py) and follows its "
                             f"freshness: mark {source}/{page or ''} instead".rstrip("/"))
        if lang not in langs:
            raise SystemExit(f"{arg}: start with a translated language ({', '.join(langs)}), "
                             "e.g. ru/guides/tensors.md or ru")
        pages = [page] if page else english_pages(docs)
        for one in pages:
            if not (docs / reference() / one).is_file():
                raise SystemExit(f"{arg}: there is no English page docs/{reference()}/{one}")
            if not (docs / lang / one).is_file():
                raise SystemExit(f"{arg}: there is no translation docs/{lang}/{one} to mark")
            targets.append((lang, one))
    return targets


def mark_fresh(targets: list[tuple[str, str]], docs: Path = DOCS, locks: Path | None = None,
               prune: bool = False) -> None:
    for lang in sorted({lang for lang, _ in targets}):
        lock = read_lock(lang, locks) if lock_path(lang, locks).exists() else {"pages": {}}
        for _, page in [t for t in targets if t[0] == lang]:
            lock["pages"][page] = {"sections": fingerprints(page, docs)}
        if prune:
            lock["pages"] = {p: e for p, e in lock["pages"].items() if p in english_pages(docs)}
        write_lock(lang, lock, locks)


def accept_behind(lang: str, page: str, why: str, docs: Path = DOCS, locks: Path | None = None) -> None:
    lock = read_lock(lang, locks)
    entry = lock["pages"].setdefault(page, {"sections": {}})
    entry["accepted_behind"] = {"why": why, "sections": fingerprints(page, docs)}
    write_lock(lang, lock, locks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Translation freshness: status, --mark-fresh, --accept-behind.")
    parser.add_argument("pages", nargs="*", help="pages (ru/guides/tensors.md) or languages (ru)")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--mark-fresh", action="store_true", help="record the English the pages now translate")
    action.add_argument("--accept-behind", action="store_true", help="publish a page behind the English, with --why")
    action.add_argument("--check", action="store_true", help="exit 1 if a page is behind (and not accepted)")
    parser.add_argument("--all", action="store_true", help="with --mark-fresh: every page of every language")
    parser.add_argument("--why", help="with --accept-behind: the reason, shown on the page's banner")
    args = parser.parse_args(argv)
    try:
        if args.mark_fresh:
            if args.all == bool(args.pages):
                parser.error("--mark-fresh takes pages/languages, or --all")
            targets = _targets(args.pages or [lang for lang in translated_languages() if lang in own_pages()])
            mark_fresh(targets, prune=args.all or any("/" not in p.strip("/") for p in args.pages))
            from docs_tools.translation import parity  # the suite will check it too: say so now

            for lang, page in targets:
                print(f"marked fresh: docs/{lang}/{page}")
                for problem in parity.compare(DOCS / reference() / page, DOCS / lang / page):
                    print(f"  but: {problem}", file=sys.stderr)
            return 0
        if args.accept_behind:
            if len(args.pages) != 1 or "/" not in args.pages[0] or not args.why:
                parser.error("--accept-behind takes one page (ru/guides/tensors.md) and --why \"the reason\"")
            [(lang, page)] = _targets(args.pages)
            if status(lang, page).state == "current":
                print(f"docs/{lang}/{page} is current: nothing to accept")
                return 0
            accept_behind(lang, page, args.why)
            print(f"accepted behind: docs/{lang}/{page} ({args.why})")
            return 0
        for lang in translated_languages():
            for page_status in statuses(lang):
                line = f"{page_status.state:8} {'docs/' if lang in own_pages() else ''}{page_status.name}"
                if page_status.changes:
                    line += f"  English changed: {page_status.describe()}"
                if page_status.accepted is not None:
                    line += f"  (accepted: {page_status.accepted})"
                print(line)
        found = problems()
        if found:
            print("\n" + "\n".join(found), file=sys.stderr)
        return 1 if found and args.check else 0
    except LockError as error:
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
