"""The shipped workflows: triggers, least permissions, actions pinned to full commit SHAs."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from partnerdir.cli import _parser

WORKFLOWS = Path(__file__).parent.parent / ".github" / "workflows"
PINNED = re.compile(r"^(?P<action>[\w.-]+/[\w.-]+)@(?P<sha>[0-9a-f]{40})$")
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


def test_check_runs_on_pull_request_only() -> None:
    check = load("check.yml")
    assert check["on"] == {"pull_request": None}
    code = [line for line in (WORKFLOWS / "check.yml").read_text().splitlines()
            if not line.lstrip().startswith("#")]  # fmt: skip
    assert not [line for line in code if "pull_request_target" in line or "workflow_run" in line]


def test_check_reads_contents_only() -> None:
    check = load("check.yml")
    assert check["permissions"] == {"contents": "read"}
    assert all("permissions" not in job for job in check["jobs"].values())


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
    seen: dict[str, str] = {}
    for name in ("check.yml", "publish.yml"):
        for line in (WORKFLOWS / name).read_text().splitlines():
            if match := VERSION_COMMENT.search(line):
                action = match.group(1).split("@")[0]
                assert seen.setdefault(action, match.group(1)) == match.group(1)


@pytest.mark.parametrize("name", ["check.yml", "publish.yml"])
def test_no_expression_is_pasted_into_a_script(name: str) -> None:
    """Event values reach scripts through env, so a branch name cannot become shell code."""
    for step in steps(load(name)):
        assert "${{" not in step.get("run", ""), step


@pytest.mark.parametrize("name", ["check.yml", "publish.yml"])
def test_checkout_keeps_no_credentials(name: str) -> None:
    for step in steps(load(name)):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


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
    env = {"BASE_REF": "main", "AUTHOR": "kari-nordmann", "ASSOCIATION": association}
    done = subprocess.run(
        ["bash", "-e", "-c", script], env=env, capture_output=True, text=True, check=True
    )
    argv = done.stdout.splitlines()
    assert argv == ["check", "--format", "github", "--base", "origin/main", *expected]
    args = _parser().parse_args(argv)
    assert (args.format, args.base) == ("github", "origin/main")
    assert shlex.join(argv)  # every argument is one word: nothing split or globbed
