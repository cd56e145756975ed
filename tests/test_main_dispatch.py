"""`redactview` with a subcommand runs the CLI; with nothing or paths, the GUI."""

from __future__ import annotations

from redactview.__main__ import wants_gui


def test_dispatch() -> None:
    assert wants_gui([])
    assert wants_gui(["release.pdf", "case.rvcase"])
    assert not wants_gui(["info", "x.pdf"])
    assert not wants_gui(["--version"])
    assert not wants_gui(["--help"])
