"""A guard against PySide6 builds that drop a reference to None on every void call.

Measured here with PySide6 6.12.0 on CPython 3.11.7: each Qt method returning
void (``update()``, ``resize()``, ``QTimer.start()``, ``setIcon()``, ...) lowers
None's reference count by one that it never took. Python 3.12 made None
immortal, so the slip is harmless there; on 3.11 the count reaches zero and the
interpreter aborts ("Fatal Python error: none_dealloc"). The viewer lost about 10
references per scroll step and 2,800 opening a 500-page scan, from about 28,600:
a crash after minutes of use. The benches died the same way at exit
(``bool_dealloc`` too). The real fix is a PySide6 without the slip or Python
3.12+; until then, where the slip is seen, None, True and False are given a
headroom of references they can never lose (they are never freed anyway).
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QTimer

_HEADROOM = 1 << 40  # ~10^12 void calls
_PROBE_CALLS = 16
_guarded = False


def drops_none_references() -> bool:
    """Whether void Qt calls lower None's reference count (the PySide6 slip)."""
    timer = QTimer()
    before = sys.getrefcount(None)
    for _ in range(_PROBE_CALLS):
        timer.stop()
    return sys.getrefcount(None) <= before - _PROBE_CALLS // 2


def guard_none_refcount() -> bool:
    """Give None/True/False headroom if this PySide6 drops their references; True if done.

    Once per process (the app and each test may ask).
    """
    global _guarded
    if _guarded:
        return True
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False  # immortal singletons: nothing can reach zero
    if hasattr(sys, "getobjects"):  # a trace-refs build: the count is not the first field
        return False
    if not drops_none_references():
        return False
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every object in a release CPython 3.11 build.
        ctypes.c_ssize_t.from_address(id(singleton)).value += _HEADROOM
    _guarded = True
    return True
