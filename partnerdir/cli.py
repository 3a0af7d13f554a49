"""The command line: parse arguments, run one command, print and choose the exit code."""

from __future__ import annotations

import argparse
import dataclasses
import functools
import os
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import parallel
from .content.cache import DEFAULT_FOLDER as DEFAULT_CACHE
from .content.checking import Checked, check_content
from .problems import PartnerdirError, Problem, UsageError, sort_problems
from .report import format_report, format_summary

if TYPE_CHECKING:  # the build's modules (Jinja, Markdown) load only for commands that build,
    # and the pull-request check's (git, ownership, notices) only for `check --base`
    from .pipeline import BuildResult
    from .pullrequest.comparison import Comparison

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
COMMANDS = ("build", "check", "report", "serve", "new", "codeowners", "seal")


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="partnerdir",
        description="Check a partner directory and build its static site.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        cmd.add_argument(
            "--content", type=Path, default=Path("content"), help="content folder (content)"
        )
        cmd.add_argument(
            "--today", type=_parse_date, default=date.today(), help="build date (today)"
        )
        return cmd

    check = command("check", "validate and evaluate the content; exit 1 on any error")
    check.add_argument("files", nargs="*", type=Path, help="report problems of these files only")
    check.add_argument("--format", choices=("text", "github"), default="text")
    check.add_argument(
        "--base",
        metavar="REF",
        help="compare with this git ref: files changed, partners added or removed, levels before "
        "and after; an error when the change edits more than one partner's listing and logo",
    )
    check.add_argument(
        "--head",
        metavar="REF",
        help="with --base: check this commit, read from git objects, instead of the working "
        "tree; the verdict on a pull request, run from a checkout of its base",
    )
    check.add_argument(
        "--check-run",
        metavar="FILE",
        type=Path,
        help="with --head: write the GitHub check run (annotations on the pull request's "
        "lines, summary, conclusion) to FILE as JSON, for "
        "`python -m partnerdir.pullrequest.github post`",
    )
    check.add_argument(
        "--allow-programme",
        action="store_true",
        help="with --base: the programme team's change, which may edit any file",
    )
    _cache_options(check)
    check.add_argument(
        "--author",
        metavar="HANDLE",
        help="with --base: an error unless HANDLE maintains every partner file changed",
    )

    build = command("build", "check the content, then build the site (the default command)")
    _site_options(build)
    _cache_options(build)

    serve = command("serve", "build, serve the site on localhost and rebuild on every change")
    _site_options(serve, serving=True)
    _cache_options(serve)

    new = command("new", "write content/partners/ID.yaml with every field explained")
    new.add_argument("id", help="the partner id: lowercase letters, digits and hyphens")

    command("codeowners", "write .github/CODEOWNERS from the maintainers of the partner files")

    report = command("report", "the standings table for the programme team")
    report.add_argument("--format", choices=("text", "csv", "markdown"), default="text")

    seal = command(
        "seal",
        "write content/reviews/DATE.csv from the programme team's raw exports DIR/DATE.csv, "
        "each private figure replaced by its seal (what met / not yet reveals)",
    )
    seal.add_argument(
        "--private",
        metavar="DIR",
        type=Path,
        required=True,
        help="the folder of raw exports, outside the repository",
    )
    return parser


