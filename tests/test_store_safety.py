"""A case survives kills, refuses a second writer and points to its last good copy."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from redactview.core.model import Annotation
from redactview.errors import CaseFileError, CaseLockedError
from redactview.store.case import Case
from redactview.store.safety import backup_path

WRITER = textwrap.dedent(
    """
    import sys
    from redactview.core.model import Annotation
    from redactview.store.case import Case

    case = Case.open(sys.argv[1], create=True)
    i = 0
    while True:
        case.annotations.save(Annotation(f"r{i}", note="n" * 2000 + str(i), tags=(f"t{i % 7}",)))
        print(i, flush=True)   # printed only after the commit returned
        i += 1
    """
)


def test_sigkill_during_writes_loses_no_committed_annotation(tmp_path: Path) -> None:
    path = tmp_path / "killed.rvcase"
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    last = -1
    for line in proc.stdout:
        last = int(line)
        if last >= 40:
            break
    os.kill(proc.pid, signal.SIGKILL)  # most likely in the middle of the next write
    proc.wait()
    assert last >= 40
    with Case.open(path) as case:  # the OS dropped the lock with the process
        saved = case.annotations.all()
        for i in range(last + 1):
            assert saved[f"r{i}"].note.endswith(str(i))
            assert saved[f"r{i}"].tags == (f"t{i % 7}",)


def test_second_writer_is_refused_read_only_allowed(tmp_path: Path) -> None:
    path = tmp_path / "shared.rvcase"
    with Case.open(path, create=True) as first:
        first.annotations.save(Annotation("r1", note="mine"))
        with pytest.raises(CaseLockedError, match="another redactview"):
            Case.open(path)
        with Case.open(path, readonly=True) as reader:
            assert reader.annotations.get("r1").note == "mine"
    with Case.open(path) as again:  # released on close
        assert again.annotations.get("r1").note == "mine"


def test_second_process_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "shared.rvcase"
    with Case.open(path, create=True):
        code = (
            "import sys\nfrom redactview.store.case import Case\n"
            "from redactview.errors import CaseLockedError\n"
            "try:\n    Case.open(sys.argv[1])\nexcept CaseLockedError:\n    sys.exit(42)\n"
        )
        proc = subprocess.run([sys.executable, "-c", code, str(path)])
        assert proc.returncode == 42


@pytest.mark.parametrize("offset", [0, 4096 + 100])
def test_damaged_case_points_to_last_good_copy(tmp_path: Path, offset: int) -> None:
    path = tmp_path / "damaged.rvcase"
    with Case.open(path, create=True) as case:
        for i in range(300):  # enough rows to spread over several pages
            case.annotations.save(Annotation(f"r{i}", note="x" * 300))
    Case.open(path).close()  # a clean open refreshes the last good copy
    assert backup_path(path).exists()
    with open(path, "r+b") as handle:
        handle.seek(offset)
        handle.write(os.urandom(4096))
    with pytest.raises(CaseFileError, match="damaged") as err:
        Case.open(path)
    assert str(backup_path(path)) in str(err.value)
    with Case.open(backup_path(path), readonly=True) as backup:
        assert backup.annotations.get("r299").note == "x" * 300
