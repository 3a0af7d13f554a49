"""The benchmark's parts: the generator, the page comparison, the stage parser, and a smoke run
of the whole harness at 100 partners (the real benchmark is `make bench`, not part of the tests).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from paths import ROOT

sys.path.insert(0, str(ROOT))

from bench import generate  # noqa: E402
from bench.equivalence import compare_profiles, count_pages, profile_text  # noqa: E402
from bench.run import parse_stages, results_path  # noqa: E402
from partnerdir.content.checking import check_content  # noqa: E402
from partnerdir.model import Sealed  # noqa: E402

TODAY = generate.DEFAULT_TODAY


def _generate(out: Path, count: int, seed: int, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), str(count), str(out),
         "--seed", str(seed), *extra],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_generated_directory_passes_the_check_and_shows_every_rule(tmp_path: Path) -> None:
    out = tmp_path / "content"
    result = _generate(out, 100, 1)
    assert result.returncode == 0, result.stderr
    checked = check_content(out, TODAY)
    assert [str(p) for p in checked.problems if p.is_error] == []
    assert checked.directory is not None and checked.evaluation is not None
    assert checked.partner_files == 100 and checked.review_files == 4
    shown = generate.rules_shown(checked.directory, checked.evaluation)
    assert {name for name, count in shown.items() if count == 0} == set()
    assert set(shown) >= {
        "level registered", "level silver", "level gold", "level platinum", "cap bites",
        "under review", "demoted after grace", "grace cancelled", "expired",
    }  # fmt: skip
    # DESIGN: no private figure in git: the generator writes seals, as the `seal` command does
    for review in sorted((out / "reviews").glob("*.csv")):
        header, *rows = [line.split(",") for line in review.read_text().splitlines()]
        column = header.index("annual_revenue")
        assert all(row[column] == "" or Sealed.parse(row[column]) for row in rows), review


def test_descriptions_logos_and_countries_stay_in_their_ranges(tmp_path: Path) -> None:
    out = tmp_path / "content"
    assert _generate(out, 200, 3).returncode == 0
    checked = check_content(out, TODAY)
    assert checked.directory is not None
    partners = checked.directory.partners
    words = [len(p.description.split()) for p in partners]
    assert min(words) >= generate.MIN_WORDS and max(words) <= generate.MAX_WORDS + 20
    assert all("](https://" in p.description for p in partners)
    lists = sum(1 for p in partners if "\n- " in p.description)
    emphasis = sum(1 for p in partners if "**" in p.description or "*" in p.description)
    assert lists >= 0.5 * len(partners) and emphasis >= 0.8 * len(partners)
    assert all(1 <= len(p.countries) <= 5 for p in partners)
    served = {code for p in partners for code in p.countries}
    assert served <= {code for code, _ in generate.COUNTRIES}
    assert len(generate.COUNTRIES) == 60
    logos = sum(1 for p in partners if p.logo)
    assert 0.1 * len(partners) <= logos <= 0.3 * len(partners)


def test_the_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    assert _generate(tmp_path / "a", 40, 7).returncode == 0
    assert _generate(tmp_path / "b", 40, 7).returncode == 0
    assert _generate(tmp_path / "c", 40, 8).returncode == 0
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")


def test_an_existing_folder_is_replaced_only_with_force(tmp_path: Path) -> None:
    out = tmp_path / "content"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    refused = _generate(out, 5, 1)
    assert refused.returncode == 2
    assert "exists; use --force" in refused.stderr
    assert (out / "keep.txt").exists()
    assert _generate(out, 5, 1, "--force").returncode == 0
    assert not (out / "keep.txt").exists()


@pytest.mark.parametrize(
    ("output", "stages"),
    [
        (
            "Checked ...\nBuilt site/: 162 pages, 293 files, 97 partners listed, in 1.13 s "
            "(check 0.10, plan 0.17, render 0.16, write 0.20, index 0.50, swap 0.00).",
            {"check": 0.1, "plan": 0.17, "render": 0.16, "write": 0.2, "index": 0.5, "swap": 0.0},
        ),
        ("Built site/ in 2.5 s (load 120 ms, render 2.3 s).", {"load": 0.12, "render": 2.3}),
        ("Built site/: 162 pages in 1.13 s.", {}),
        ("", {}),
    ],
)
def test_stage_times_come_from_the_build_summary(output: str, stages: dict[str, float]) -> None:
    assert parse_stages(output) == stages


def test_a_second_run_on_the_same_day_does_not_overwrite_the_first(tmp_path: Path) -> None:
    when = datetime(2026, 11, 25, 20, 30)
    first = results_path(tmp_path, when, [1000, 10000])
    assert first.name == "2026-11-25-1000-10000.md"
    first.write_text("first", encoding="utf-8")
    second = results_path(tmp_path, when, [1000, 10000])
    assert second.name == "2026-11-25-1000-10000-2.md"
    second.write_text("second", encoding="utf-8")
    assert results_path(tmp_path, when, [1000, 10000]).name == "2026-11-25-1000-10000-3.md"
    assert results_path(tmp_path, when, [100]).name == "2026-11-25-100.md"


ARTICLE = """<html><body><nav>menu</nav><article class="profile" data-pagefind-body>
  <h1>Acme   Data</h1><p>since <time>1 May 2026</time></p>{extra}
  <div class="prose"><p>We <strong>build</strong> platforms.</p>
  </div><div hidden><span data-pagefind-filter="level">gold</span></div>
