"""Writing an export atomically: a reader never sees half a report.

Everything is written to a temporary file in the destination folder (same file
system, so ``os.replace`` is an atomic rename) and only then moved into place.
A failure leaves the previous file, if any, untouched and no temp file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from redactview.errors import OutputError


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def temp_beside(out: Path) -> Iterator[Path]:
    """Yield a temp path beside ``out``; on success it replaces ``out``."""
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{out}: the folder {folder} does not exist")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise OutputError(f"{out}: cannot write in {folder} ({exc.strerror})") from exc
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        # mkstemp makes the file private (0600); a report is an ordinary file
        # the user will share, so give it the permissions a plain open() would.
        os.chmod(tmp, 0o666 & ~_current_umask())
        os.replace(tmp, out)
    except OSError as exc:
        raise OutputError(f"{out}: cannot write ({exc.strerror})") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_atomically(out: Path, produce: Callable[[Path], None]) -> Path:
    """Call ``produce(tmp)`` to write a temp file, then move it to ``out``."""
    with temp_beside(out) as tmp:
        produce(tmp)
    return out


def write_bytes_atomically(out: Path, data: bytes) -> Path:
    def produce(tmp: Path) -> None:
        tmp.write_bytes(data)

    return write_atomically(out, produce)


def write_text_atomically(out: Path, text: str) -> Path:
    return write_bytes_atomically(out, text.encode("utf-8"))