def _cache_options(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument(
        "--cache",
        metavar="DIR",
        type=Path,
        default=DEFAULT_CACHE,
        help=f"keep validated partner files here, by content, so an unchanged file is not "
        f"validated again ({DEFAULT_CACHE}; safe to delete)",
    )
    cmd.add_argument(
        "--no-cache",
        dest="cache",
        action="store_const",
        const=None,
        help="validate every partner file, and neither read nor write the cache",
    )


def _site_options(cmd: argparse.ArgumentParser, serving: bool = False) -> None:
    cmd.add_argument("--out", type=Path, default=Path("site"), help="output folder (site)")
    cmd.add_argument(
        "--templates",
        type=Path,
        default=None,
        help="a folder of templates (and static/) that replace the built-in ones of the same name",
    )
    if serving:
        cmd.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (8000)")
    else:
        cmd.add_argument(
            "--base-url",
            metavar="URL",
            default=None,
            help="publish under this URL instead of program.yaml's site.base_url (previews)",
        )


#: What the command made, kept to the end of the process when it runs as the program (`run`).
_made: list[object] | None = None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command on `argv` (the process's arguments when None) and return its exit code."""
    return _run(argv)


def run() -> NoReturn:
    """The program (build.py, the `partnerdir` command): run the command the process's
    arguments give, then end the process at once.

    What the command made (a check's content and levels, a build's) is neither freed object by
    object nor collected on the way out, as an interpreter's end does: the system takes the
    process's memory back whole. A cold check of 10,000 partner files spent its last 0.08 s on
    that (0.05 s freeing the checked content as the command returned, 0.03 s ending the
    interpreter). Output is flushed first; as at an interpreter's end, the exit code is 120
    when it cannot be.
    """
    global _made
    _made = []
    code = _run(None)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`check | head`), a closed stream
            code = code or 120
    os._exit(code)


def _keep(made: object) -> None:
    """Keep what a command made to the end of the process, when it runs as the program (`run`):
    freeing it would only cost time."""
    if _made is not None:
        _made.append(made)


def _run(argv: Sequence[str] | None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0] not in (*COMMANDS, "-h", "--help"):
        args_list.insert(0, "build")  # build is the default command
    parser = _parser()
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exit_:
        return int(exit_.code or 0) and EXIT_USAGE
    try:
        handler = _HANDLERS[args.command]
    except KeyError:
        parser.print_usage(sys.stderr)
        print(f"partnerdir: '{args.command}' is not available yet", file=sys.stderr)
        return EXIT_USAGE
    try:
        return handler(args)
    except UsageError as error:
        print(f"partnerdir: {error}", file=sys.stderr)
        return EXIT_USAGE
    except PartnerdirError as error:
        print(f"partnerdir: {error}", file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print("partnerdir: interrupted", file=sys.stderr)
        return 130


def _require_content(content: Path) -> None:
    if not content.is_dir():
        raise UsageError(f"no content folder at '{content}' (use --content DIR)")


def _cmd_check(args: argparse.Namespace) -> int:
    if args.head is None:
        _require_content(args.content)
    signing = _verdict_key(args)
    key = signing if isinstance(signing, str) else None
    if key is not None:
        from .content.unchanged import last_verdict

        last = last_verdict(args.cache, key)
        if last is not None:  # nothing read has changed since that check: its verdict holds
            sys.stdout.write(last.output)
            return last.exit_code
    computing = signing if isinstance(signing, parallel.Computing) else None
    try:
        checked, comparison = _checks(args)
        _keep(checked)
        if computing is not None:
            key = computing.result(None)
    finally:
        if computing is not None:
            computing.cancel()
    shown = _only_files(checked.problems, args.files, args.content)
    if args.format == "github":
        from .pullrequest.github import format_annotations, format_level_notices

        out = format_annotations(shown)
        if comparison is not None:
            out = "\n".join(filter(None, [out, format_level_notices(comparison)]))
    else:
        out = "\n".join(str(p) for p in shown)
    summary = format_summary(checked, args.today)
    exit_code = EXIT_CONTENT if any(p.is_error for p in shown) else EXIT_OK
    if key is not None:
        from .content.unchanged import Verdict, keep_verdict

        printed = "".join(f"{text}\n" for text in (out, summary) if text)
        sys.stdout.write(printed)
        keep_verdict(args.cache, key, Verdict(printed, exit_code))
        return exit_code
    if out:
        print(out)
    stream = sys.stderr if args.format == "github" else None
    print(summary, file=stream)
    if comparison is not None:
        from .pullrequest.comparison import format_comparison

        print(format_comparison(comparison), file=stream)
    if os.environ.get("GITHUB_STEP_SUMMARY") or args.check_run:
        from .pullrequest.github import append_step_summary, check_run, format_step_summary

        summary = format_step_summary(checked, args.today, comparison)
        if os.environ.get("GITHUB_STEP_SUMMARY"):
            append_step_summary(Path(os.environ["GITHUB_STEP_SUMMARY"]), summary)
        if args.check_run and comparison is not None:
            run = check_run(shown, summary, comparison.head)
            args.check_run.write_text(run, encoding="utf-8")
    return exit_code


def _verdict_key(args: argparse.Namespace) -> str | parallel.Computing[str | None] | None:
    """The key of the verdict a plain check (text output, a cache, no comparison with git) may
    replay (content/unchanged.py): None for any other check, or one that must run whole.

    With no verdict kept at all, there is none to replay: the key is then being worked out in
    another process while this one checks (0.12 s of a first check of 10,000 partner files,
    on a core otherwise idle while the check loads the content).
    """
    if (
        args.cache is None
        or args.format != "text"
        or args.base
        or args.head
        or args.check_run
        or os.environ.get("GITHUB_STEP_SUMMARY")
    ):
        return None
    from .content.unchanged import kept, signature
    from .pullrequest.codeowners import codeowners_path

    arguments = ["check", args.today.isoformat(), os.fspath(args.content)]
    arguments += [os.fspath(file) for file in args.files]
    sign = functools.partial(signature, args.content, [codeowners_path(args.content)], arguments)
    if kept(args.cache):
        return sign()
    since = time.time_ns()  # before the check reads anything
    return parallel.compute_forked(lambda: [sign(since=since)])


def _checks(args: argparse.Namespace) -> tuple[Checked, Comparison | None]:
    """Check the content; with --base, also what the change may do (and with --head, the change
    is a commit read from git, never the working tree)."""
    from .pullrequest.codeowners import codeowners_problems

    if (args.author or args.allow_programme or args.head) and not args.base:
        raise UsageError(
            "--author, --allow-programme and --head compare with a git ref: add --base REF"
        )
    if args.check_run and not args.head:
        raise UsageError("--check-run reports on the pull request's commit: add --head REF")
    if not args.base:
        checked = check_content(args.content, args.today, args.cache)
        extra = codeowners_problems(checked.directory, args.content)
        if not extra:
            return checked, None
        return dataclasses.replace(checked, problems=sort_problems(checked.problems + extra)), None
    from .pullrequest.comparison import compare_with_base

    checked, comparison = compare_with_base(
        args.content,
        args.base,
        args.today,
        args.head if args.head is not None else check_content(args.content, args.today, args.cache),
        allow_programme=args.allow_programme,
        cache=args.cache,
        author=args.author,
    )
    if comparison.problems:
        problems = sort_problems(checked.problems + list(comparison.problems))
        checked = dataclasses.replace(checked, problems=problems)
    return checked, comparison


def _only_files(problems: list[Problem], files: list[Path], content: Path) -> list[Problem]:
    """With FILES given, their problems and those of the programme-owned files."""
    if not files:
        return problems
    # realpath, not Path.resolve(): a symlink loop in the content is a problem to report, and
    # resolve() raises on it.
    wanted = {os.path.realpath(f) for f in files}
    partners_dir = os.path.realpath(content / "partners")
    return [
        p
        for p in problems
        if (path := os.path.realpath(p.path)) in wanted or os.path.dirname(path) != partners_dir
    ]


def _cmd_build(args: argparse.Namespace) -> int:
    from .pipeline import Site, SiteJob

    _require_content(args.content)
    progress = (
        (lambda line: print(f"partnerdir: {line}", file=sys.stderr))
        if (sys.stderr.isatty())
        else None
    )
    job = SiteJob(
        args.content, args.out, args.today, args.base_url, args.templates, cache=args.cache
    )
    result = Site(job, progress=progress, delete_in_background=True).build()
    _keep(result)
    return _print_build(result, args.today)


def _cmd_serve(args: argparse.Namespace) -> int:
    from .pipeline import ProfileUpdate, SiteJob
    from .serve import serve

    _require_content(args.content)

    def report(result: BuildResult | ProfileUpdate | PartnerdirError) -> None:
        if isinstance(result, PartnerdirError):
            print(f"partnerdir: {result}; the last good site is still served", file=sys.stderr)
        elif isinstance(result, ProfileUpdate):
            for problem in result.problems:
                print(problem)
            if not result.problems:
                print(
                    f"Updated the profile of {', '.join(result.partners)} in "
                    f"{result.seconds:.2f} s; rebuilding the rest of the site"
                )
        else:
            _print_build(result, args.today)
        sys.stdout.flush()

    def ready(address: str) -> None:
        print(f"Serving {address} (rebuilds on every change; Ctrl-C to stop)", flush=True)

    try:
        serve(
            SiteJob(args.content, args.out, args.today, templates=args.templates, cache=args.cache),
            port=args.port,
            report=report,
            ready=ready,
        )
    except OSError as error:
        raise UsageError(f"cannot serve on 127.0.0.1:{args.port}: {error.strerror}") from None
    except KeyboardInterrupt:
        print("partnerdir: stopped", file=sys.stderr)
    return EXIT_OK


def _print_build(result: BuildResult, today: date) -> int:
    checked = result.checked
    for problem in checked.problems:
        print(problem)
    print(format_summary(checked, today))
    if not result.built:
        print(f"Nothing was published: '{result.out}' is unchanged.")
        return EXIT_CONTENT
    stages = ", ".join(f"{name} {seconds:.2f}" for name, seconds in result.timings.items())
    total = sum(result.timings.values())
    print(
        f"Built {result.out}/: {result.pages:,} pages, {result.files:,} files, "
        f"{result.listed:,} partners listed, in {total:.2f} s ({stages})."
    )
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    _require_content(args.content)
    checked = check_content(args.content, args.today)
    _keep(checked)
    if checked.directory is None or checked.evaluation is None:
        for problem in checked.problems:
            print(problem, file=sys.stderr)
        print("partnerdir: the content has errors; run `check` for details", file=sys.stderr)
        return EXIT_CONTENT
    print(format_report(checked.directory, checked.evaluation, args.format), end="")
    return EXIT_OK


def _cmd_new(args: argparse.Namespace) -> int:
    from .scaffold import new_partner

    path = new_partner(args.content, args.id)
    print(f"Wrote {path}: fill in the fields marked (required), then check it:")
    print(f"  python build.py check {path}")
    return EXIT_OK


def _cmd_codeowners(args: argparse.Namespace) -> int:
    from .pullrequest.codeowners import write_codeowners

    _require_content(args.content)
    checked = check_content(args.content, args.today)
    if checked.directory is None:
        for problem in checked.problems:
            print(problem, file=sys.stderr)
        print("partnerdir: the content has errors; CODEOWNERS was not written", file=sys.stderr)
        return EXIT_CONTENT
    if not checked.directory.program.site.owners:
        raise UsageError("site.owners in program.yaml is empty: name the programme team first")
    path, changed = write_codeowners(checked.directory, args.content)
    print(f"{'Wrote' if changed else 'Up to date:'} {path}")
    return EXIT_OK


def _cmd_seal(args: argparse.Namespace) -> int:
    from .content.sealing import seal_exports

    _require_content(args.content)
    if not args.private.is_dir():
        raise UsageError(f"no folder of raw exports at '{args.private}' (--private DIR)")
    sealing = seal_exports(args.private, args.content)
    for problem in sealing.problems:
        print(problem)
    if sealing.errors:
        print("partnerdir: the raw exports have errors; nothing was written", file=sys.stderr)
        return EXIT_CONTENT
    for path, rows in sealing.written:
        print(f"Wrote {path}: {rows:,} rows, private figures sealed")
    return EXIT_OK


_HANDLERS = {
    "build": _cmd_build,
    "serve": _cmd_serve,
    "check": _cmd_check,
    "report": _cmd_report,
    "new": _cmd_new,
    "codeowners": _cmd_codeowners,
    "seal": _cmd_seal,
}
