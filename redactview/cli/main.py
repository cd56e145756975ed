"""The command line: argument parsing and the one place errors become exit codes.

stdout carries data (text tables, JSON, CSV); progress and messages go to
stderr, so ``redactview scan x.pdf --format json > out.json`` stays clean.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

from redactview import __version__
from redactview.errors import ExitCode, RedactviewError

# Each subcommand is a module in redactview.cli with register(subparsers).
# register() sets ``func`` (args -> exit code) on its parser.
COMMANDS: tuple[str, ...] = ("info", "report", "fit", "ocr", "search", "leaks", "scan", "compare")

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="redactview",
        description="Find, catalog and compare redactions in FOIA releases. Works offline.",
        epilog="With no command (or only PDF/case paths) the desktop app opens.",
    )
    parser.add_argument("--version", action="version", version=f"redactview {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module: ModuleType = importlib.import_module(f"redactview.cli.{name}")
        module.register(subparsers)
    return parser


def command_names() -> tuple[str, ...]:
    return COMMANDS


def run(argv: Sequence[str] | None = None) -> int:
    """Run a subcommand; every error ends here as a one-line message and exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Handler | None = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stderr)
        return ExitCode.USAGE
    try:
        return int(func(args))
    except RedactviewError as err:
        print(f"redactview: error: {err.message}", file=sys.stderr)
        return int(err.exit_code)
    except KeyboardInterrupt:
        print("redactview: interrupted", file=sys.stderr)
        return int(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        # `redactview scan … | head`: the reader left; not an error worth a message.
        return int(ExitCode.OK)
    except Exception as exc:  # a bug: say so briefly, no traceback for the user
        print(
            f"redactview: internal error: {type(exc).__name__}: {exc}\n"
            "  (please report it; run with REDACTVIEW_DEBUG=1 for details)",
            file=sys.stderr,
        )
        import os

        if os.environ.get("REDACTVIEW_DEBUG"):
            raise
        return int(ExitCode.UNEXPECTED)
