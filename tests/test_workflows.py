"""The shipped workflows: triggers, least permissions, actions pinned to full commit SHAs."""

from __future__ import annotations

import re
import shlex
from collections import defaultdict
from typing import Any

import pytest
import yaml
from paths import ROOT

from partnerdir.cli import _parser

WORKFLOWS = ROOT / ".github" / "workflows"
PINNED = re.compile(r"^(?P<action>[\w.-]+/[\w.-]+(?:/[\w.-]+)*)@(?P<sha>[0-9a-f]{40})$")
VERSION_COMMENT = re.compile(r"uses: (\S+) # (v\d+\.\d+\.\d+)$", re.M)
OFFICIAL_PAGES = {
    "actions/configure-pages",
    "actions/upload-pages-artifact",
    "actions/deploy-pages",
}


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    assert isinstance(data, dict)
    # YAML 1.1 reads the key `on` as the boolean True.
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def test_check_runs_the_base_branchs_code_on_pull_request_target() -> None:
    """The verdict comes from trusted code: the workflow of the base branch (pull_request_target)
    checks out the base, fetches the pull request's commit as git objects only, and never
    checks out, installs or runs it."""
    check = load("check.yml")
    assert check["on"] == {
        "pull_request_target": {"types": ["opened", "synchronize", "reopened", "edited"]}
    }
    all_steps = steps(check)
    checkouts = [s for s in all_steps if s.get("uses", "").startswith("actions/checkout@")]
    assert [c["with"]["ref"] for c in checkouts] == ["${{ github.event.pull_request.base.sha }}"]
    fetch = next(s for s in all_steps if "git" in s.get("run", "") and "fetch" in s["run"])
    assert "refs/pull/$NUMBER/head:refs/remotes/pull-request/head" in fetch["run"]
    scripts = "\n".join(s.get("run", "") for s in all_steps)
    for forbidden in ("checkout pull-request", "git switch", "pip install .", "pip install -e"):
        assert forbidden not in scripts
    assert "head.ref" not in (WORKFLOWS / "check.yml").read_text()


def test_check_has_least_permissions() -> None:
    check = load("check.yml")
    assert check["permissions"] == {}
    (job,) = check["jobs"].values()
    assert job["permissions"] == {"contents": "read", "checks": "write"}


@pytest.mark.parametrize("name", ["check.yml", "publish.yml"])
def test_installs_are_pinned_by_hash(name: str) -> None:
    """Exact, hashed versions from requirements.lock; never a range, never the package itself."""
    installs = [s["run"] for s in steps(load(name)) if "pip install" in s.get("run", "")]
    assert installs == [
        "python -m pip install --quiet --require-hashes --no-deps -r requirements.lock"
    ]


def test_the_lock_pins_every_runtime_dependency_with_hashes() -> None:
    import tomllib

    from packaging.requirements import Requirement

    root = WORKFLOWS.parent.parent
    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    text = (root / "requirements.lock").read_text()
    pins = dict(re.findall(r"^([a-z0-9._-]+)==(\S+) \\$", text, re.M))
    lines = text.splitlines()
    requirements = [n for n, line in enumerate(lines) if line and line[0] not in "# "]
    assert len(requirements) == len(pins) > 0, "every requirement is pinned with =="
    for n in requirements:
        assert lines[n + 1].strip().startswith("--hash=sha256:"), lines[n]
    assert "--index-url" not in text and "--find-links" not in text
    for line in project["dependencies"]:
        wanted = Requirement(line)
        name = wanted.name.lower().replace("_", "-")
        assert name in pins, f"{name} is not in requirements.lock: run make lock"
        assert wanted.specifier.contains(pins[name]), f"{name}=={pins[name]} vs {wanted}"