</article><footer>x</footer></body></html>"""


SPARK = """<div class="sparks"><figure class="spark"><figcaption>Engineers 4</figcaption>
  <svg viewBox="0 0 240 72" role="img" aria-label="Engineers: Oct 2025: 2; Oct 2026: 4">
    <polyline points="6,52.8 234,41.6" fill="none"/>
    <circle cx="6.0" cy="52.8" r="3.5"><title>Oct 2025: 2</title></circle>
    <circle cx="234.0" cy="41.6" r="3.5"><title>Oct 2026: 4</title></circle>
  </svg></figure></div>"""


def test_profile_text_is_the_article_with_whitespace_collapsed() -> None:
    text = profile_text(ARTICLE.format(extra='<img src="x.svg" alt="logo">'))
    assert text == ["Acme Data", "since", "1 May 2026", "We", "build", "platforms.", "gold"]
    assert profile_text(ARTICLE.format(extra="")) == text


def test_a_chart_is_compared_element_by_element_with_its_attributes() -> None:
    text = profile_text(ARTICLE.format(extra=SPARK))
    start = text.index("Engineers 4") + 1
    assert text[start : start + 5] == [
        '<svg aria-label="Engineers: Oct 2025: 2; Oct 2026: 4" role="img" viewbox="0 0 240 72">',
        '<polyline fill="none" points="6,52.8 234,41.6">',
        "</polyline>",
        '<circle cx="6.0" cy="52.8" r="3.5">',
        "<title>",
    ]
    assert text[start + 5 : start + 8] == ["Oct 2025: 2", "</title>", "</circle>"]
    # the markup's own attribute order, quotes and entities do not count
    written_otherwise = SPARK.replace(
        '<circle cx="6.0" cy="52.8" r="3.5">', "<circle r=3.5 cy='52.8' cx=\"&#54;.0\">"
    )
    assert written_otherwise != SPARK
    assert profile_text(ARTICLE.format(extra=written_otherwise)) == text


def test_profiles_that_differ_only_in_a_chart_point_are_reported(tmp_path: Path) -> None:
    moved = SPARK.replace('cy="52.8"', 'cy="52.9"')
    for site, extra in (("ours", SPARK), ("same", SPARK.replace("\n", " ")), ("other", moved)):
        page = tmp_path / site / "partners" / "acme" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(ARTICLE.format(extra=extra), encoding="utf-8")
    assert compare_profiles(tmp_path / "ours", tmp_path / "same", ["acme"]) == []
    [difference] = compare_profiles(tmp_path / "ours", tmp_path / "other", ["acme"])
    assert '-<circle cx="6.0" cy="52.8" r="3.5">' in difference
    assert '+<circle cx="6.0" cy="52.9" r="3.5">' in difference


def test_profiles_that_differ_are_reported_with_a_diff(tmp_path: Path) -> None:
    for site, extra in (("ours", ""), ("same", "\n\n"), ("other", "<p>Under review</p>")):
        page = tmp_path / site / "partners" / "acme" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(ARTICLE.format(extra=extra), encoding="utf-8")
    assert compare_profiles(tmp_path / "ours", tmp_path / "same", ["acme"]) == []
    [difference] = compare_profiles(tmp_path / "ours", tmp_path / "other", ["acme"])
    assert difference.startswith("partners/acme/index.html:")
    assert "+Under review" in difference


def test_hugo_redirect_pages_are_not_counted(tmp_path: Path) -> None:
    for path, text in (
        ("index.html", "<html>home</html>"),
        ("page/1/index.html", '<html><meta http-equiv="refresh" content="0; url=/"></html>'),
        ("page/2/index.html", "<html>page 2</html>"),
        ("partners/a/index.html", "<html>a</html>"),
        ("countries/nl/index.html", "<html>nl</html>"),
    ):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text, encoding="utf-8")
    counts = count_pages(tmp_path)
    assert (counts.profiles, counts.countries, counts.levels, counts.home) == (1, 1, 0, 2)


@pytest.mark.slow
def test_the_harness_runs_one_round_at_100_partners(tmp_path: Path) -> None:
    results = tmp_path / "results"
    raw = tmp_path / "raw.json"
    command = [
        sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "100", "--rounds", "1",
        "--work", str(tmp_path / "work"), "--results", str(results), "--json", str(raw),
        "--check-runs", "2", "--quiet",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    # each round built into folders of its own, all removed once done (run.round_outputs)
    work = sorted(path.name for path in (tmp_path / "work").iterdir())
    assert not [name for name in work if name.startswith(("site-ours", "site-hugo"))], work
    [report] = results.glob("*-100.md")
    assert report.name == f"{date.today():%Y-%m-%d}-100.md"
    text = report.read_text(encoding="utf-8")
    assert "| 100 |" in text
    assert re.search(r"Machine: \d+ CPUs \(", text)
    assert "Hugo" in text and "Pagefind" in text
    [size] = json.loads(raw.read_text(encoding="utf-8"))
    assert size["size"] == 100 and len(size["check"]) == len(size["check_cached"]) == 2
    assert "`check` cached, unchanged" in text and "with the cache, nothing changed" in text
    [round_] = size["rounds"]
    assert round_["hugo"] > 0 and round_["pagefind"] > 0 and round_["hugo_peak"] > 0
    assert round_["hugo_cpu"] > 0 and round_["pagefind_cpu"] > 0
    assert "CPU ratio" in text
    # the timed round ran without the memory sampler; a round of its own measured memory
    assert round_["partnerdir_processes"] == [] and round_["partnerdir_at_once_rss"] == 0
    memory = size["memory"]
    assert memory["hugo"] > 0 and memory["pagefind_peak"] > 0
    names = [name for name, _ in memory["partnerdir_processes"]]
    assert names[0].startswith("python") and "pagefind" in names
    assert memory["partnerdir_at_once_rss"] > 0 and memory["partnerdir_at_once_pss"] > 0
    assert "processes at once: at most" in text and "Every process's peak" in text
    assert "in a round of its own with the sampler" in text
    if round_["partnerdir"] is None:
        assert "not measured: `build.py build` is not available" in text
    else:
        assert size["pages_same"] is True
        assert round_["partnerdir_cpu"] > 0
        assert size["profiles_differing"] == 0
        # stage names are the build's own; Pagefind's names "index"
        stages = round_["partnerdir_stages"]
        assert any("index" in name for name in stages) and len(stages) >= 3
        assert "text and charts equal in all" in text


#: A parent and a child that each hold 200 MB of their own at the same moment.
TWO_AT_ONCE = """
import os, time
block = bytearray(200 * 2**20)
pid = os.fork()
if pid == 0:
    mine = bytearray(200 * 2**20)
    time.sleep(1.0)
    os._exit(0)
