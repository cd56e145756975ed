"""One exception hierarchy for the whole app.

Library code raises these; it never prints. The CLI turns them into a one-line
message and an exit code in one place (``cli.main.run``); the GUI shows them in
one error dialog. Every error carries the exit code the CLI should use, so
adding an error never means touching the handler.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    UNEXPECTED = 1  # a bug: the handler prints a short report, not a traceback
    USAGE = 2  # argparse's own code for bad arguments
    INPUT_MISSING = 3  # a file the user named does not exist or cannot be read
    NOT_A_PDF = 4
    CORRUPT_PDF = 5
    ENCRYPTED_PDF = 6
    CASE_FILE = 7  # case file unreadable, corrupt, locked or from a newer version
    OCR_UNAVAILABLE = 8  # Tesseract or a language pack is missing
    CANCELLED = 9
    OUTPUT = 10  # an export could not be written
    LIMIT = 11  # input exceeds a safety limit (page size, page count, pixels)
    INTERRUPTED = 130  # Ctrl+C, as shells expect


class RedactviewError(Exception):
    """Base of every error a user may see. ``str(err)`` is the one-line message."""

    exit_code: ExitCode = ExitCode.UNEXPECTED

    def __init__(self, message: str, *, details: str = "") -> None:
        super().__init__(message)
        self.message = message
        # Longer text for the GUI's "details" section; never needed to act.
        self.details = details


class InputMissingError(RedactviewError):
    exit_code = ExitCode.INPUT_MISSING


class PdfError(RedactviewError):
    """Something is wrong with a PDF the user gave us."""

    exit_code = ExitCode.CORRUPT_PDF


class NotAPdfError(PdfError):
    exit_code = ExitCode.NOT_A_PDF


class CorruptPdfError(PdfError):
    exit_code = ExitCode.CORRUPT_PDF


class EncryptedPdfError(PdfError):
    """The PDF needs a password we were not given (or the one given is wrong)."""

    exit_code = ExitCode.ENCRYPTED_PDF


class LimitExceededError(PdfError):
    exit_code = ExitCode.LIMIT


class CaseFileError(RedactviewError):
    exit_code = ExitCode.CASE_FILE


class CaseTooNewError(CaseFileError):
    """The case file was written by a newer redactview; we refuse rather than damage it."""


class CaseLockedError(CaseFileError):
    """Another redactview has this case open for writing."""


class ReleaseNotFoundError(CaseFileError):
    """A release's PDF has moved and could not be found again by its sha256."""


class OcrUnavailableError(RedactviewError):
    exit_code = ExitCode.OCR_UNAVAILABLE


class OcrPageError(RedactviewError):
    """One page failed OCR (crash or timeout); the run goes on without it."""

    exit_code = ExitCode.UNEXPECTED


class CancelledError(RedactviewError):
    exit_code = ExitCode.CANCELLED

    def __init__(self, message: str = "Cancelled.", *, details: str = "") -> None:
        super().__init__(message, details=details)


class OutputError(RedactviewError):
    exit_code = ExitCode.OUTPUT
