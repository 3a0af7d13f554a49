"""The build end to end: what it writes, determinism, and faults that must leave the last site.

Faults are real: a build killed with SIGKILL or interrupted with SIGINT at several points, a
template error, Pagefind failing or missing, two builds at once. After each, the previous site
is byte-identical and the next build succeeds and cleans up.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest
from interrupts import interrupt_main_thread_once_it_waits_in
from paths import BUILD_DATE, ROOT, SITES

from partnerdir.cli import main
from partnerdir.output import folder
from partnerdir.pipeline import Site, SiteJob, base_path, build_site
from partnerdir.problems import BuildError

#: Five listed partners (two with a logo), one expired and one not yet reviewed, both with a
#: logo (tests/sites/listing/README.md).
CONTENT = SITES / "listing" / "content"
BASE = "https://partners.example.org/directory/"


def tree(folder: Path, *, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Relative path -> sha256 of every file under `folder`."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and not relative.startswith(skip):
            found[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built") / "site"
    result = build_site(CONTENT, out, BUILD_DATE, base_url=BASE)
    assert result.built
    return out


@pytest.fixture()
def live(tmp_path: Path, built: Path) -> Path:
    """A copy of a built site, to break builds over."""
    out = tmp_path / "site"
    shutil.copytree(built, out)
    return out


def test_build_writes_every_kind_of_output(built: Path) -> None:
    files = tree(built)
    for expected in (
        "index.html",
        "404.html",
        "partners/fjordline-data/index.html",
        "countries/index.html",
        "countries/nl/index.html",
        "levels/gold/index.html",
        "program/index.html",
        "stats/index.html",
        "static/style.css",
        "static/search.js",
        "badges/fjordline-data.svg",
        "badges/levels/gold.svg",
        "partners.json",
        "partner.schema.json",
        "partners.schema.json",
        "changes.xml",
        "sitemap.xml",
        "robots.txt",
        "pagefind/pagefind.js",
        # logos under the partner's id
        "logos/fjordline-data.svg",
        "logos/canal-analytique.svg",
    ):
        assert expected in files, expected
    # listed partners only: an expired or not yet reviewed partner has no page or logo, and
    # only a neutral "not listed" badge
    unlisted = ("meseta-datos", "isar-insight")
    logos = sorted(p.name for p in (CONTENT / "partners").glob("*.svg") if p.stem in unlisted)
    assert logos == ["isar-insight.svg", "meseta-datos.svg"]  # checked, and not published
    assert sorted(name for name in files if any(partner in name for partner in unlisted)) == [
        "badges/isar-insight.svg",
        "badges/meseta-datos.svg",
    ]


def test_the_site_holds_no_symbolic_link(built: Path) -> None:
    # GitHub Pages refuses to publish a site holding one.
    assert [p for p in built.rglob("*") if p.is_symlink()] == []


def test_a_logo_linked_inside_partners_is_refused_and_not_published(
    live: Path, tmp_path: Path
) -> None:
    # It passed the check and reached the site as a link (issue 11, item 4).
    content = Path(shutil.copytree(CONTENT, tmp_path / "content"))
    logo = content / "partners" / "fjordline-data.svg"
    logo.rename(logo.with_name("elsewhere.svg"))
    logo.symlink_to("elsewhere.svg")
    before = tree(live)
    result = build_site(content, live, BUILD_DATE, base_url=BASE)
    assert not result.built
    assert [(Path(p.path).name, p.message) for p in result.checked.problems if p.is_error] == [
        ("fjordline-data.svg", "is a symbolic link: content files must be plain files, "
         "committed as they are"),
        ("fjordline-data.yaml", "'fjordline-data.svg' is a symbolic link; commit the logo file "
         "itself"),
    ]  # fmt: skip
    assert tree(live) == before
    assert [p for p in live.rglob("*") if p.is_symlink()] == []


def test_logos_are_copied_as_their_bytes_and_a_link_never(tmp_path: Path) -> None:
    source = tmp_path / "logo.svg"
    source.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (tmp_path / "link.svg").symlink_to(source)
    out = tmp_path / "out"
    folder.copy_file(out, "logos/acme.svg", source, 1000)
    assert (out / "logos" / "acme.svg").read_bytes() == source.read_bytes()
    assert not (out / "logos" / "acme.svg").is_symlink()
    # The check refuses links; should one appear between the check and the copy, the build fails.
    with pytest.raises(BuildError, match="link.svg: is a symbolic link"):
        folder.copy_file(out, "logos/fjord.svg", tmp_path / "link.svg", 1000)
    assert not os.path.lexists(out / "logos" / "fjord.svg")
    with pytest.raises(BuildError, match="logo.svg: file is 41 bytes; the limit is 10 bytes"):
        folder.copy_file(out, "logos/big.svg", source, 10)


def test_files_written_beside_are_all_written_and_a_failure_is_raised(tmp_path: Path) -> None:
    pages = {f"partners/p{n}/index.html": f"page {n}".encode() for n in range(200)}
    with folder.writing_beside(tmp_path) as write:
        for relative, data in pages.items():
            write(relative, data)
    expected = {relative: hashlib.sha256(data).hexdigest() for relative, data in pages.items()}
    assert tree(tmp_path) == expected
    (tmp_path / "taken").write_text("a file, not a folder")
    with pytest.raises(NotADirectoryError), folder.writing_beside(tmp_path) as write:
        write("taken/index.html", b"x")  # raised here by a later write, or on the way out
    with pytest.raises(KeyError), folder.writing_beside(tmp_path / "failed") as write:
        for n in range(1000):
            write(f"p{n}/index.html", b"x" * 100_000)
        raise KeyError("the caller fails")
    assert len(list((tmp_path / "failed").iterdir())) < 1000  # the pending ones dropped


def test_a_writer_interrupted_while_waited_for_has_ended_when_the_interrupt_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C while the last page is still being written: the build then removes its staging
    folder, so the writer must have ended first. Waited for with Thread.join, it had not, one
    interrupted build in about 40 (Python 3.11 takes an interrupted join's thread for ended)."""
    real_write = folder.write_file
    written: list[str] = []

    def write_while_interrupted(root: Path, relative: str, data: bytes) -> None:
        interrupt_main_thread_once_it_waits_in("_stop_writer")
        time.sleep(0.1)  # the write still under way when the interrupt comes
        real_write(root, relative, data)
        written.append(relative)

    monkeypatch.setattr(folder, "write_file", write_while_interrupted)
    with pytest.raises(KeyboardInterrupt), folder.writing_beside(tmp_path) as write:
        write("p0/index.html", b"x")
    assert written == ["p0/index.html"]  # finished before the interrupt went on
    assert (tmp_path / "p0" / "index.html").read_bytes() == b"x"


