"""The record of what a build was made from, by which the browser suite serves the CPU suite's build."""

from __future__ import annotations

import subprocess

import pytest

from docs_tools.site import fingerprint


@pytest.fixture
def project(tmp_path):
    """A small git work tree: a tracked page, an ignored build folder."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("/build/\n")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text("# A page\n")
    subprocess.run(["git", "-C", str(tmp_path), "add", "."], check=True)
    return tmp_path


def test_the_fingerprint_follows_every_file_a_build_reads_and_its_environment(project, monkeypatch):
    for variable in [*fingerprint.execution.ENVIRONMENT, *fingerprint.BUILD_ENVIRONMENT]:
        monkeypatch.delenv(variable, raising=False)
    first = fingerprint.fingerprint(project)
    assert first and fingerprint.fingerprint(project) == first
    (project / "build").mkdir()
    (project / "build" / "cache.json").write_text("{}")  # ignored: what builds and tests cache
    assert fingerprint.fingerprint(project) == first
    seen = {first}
    (project / "docs" / "page.md").write_text("# A page, edited\n")  # a tracked file edited
    seen.add(fingerprint.fingerprint(project))
    (project / "docs" / "new.md").write_text("# New\n")  # a file not yet added
    seen.add(fingerprint.fingerprint(project))
    (project / "docs" / "page.md").unlink()  # a tracked file deleted
    seen.add(fingerprint.fingerprint(project))
    monkeypatch.setenv("TFGUIDES_SIMULATE_DEVICE", "1")  # the executions a build shows change
    seen.add(fingerprint.fingerprint(project))
    assert len(seen) == 5


def test_outside_git_there_is_no_fingerprint_and_nothing_is_current(tmp_path, monkeypatch):
    (tmp_path / "page.md").write_text("# A page\n")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert fingerprint.fingerprint(tmp_path) is None
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.setattr(fingerprint, "fingerprint", lambda root=None: None)
    assert not fingerprint.current(site)


def test_a_site_is_current_only_with_the_record_of_the_files_as_they_are(tmp_path, monkeypatch):
    site = tmp_path / "test-site"
    now = {"value": "a" * 64}
    monkeypatch.setattr(fingerprint, "fingerprint", lambda root=None: now["value"])
    monkeypatch.setattr(fingerprint.site_tool, "build", lambda target: target.mkdir(parents=True, exist_ok=True))
    assert not fingerprint.current(site)  # never built
    fingerprint.build_recorded(site)
    assert fingerprint.current(site)
    now["value"] = "b" * 64  # a file changed since
    assert not fingerprint.current(site)
    fingerprint.build_recorded(site)
    assert fingerprint.current(site)

    def failing_build(target):
        raise RuntimeError("the build failed")

    monkeypatch.setattr(fingerprint.site_tool, "build", failing_build)
    with pytest.raises(RuntimeError):
        fingerprint.build_recorded(site)
    assert not fingerprint.current(site)  # a failed build leaves no record that it was made