def test_publish_deploys_main_with_least_permissions_per_job() -> None:
    publish = load("publish.yml")
    assert publish["on"] == {"push": {"branches": ["main"]}, "workflow_dispatch": None}
    assert publish["permissions"] == {}
    build, deploy = publish["jobs"]["build"], publish["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    used = {PINNED.match(s["uses"])["action"] for s in steps(publish) if "uses" in s}  # type: ignore[index]
    assert OFFICIAL_PAGES <= used
    upload = next(s for s in steps(publish) if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "site"
    assert any(s.get("run") == "python build.py build" for s in steps(publish))


@pytest.mark.parametrize("name", ["check.yml", "publish.yml"])
def test_every_action_is_pinned_to_a_commit_with_its_version(name: str) -> None:
    text = (WORKFLOWS / name).read_text()
    uses = [s["uses"] for s in steps(load(name)) if "uses" in s]
    assert uses
    for ref in uses:
        assert PINNED.match(ref), f"{ref} is not pinned to a full commit SHA"
    commented = dict(VERSION_COMMENT.findall(text))
    assert sorted(commented) == sorted(set(uses)), "each pinned action names its version"


def test_the_same_action_is_pinned_to_the_same_commit_everywhere() -> None:
    pins = [
        match.group(1)
        for name in ("check.yml", "publish.yml")
        for line in (WORKFLOWS / name).read_text().splitlines()
        if (match := VERSION_COMMENT.search(line))
    ]
    commits: dict[str, set[str]] = defaultdict(set)
    for pin in pins:
        commits[pin.split("@")[0]].add(pin)
    assert {action: pinned for action, pinned in commits.items() if len(pinned) > 1} == {}
    # checkout and setup-python run in both workflows: an action used twice is compared
    assert len(pins) > len(commits) >= 5


@pytest.mark.parametrize("name", ["check.yml", "publish.yml"])
def test_no_expression_is_pasted_into_a_script(name: str) -> None:
    """Event values reach scripts through env, so a branch name cannot become shell code."""
    scripts = [step["run"] for step in steps(load(name)) if "run" in step]
    assert len(scripts) >= 2  # each workflow installs and runs partnerdir
    assert [script for script in scripts if "${{" in script] == []


@pytest.mark.parametrize("name", ["check.yml", "publish.yml"])
def test_checkout_keeps_no_credentials(name: str) -> None:
    checkouts = [s for s in steps(load(name)) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts  # each workflow checks out the repository
    assert [step for step in checkouts if step["with"]["persist-credentials"] is not False] == []


def test_check_fetches_the_base_branch_history() -> None:
    checkout = next(s for s in steps(load("check.yml")) if "checkout" in s.get("uses", ""))
    assert checkout["with"]["fetch-depth"] == 0


@pytest.mark.parametrize(
    ("association", "expected"),
    [
        ("MEMBER", ["--allow-programme"]),
        ("OWNER", ["--allow-programme"]),
        ("COLLABORATOR", ["--allow-programme"]),
        ("CONTRIBUTOR", ["--author", "kari-nordmann"]),
        ("FIRST_TIME_CONTRIBUTOR", ["--author", "kari-nordmann"]),
        ("NONE", ["--author", "kari-nordmann"]),
    ],
)
def test_check_command_is_one_the_cli_accepts(association: str, expected: list[str]) -> None:
    """Run the step's script with bash's `echo` in place of python, then parse its arguments."""
    import subprocess

    step = next(s for s in steps(load("check.yml")) if "build.py check" in s.get("run", ""))
    assert step["shell"] == "bash"
    script = step["run"].replace("python build.py", "printf '%s\\n'")
    env = {
        "BASE_SHA": "a" * 40,
        "HEAD_SHA": "b" * 40,
        "AUTHOR": "kari-nordmann",
        "ASSOCIATION": association,
        "RUNNER_TEMP": "/tmp/runner",
    }
    done = subprocess.run(
        ["bash", "-e", "-c", script], env=env, capture_output=True, text=True, check=True
    )
    argv = done.stdout.splitlines()
    assert argv == [
        "check",
        "--format",
        "github",
        "--base",
        "a" * 40,
        "--head",
        "b" * 40,
        *expected,
        "--check-run",
        "/tmp/runner/verdict.json",
    ]
    args = _parser().parse_args(argv)
    assert (args.format, args.base, args.head) == ("github", "a" * 40, "b" * 40)
    assert shlex.join(argv)  # every argument is one word: nothing split or globbed


def test_the_verdict_is_posted_by_the_base_branchs_code() -> None:
    step = next(
        s for s in steps(load("check.yml")) if "partnerdir.pullrequest.github" in s.get("run", "")
    )
    assert 'python -m partnerdir.pullrequest.github post "$RUNNER_TEMP/verdict.json"' in step["run"]
    assert step["if"] == "${{ !cancelled() }}"


def test_only_publish_on_main_saves_the_check_cache() -> None:
    """A pull request's check restores the cache and never saves one, so nothing a pull request
    sends becomes an entry that a later check trusts; publish saves it after building main."""
    check_uses = [s["uses"] for s in steps(load("check.yml")) if "uses" in s]
    publish_steps = steps(load("publish.yml"))
    publish_uses = [s.get("uses", "") for s in publish_steps]
    assert not any(use.startswith(("actions/cache@", "actions/cache/save@")) for use in check_uses)
    restore = [s for s in steps(load("check.yml")) if "actions/cache/restore@" in s.get("uses", "")]
    assert [s["with"]["path"] for s in restore] == [".partnerdir-cache"]
    build = next(i for i, s in enumerate(publish_steps) if s.get("run") == "python build.py build")
    save = next(i for i, use in enumerate(publish_uses) if use.startswith("actions/cache/save@"))
    assert save > build
    assert publish_steps[save]["with"]["path"] == ".partnerdir-cache"
    # workflow_dispatch may run publish on any branch: only main's own run saves
    assert publish_steps[save]["if"] == "github.ref == 'refs/heads/main'"
    assert publish_steps[save]["with"]["key"].startswith(restore[0]["with"]["restore-keys"])
