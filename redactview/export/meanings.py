"""What an exemption code means, in one sentence, for notes and reports.

The catalog itself lives in ``redactview.core.exemptions`` (one CSV per
jurisdiction); this is the one place exports ask it, so a report and an
annotation always give the same meaning.
"""

from __future__ import annotations

from redactview.core.exemptions import describe


def meaning_of(code: str) -> str:
    """The meaning of a canonical code, or "" if no catalog knows it.

    A (b)(3) claim often names its statute ("(b)(3): 50 U.S.C. 3024(i)"); the
    meaning is (b)(3)'s, and the statute stays visible in the code itself.
    """
    found = describe(code)
    if found is None and code.startswith("(b)(3)"):
        found = describe("(b)(3)")
    return found or ""


def describe_codes(codes: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((code, meaning_of(code)) for code in codes)
