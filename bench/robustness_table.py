"""Print the robustness table of docs/robustness.md from actual runs.

Every hostile input of ``tests/hostile_corpus.py`` goes through the CLI in
this process (info, scan --jobs 1, leaks, ocr --jobs 1), then the cases that
need more than one command: passwords, XFDF imports, damaged and locked case
files, the fuzzing tally. Each row is the exit code and the one stderr line.

    .venv/bin/python bench/robustness_table.py            # about a minute
    .venv/bin/python bench/robustness_table.py --many     # + 10,000-page info
    .venv/bin/python bench/robustness_table.py --fuzz 200 # + 200 random mutants
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from hostile_corpus import CORPUS, make_encrypted, make_many_pages  # noqa: E402

from redactview.cli.main import run  # noqa: E402
from redactview.store.case import Case  # noqa: E402

COMMANDS = {
    "info": [],
    "scan": ["--jobs", "1", "--quiet"],
    "leaks": ["--quiet"],
    "ocr": ["--jobs", "1", "--quiet"],
}


def run_quietly(argv: list[str], folder: Path) -> tuple[int, str, float]:
    """Exit code, the first stderr line (temp folder removed), seconds."""
    err = io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = run(argv)
    seconds = time.perf_counter() - start
    lines = err.getvalue().replace(f"{folder}/", "").strip().splitlines()
    first = lines[0] if lines else ""
    if len(lines) > 1:
        first += f" (+{len(lines) - 1} lines)"
    return code, first, seconds


def cell(code: int, message: str) -> str:
    text = message.replace("redactview: ", "").replace("|", "\\|")
    return f"{code}" + (f": {text}" if text else "")


def corpus_rows(folder: Path) -> list[str]:
    rows = []
    for name, maker in CORPUS.items():
        sub = folder / name
        sub.mkdir()
        path = maker(sub)
        cells = []
        for command, extra in COMMANDS.items():
            case = ["--case", str(sub / "c.rvcase")] if command == "scan" else []
            code, message, _ = run_quietly([command, *extra, *case, str(path)], sub)
            cells.append(cell(code, message))
        report, message, _ = run_quietly(["report", str(sub / "c.rvcase"), "-f", "json"], sub)
        cells.append(cell(report, message))
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return rows


def password_rows(folder: Path) -> list[str]:
    path = make_encrypted(folder)
    case = folder / "enc.rvcase"
    rows = []
    for label, argv in (
        ("scan --password secret", ["scan", *COMMANDS["scan"], "--case", str(case)]),
        ("ocr --password secret", ["ocr", *COMMANDS["ocr"]]),
        ("leaks --password secret", ["leaks", "--quiet"]),
        ("info --password wrong", ["info"]),
    ):
        password = "wrong" if "wrong" in label else "secret"
        code, message, _ = run_quietly([*argv, "--password", password, str(path)], folder)
        rows.append(f"| encrypted: {label} | {cell(code, message)} |")
    for fmt in ("json", "html"):
        out = ["-o", str(folder / f"r.{fmt}")] if fmt != "json" else []
        code, message, _ = run_quietly(["report", str(case), "-f", fmt, *out, "-q"], folder)
        rows.append(f"| encrypted release: report -f {fmt} | {cell(code, message)} |")
    return rows


def xfdf_rows(folder: Path) -> list[str]:
    case = folder / "x.rvcase"
    run_quietly(["scan", "--jobs", "1", "--quiet", "--no-ocr", "--case", str(case),
                 str(CORPUS["javascript"](folder))], folder)  # fmt: skip
    dtd = '<!DOCTYPE x [<!ENTITY a "AAAA"><!ENTITY b "&a;&a;&a;&a;">]>'
    body = (
        '<xfdf xmlns="http://ns.adobe.com/xfdf/"><annots><square page="{page}" '
        'rect="100,600,200,620"><contents>{text}</contents></square></annots>'
        '<f href="../../../../tmp/elsewhere.pdf"/></xfdf>'
    )
    inputs = {
        "XFDF with entities (UTF-8)": ("utf-8", dtd + body.format(page=0, text="&b;")),
        "XFDF with entities (UTF-16)": ("utf-16", dtd + body.format(page=0, text="&b;")),
        "XFDF square on page 999, href outside": ("utf-8", body.format(page=999, text="x")),
        "XFDF not well-formed": ("utf-8", "<xfdf><annots><square"),
    }
    rows = []
    for label, (encoding, text) in inputs.items():
        path = folder / "in.xfdf"
        header = f'<?xml version="1.0" encoding="{encoding}"?>'
        path.write_bytes((header + text).encode(encoding))
        code, message, _ = run_quietly(
            ["report", str(case), "--import-xfdf", str(path), "--release", "1"], folder
        )
        rows.append(f"| {label} | {cell(code, message or 'imported (stdout: summary)')} |")
    return rows


def case_rows(folder: Path) -> list[str]:
    case = folder / "k.rvcase"
    run_quietly(["scan", "--jobs", "1", "--quiet", "--no-ocr", "--case", str(case),
                 str(CORPUS["javascript"](folder))], folder)  # fmt: skip
    rows = []
    with Case.open(case):  # a second writer while this one holds the lock
        code, message, _ = run_quietly(
            ["scan", "--jobs", "1", "--quiet", "--case", str(case), str(folder / "javascript.pdf")],
            folder,
        )
        rows.append(f"| case open in another process, second writer | {cell(code, message)} |")
        code, message, _ = run_quietly(["report", str(case), "-f", "json"], folder)
        rows.append(f"| case open in another process, read-only report | {cell(code, message)} |")
    data = bytearray(case.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # a page of the database overwritten
    case.write_bytes(bytes(data))
    code, message, _ = run_quietly(["report", str(case), "-f", "json"], folder)
    rows.append(f"| case file damaged (page 2 overwritten) | {cell(code, message)} |")
    (folder / "garbage.rvcase").write_bytes(b"not a database" * 100)
    code, message, _ = run_quietly(["report", str(folder / "garbage.rvcase"), "-f", "json"], folder)
    rows.append(f"| case file that is not a case | {cell(code, message)} |")
    return rows


def many_pages_row(folder: Path) -> str:
    path = make_many_pages(folder, 10_000)
    code, message, seconds = run_quietly(["info", "--json", str(path)], folder)
    return f"| 10,000-page file: info | {cell(code, message)} ({seconds:.0f} s) |"


def fuzz_row(examples: int) -> str:
    from hypothesis import HealthCheck, given, settings
    from test_fuzz_pdfs import MUTATIONS, run_mutant

    tally: collections.Counter[str] = collections.Counter()

    @settings(max_examples=examples, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(MUTATIONS)
    def drive(data: bytes) -> None:
        tally[run_mutant(data)] += 1  # anything but our errors propagates: a crash

    drive()
    counts = ", ".join(f"{name} {n}" for name, n in tally.most_common())
    return f"| {examples} random mutants (flips, cuts, objects, numbers) | {counts} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--many", action="store_true", help="also info on 10,000 pages")
    parser.add_argument("--fuzz", type=int, default=0, help="random mutants to tally")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rv-robust-") as name:
        folder = Path(name)
        print("| input | info | scan --jobs 1 | leaks | ocr --jobs 1 | report -f json |")
        print("|---|---|---|---|---|---|")
        print("\n".join(corpus_rows(folder)))
        print("\n| input | outcome |\n|---|---|")
        for make in (password_rows, xfdf_rows, case_rows):
            sub = folder / make.__name__
            sub.mkdir()
            print("\n".join(make(sub)))
        if args.many:
            print(many_pages_row(folder))
        if args.fuzz:
            print(fuzz_row(args.fuzz))


if __name__ == "__main__":
    main()