def test_links_and_assets_live_under_the_base_path(built: Path) -> None:
    home = (built / "index.html").read_text()
    assert 'href="/directory/static/style.css"' in home
    assert 'data-pagefind="/directory/pagefind/pagefind.js"' in home


def test_same_input_same_bytes(built: Path, tmp_path: Path) -> None:
    """Byte-identical output, except Pagefind's filter index: Pagefind writes its filter files
    in hash-map order (Pagefind issue #638), so their names and the entry file may differ."""
    again = tmp_path / "again"
    assert build_site(CONTENT, again, BUILD_DATE, base_url=BASE).built
    assert tree(again, skip=("pagefind/",)) == tree(built, skip=("pagefind/",))
    fragments = {k: v for k, v in tree(built).items() if k.startswith("pagefind/fragment/")}
    assert fragments and fragments.items() <= tree(again).items()


def test_pages_shared_among_processes_are_the_same_site(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import partnerdir.pipeline as pipeline

    monkeypatch.setattr(pipeline, "_parts", lambda partners: 3)
    shared = tmp_path / "shared"
    result = build_site(CONTENT, shared, BUILD_DATE, base_url=BASE)
    pages = [name for name in tree(built) if name.endswith(".html")]
    assert result.built and result.pages == len(pages) == 23  # tests/sites/listing/README.md
    assert tree(shared, skip=("pagefind/",)) == tree(built, skip=("pagefind/",))


def test_invalid_content_publishes_nothing(live: Path, tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    with open(content / "partners" / "tulpveld-it.yaml", "a") as f:
        f.write("level: platinum\n")
    before = tree(live)
    result = build_site(content, live, BUILD_DATE, base_url=BASE)
    assert not result.built and result.checked.errors == 1
    assert tree(live) == before


@pytest.mark.parametrize(
    "template",
    [
        "partner.html",  # a profile: rendered before Pagefind starts
        "country.html",  # a page written in the idle thread while Pagefind indexes
    ],
)
def test_template_error_leaves_the_site(live: Path, tmp_path: Path, template: str) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / template).write_text("{% extends 'base.html' %}\n{% block main %}{{ p.name\n")
    before = tree(live)
    with pytest.raises(BuildError, match=rf"{template}:\d+: template: "):
        build_site(CONTENT, live, BUILD_DATE, base_url=BASE, templates=templates)
    assert tree(live) == before
    assert not (live.parent / ".site.staging").exists()


def test_serve_s_profile_update_renders_as_the_build_does(tmp_path: Path) -> None:
    # the same planner, templates and error conversion: a profile updated in place is the
    # page a build writes, and a template error is a BuildError that leaves the live site
    content = Path(shutil.copytree(CONTENT, tmp_path / "content"))
    templates = tmp_path / "templates"
    templates.mkdir()
    out = tmp_path / "site"
    site = Site(SiteJob(content, out, BUILD_DATE, BASE, templates), incremental=True)
    assert site.build().built
    partner = content / "partners" / "tulpveld-it.yaml"
    text = partner.read_text()
    assert text.count("name: Tulpveld IT\n") == 1
    partner.write_text(text.replace("name: Tulpveld IT", "name: Tulpveld Renamed"))
    update = site.update_profiles([partner])
    assert update is not None and update.partners == ("tulpveld-it",)
    assert not update.problems
    profile = out / "partners" / "tulpveld-it" / "index.html"
    assert "Tulpveld Renamed" in profile.read_text()
    rebuilt = tmp_path / "rebuilt"
    assert build_site(content, rebuilt, BUILD_DATE, base_url=BASE).built
    assert profile.read_bytes() == (rebuilt / "partners/tulpveld-it/index.html").read_bytes()
    assert site.update_profiles([content / "program.yaml"]) is None  # waits for the full build

    before = tree(out)
    (templates / "partner.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}{{ p.name\n"
    )
    with pytest.raises(BuildError, match=r"partner.html:\d+: template: "):
        site.update_profiles([partner])
    assert tree(out) == before


def test_own_templates_replace_the_built_in_ones(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "static").mkdir(parents=True)
    (templates / "static" / "style.css").write_text("body { color: teal; }\n")
    (templates / "404.html").write_text("<!doctype html><title>Lost</title><h1>Lost?</h1>\n")
    out = tmp_path / "site"
    assert build_site(CONTENT, out, BUILD_DATE, base_url=BASE, templates=templates).built
    assert (out / "static" / "style.css").read_text() == "body { color: teal; }\n"
    assert "Lost?" in (out / "404.html").read_text()
    assert "search.js" in {p.name for p in (out / "static").iterdir()}  # built-in fallback


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("false", "Pagefind failed"),
        ("/nonexistent/pagefind", "could not start Pagefind"),
    ],
)
def test_failing_or_missing_pagefind_leaves_the_site(
    live: Path, monkeypatch: pytest.MonkeyPatch, command: str, message: str
) -> None:
    monkeypatch.setenv("PARTNERDIR_PAGEFIND", command)
    before = tree(live)
    with pytest.raises(BuildError, match=message):
        build_site(CONTENT, live, BUILD_DATE, base_url=BASE)
    assert tree(live) == before
    monkeypatch.delenv("PARTNERDIR_PAGEFIND")
    assert build_site(CONTENT, live, BUILD_DATE, base_url=BASE).built


