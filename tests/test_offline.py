"""redactview never touches the network: no socket during open, scan, OCR, leaks or any export.

An audit hook (installed once, recording only inside ``watch_events``) sees
every socket created, bound, connected or resolved, in this process. The
commands run in-process with ``--jobs 1`` so all their work happens where the
hook can see it. A second, static test keeps network modules out of the code.
"""

from __future__ import annotations

import ast
import json
import socket
from pathlib import Path

import pymupdf
import pytest
from hostile_corpus import NETWORK_EVENTS, watch_events

from redactview.cli.main import COMMANDS, run
from redactview.export.service import ExportFormat

PACKAGE = Path(__file__).resolve().parent.parent / "redactview"
NETWORK_MODULES = (
    "socket",
    "ssl",
    "urllib",
    "http",
    "requests",
    "urllib3",
    "httpx",
    "aiohttp",
    "ftplib",
    "smtplib",
    "xmlrpc",
    "webbrowser",
)
# The opt-in ``--dask`` executor talks to a cluster the user names; nothing else may.
ALLOWED = {PACKAGE / "jobs" / "dask_executor.py"}


def extract_page(source: Path, number: int, target: Path) -> Path:
    doc = pymupdf.open(source)
    doc.select([number - 1])
    doc.save(target)
    doc.close()
    return target


def test_guard_sees_a_socket() -> None:
    """The guard itself works: otherwise the test below could never fail."""
    with watch_events(NETWORK_EVENTS) as seen:
        socket.socket().close()
        with pytest.raises(OSError):
            socket.getaddrinfo("host.invalid", 80)
    assert {"socket.__new__", "socket.getaddrinfo"} <= {event for event, _ in seen}


@pytest.mark.slow
def test_no_socket_in_any_command(
    samples_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scan = extract_page(samples_dir / "release_a.pdf", 1, tmp_path / "a-p1.pdf")
    memo = extract_page(samples_dir / "memo_born_digital.pdf", 1, tmp_path / "memo-p1.pdf")
    case = tmp_path / "offline.rvcase"
    steps: list[list[str]] = [
        ["info", "--json", str(scan), str(memo)],
        ["scan", "--jobs", "1", "--quiet", "--case", str(case), str(scan), str(memo)],
        ["ocr", "--jobs", "1", "--quiet", "--case", str(case), str(scan)],
        ["leaks", "--quiet", "--case", str(case), str(scan), str(memo)],
    ]
    if "compare" in COMMANDS:  # release B's page 2 is release A's page 1, re-released
        again = extract_page(samples_dir / "release_b.pdf", 2, tmp_path / "b-p2.pdf")
        steps.append(["compare", "--jobs", "1", "--quiet", str(scan), str(again)])
    for fmt in ExportFormat:
        release = ["--release", "1"] if fmt.per_release else []
        target = str(tmp_path / f"out-{fmt.value}{fmt.suffix}")
        steps.append(["report", str(case), "-f", fmt.value, "-o", target, "-q", *release])
    with watch_events(NETWORK_EVENTS) as seen:
        for argv in steps:
            code = run(argv)
            assert code == 0, (argv, capsys.readouterr().err)
    assert seen == []
    # The run did real work: the scanned page's boxes reached the report.
    report = json.loads((tmp_path / "out-json.json").read_text())
    assert len(report["releases"]) == 2
    assert len(report["redactions"]) >= 5  # release_a page 1 holds five
    assert len(list(tmp_path.glob("out-*"))) == len(ExportFormat)


def network_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [n for n in names if n.split(".")[0] in NETWORK_MODULES]
    return found


def test_no_network_module_is_imported() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): names
        for path in sorted(PACKAGE.rglob("*.py"))
        if path not in ALLOWED and (names := network_imports(path))
    }
    assert offenders == {}


def test_import_scan_sees_a_network_import(tmp_path: Path) -> None:
    sample = tmp_path / "bad.py"
    sample.write_text("import os\nfrom urllib.request import urlopen\nimport http.client as h\n")
    assert network_imports(sample) == ["urllib.request", "http.client"]
