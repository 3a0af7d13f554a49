"""The command line: parse arguments, run one command, print and choose the exit code."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from .checking import check_content
from .problems import PartnerdirError, Problem, UsageError
from .report import format_report, format_summary

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
COMMANDS = ("build", "check", "report", "serve", "new", "codeowners")


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

    report = command("report", "the standings table for the programme team")
    report.add_argument("--format", choices=("text", "csv", "markdown"), default="text")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
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
    _require_content(args.content)
    checked = check_content(args.content, args.today)
    shown = _only_files(checked.problems, args.files, args.content)
    if args.format == "github":
        from .github import format_annotations

        out = format_annotations(shown)
    else:
        out = "\n".join(str(p) for p in shown)
    if out:
        print(out)
    print(format_summary(checked, args.today), file=sys.stderr if args.format == "github" else None)
    return EXIT_CONTENT if any(p.is_error for p in shown) else EXIT_OK


def _only_files(problems: list[Problem], files: list[Path], content: Path) -> list[Problem]:
    """With FILES given, their problems and those of the programme-owned files."""
    if not files:
        return problems
    wanted = {str(f.resolve()) for f in files}
    partners_dir = (content / "partners").resolve()
    return [
        p
        for p in problems
        if str(Path(p.path).resolve()) in wanted or Path(p.path).resolve().parent != partners_dir
    ]


def _cmd_report(args: argparse.Namespace) -> int:
    _require_content(args.content)
    checked = check_content(args.content, args.today)
    if checked.directory is None or checked.evaluation is None:
        for problem in checked.problems:
            print(problem, file=sys.stderr)
        print("partnerdir: the content has errors; run `check` for details", file=sys.stderr)
        return EXIT_CONTENT
    print(format_report(checked.directory, checked.evaluation, args.format), end="")
    return EXIT_OK


_HANDLERS = {
    "check": _cmd_check,
    "report": _cmd_report,
}