def test_the_command_removes_the_old_site_in_the_background(
    live: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["build", "--content", str(CONTENT), "--out", str(live), "--today", str(BUILD_DATE)]
    assert main(argv) == 0
    assert "Built " in capsys.readouterr().out
    assert (live / "index.html").is_file()
    deadline = time.monotonic() + 30
    while any(p.name.startswith(".site.old") for p in live.parent.iterdir()):
        assert time.monotonic() < deadline, "the old site was not removed"
        time.sleep(0.05)


def test_a_second_build_at_once_is_refused(live: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = tree(live)
    with folder.locked(live):
        code = main(
            ["build", "--content", str(CONTENT), "--out", str(live), "--today", str(BUILD_DATE)]
        )
    assert code == 1
    assert "another build is writing" in capsys.readouterr().err
    assert tree(live) == before


def test_the_preview_path_comes_from_program_yaml_alone(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    program = content / "program.yaml"
    program.write_text(
        program.read_text().replace(
            "base_url: https://partners.northwind.example/",
            "base_url: https://northwind.example/partners",
        )
    )
    (content / "partners" / "tulpveld-it.yaml").write_text("name: [broken\n")
    assert base_path(content) == "/partners/"


# --- Killed and interrupted builds, in a child process -----------------------------------------

#: Runs a build in a child process with one function wrapped to fire a signal at that point.
CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from partnerdir.output import folder, search
    from partnerdir.cli import main

    import partnerdir.pipeline as pipeline

    point, sig, processes = sys.argv[1], getattr(signal, sys.argv[2]), int(sys.argv[3])
    MAIN = os.getpid()
    if processes > 1:
        pipeline.PARTNERS_PER_PROCESS = 10
        pipeline._parts = lambda partners: processes

    def fire():
        os.kill(MAIN, sig)  # the build's own process, whichever process reaches this point

    if point == "write":
        # the second profile a process writes; with two processes, the worker's
        real_write = folder.write_file
        written = []
        def write_file(root, relative, data):
            real_write(root, relative, data)
            written.append(relative)
            if len(written) == 2 and (processes == 1 or os.getpid() != MAIN):
                fire()
        folder.write_file = write_file
    elif point == "index":
        real_finish = search.finish_index
        def finish_index(process, site):
            real_finish(process, site)
            fire()
        search.finish_index = finish_index
    elif point == "swap":
        # the fallback swap, killed between its two renames
        folder._exchange = lambda a, b: False
        real_rename = Path.rename
        def rename(self, target):
            result = real_rename(self, target)
            if str(target).endswith(".site.old"):
                fire()
            return result
        Path.rename = rename
    sys.exit(main(sys.argv[4:]))
    """
)


def run_child(
    point: str, sig: str, content: Path, out: Path, processes: int = 1
) -> subprocess.CompletedProcess[str]:
    argv = ["build", "--content", str(content), "--out", str(out), "--today", str(BUILD_DATE)]
    return subprocess.run(
        [sys.executable, "-c", CHILD, point, sig, str(processes), *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )


@pytest.mark.parametrize(("point", "processes"), [("write", 1), ("write", 2), ("index", 1)])
@pytest.mark.parametrize("sig", ["SIGKILL", "SIGINT"])
def test_killed_build_leaves_the_site_and_the_next_one_cleans_up(
    live: Path, point: str, processes: int, sig: str
) -> None:
    """Killed while writing pages (in one process, or from a worker of two) or indexing."""
    before = tree(live)
    result = run_child(point, sig, CONTENT, live, processes)
    if sig == "SIGKILL":
        assert result.returncode == -signal.SIGKILL
    else:
        assert result.returncode == 130
        assert "Traceback" not in result.stderr
        assert "interrupted" in result.stderr
    assert tree(live) == before
    assert build_site(CONTENT, live, BUILD_DATE).built
    leftovers = [p.name for p in live.parent.iterdir() if p.name.startswith(".site.")]
    assert leftovers == [".site.lock"]


def test_killed_between_the_renames_of_the_fallback_swap_is_recovered(live: Path) -> None:
    before = tree(live)
    result = run_child("swap", "SIGKILL", CONTENT, live)
    assert result.returncode == -signal.SIGKILL
    # the live folder was moved aside; the next build (or any command that writes) restores it
    assert not live.exists() and (live.parent / ".site.old").exists()
    folder.recover(live)
    assert tree(live) == before
    assert build_site(CONTENT, live, BUILD_DATE).built


def test_the_templates_are_compiled_once_beside_the_check_not_in_the_builds_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jinja2

    import partnerdir.pipeline as pipeline

    compiled = tmp_path / "compiled.txt"
    real_compile = jinja2.Environment.compile

    def compile_and_note(self: jinja2.Environment, *args: Any, **kwargs: Any) -> Any:
        with compiled.open("a") as notes:  # from every process: a forked worker's too
            notes.write(f"{os.getpid()} {kwargs.get('name', args[1] if len(args) > 1 else '')}\n")
        return real_compile(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", compile_and_note)
    monkeypatch.setattr(pipeline, "_parts", lambda partners: 2)
    assert build_site(CONTENT, tmp_path / "site", BUILD_DATE, base_url=BASE).built
    notes = [line.split() for line in compiled.read_text().splitlines()]
    names = [name for _, name in notes]
    assert "partner.html" in names
    assert len(names) == len(set(names)), names  # each template compiled once, in one process
    pids = {pid for pid, _ in notes}
    assert len(pids) == 1 and str(os.getpid()) not in pids  # a forked one, during the check


def test_the_swap_exchanges_the_folders_in_one_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ctypes.util

    def no_library_search(name: str) -> str | None:
        raise AssertionError(f"find_library({name!r}) runs ldconfig in a new process")

    monkeypatch.setattr(ctypes.util, "find_library", no_library_search)
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    (old / "a").write_text("old", encoding="utf-8")
    (new / "a").write_text("new", encoding="utf-8")
    assert folder._exchange(old, new)
    assert (old / "a").read_text(encoding="utf-8") == "new"
    assert (new / "a").read_text(encoding="utf-8") == "old"
