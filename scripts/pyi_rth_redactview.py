"""PyInstaller runtime hook for redactview (runs in the frozen app before its code).

1. Child programs must see the user's library path, not ours. On Linux the
   bootloader may point LD_LIBRARY_PATH at the bundle (keeping the user's value
   in LD_LIBRARY_PATH_ORIG); the system ``tesseract`` started by pytesseract
   would then load the bundle's copies of libpng/libtiff/libstdc++ and can
   crash or refuse to start. Our own worker processes are the frozen
   executable itself, and its bootloader sets the path again for them, so
   restoring the user's value in this process is safe.
2. ``REDACTVIEW_QUIT_AFTER_MS`` (smoke tests) must work in the frozen GUI even
   when ``run_app`` does not start the watchdog itself; see redactview/ui/smoke.py.
"""

from __future__ import annotations

import os
import sys


def _restore_library_path() -> None:
    """Give child programs the user's LD_LIBRARY_PATH (Linux/BSD; macOS needs nothing)."""
    original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is not None:
        os.environ["LD_LIBRARY_PATH"] = original
        return
    bundle = getattr(sys, "_MEIPASS", None)
    current = os.environ.get("LD_LIBRARY_PATH", "")
    if bundle and current.split(os.pathsep)[0] == bundle:
        del os.environ["LD_LIBRARY_PATH"]  # the user had none; only ours was there


def _start_smoke_watchdog() -> None:
    if os.environ.get("REDACTVIEW_QUIT_AFTER_MS"):
        from redactview.ui.smoke import start_quit_watchdog

        start_quit_watchdog()


_restore_library_path()
_start_smoke_watchdog()
