"""What an exemption code means, in one sentence.

Kept behind ``meaning_of`` so that switching to the shared exemption catalog
(``redactview.core.exemptions``, being written) is a one-line change here.
"""

from __future__ import annotations

_FOIA: dict[str, str] = {
    "(b)(1)": "Classified national defense or foreign policy information",
    "(b)(2)": "Internal personnel rules and practices",
    "(b)(3)": "Exempted from disclosure by another statute",
    "(b)(4)": "Trade secrets, confidential commercial or financial information",
    "(b)(5)": "Privileged inter- or intra-agency memoranda (deliberative process, "
    "attorney work product, attorney-client)",
    "(b)(6)": "Personnel, medical and similar files: unwarranted invasion of personal privacy",
    "(b)(7)": "Records compiled for law-enforcement purposes",
    "(b)(7)(A)": "Law enforcement: interference with enforcement proceedings",
    "(b)(7)(B)": "Law enforcement: deprivation of a right to a fair trial",
    "(b)(7)(C)": "Law enforcement: unwarranted invasion of personal privacy",
    "(b)(7)(D)": "Law enforcement: confidential source",
    "(b)(7)(E)": "Law enforcement: techniques, procedures and guidelines",
    "(b)(7)(F)": "Law enforcement: endangering life or physical safety",
    "(b)(8)": "Reports about regulated financial institutions",
    "(b)(9)": "Geological and geophysical information about wells",
    "(j)(2)": "Privacy Act: records of criminal law-enforcement agencies",
    "(c)(1)": "FOIA exclusion: law-enforcement records while a proceeding is pending",
    "(c)(2)": "FOIA exclusion: informant records",
    "(c)(3)": "FOIA exclusion: classified FBI records on intelligence or terrorism",
}


def meaning_of(code: str) -> str:
    """The meaning of a canonical code, or "" if we do not know it."""
    if code in _FOIA:
        return _FOIA[code]
    if code.startswith("(b)(3)"):
        return _FOIA["(b)(3)"]
    if code.startswith("(k)("):
        return "Privacy Act exemption"
    return ""


def describe_codes(codes: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((code, meaning_of(code)) for code in codes)