time.sleep(1.0)
os.waitpid(pid, 0)
"""


def test_the_sampler_adds_the_processes_that_run_at_once() -> None:
    from bench.run import run

    result = run([sys.executable, "-c", TWO_AT_ONCE])
    assert result.ok
    [(parent, parent_peak), (child, child_peak)] = result.processes
    assert parent == child and parent.startswith("python")
    assert parent_peak >= 200 * 2**20 and child_peak >= 400 * 2**20  # the child shares 200 MB
    # RSS counts the shared block twice; PSS once, with each process's own block
    assert result.peak_total_rss >= 600 * 2**20
    assert 400 * 2**20 <= result.peak_total_pss < 560 * 2**20


#: A parent that waits while its child spins for 0.5 s of CPU time.
CHILD_SPINS = """
import os, time
pid = os.fork()
if pid == 0:
    end = time.process_time() + 0.5
    while time.process_time() < end:
        pass
    os._exit(0)
os.waitpid(pid, 0)
"""


def test_cpu_time_counts_the_children_waited_for() -> None:
    from bench.run import run

    result = run([sys.executable, "-c", CHILD_SPINS])
    assert result.ok
    assert result.cpu_seconds >= 0.5


def test_the_harness_measures_partnerdir_from_bytecode() -> None:
    """Where PYTHONDONTWRITEBYTECODE is set, each build would compile partnerdir first; the
    harness compiles it once, as an installed package is."""
    import importlib.util

    from bench.run import compile_package

    source = ROOT / "partnerdir" / "cli.py"
    compiled = Path(importlib.util.cache_from_source(str(source)))
    compiled.unlink(missing_ok=True)
    compile_package(sys.executable)
    assert compiled.is_file()
