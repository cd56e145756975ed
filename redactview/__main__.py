"""Entry point: ``redactview`` and ``python -m redactview``.

With a subcommand it runs the CLI; with nothing, or only PDF/case paths, it
opens the desktop app. ``freeze_support`` must run first so that worker
processes of a frozen (PyInstaller) build do not start a second app.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Sequence


def wants_gui(argv: Sequence[str]) -> bool:
    """No arguments, or only paths (no subcommand, no option): open the app."""
    from redactview.cli.main import command_names

    if not argv:
        return True
    return not (argv[0] in command_names() or argv[0].startswith("-"))


def main_gui(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        from redactview.ui.app import run_app
    except ImportError as exc:
        print(
            f"redactview: the desktop app cannot start ({exc}).\n"
            "  Qt's system libraries may be missing; see README (Quick start).",
            file=sys.stderr,
        )
        return 1
    return run_app(args)


def main(argv: Sequence[str] | None = None) -> int:
    multiprocessing.freeze_support()
    args = list(sys.argv[1:] if argv is None else argv)
    if wants_gui(args):
        return main_gui(args)
    from redactview.cli.main import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
