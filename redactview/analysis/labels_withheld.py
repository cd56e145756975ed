"""A page withheld in full: the slip sheet an agency puts in its place (its
statement and codes), told from a cover letter or an index of deleted pages."""

from __future__ import annotations

import re

import numpy as np

from redactview.analysis.labels import Label, ViewWord
from redactview.core.exemptions import find_marker_words, parse_exemptions

SLIP_SHEET_WORDS = 60  # more words than this make a page, not a slip sheet
# What slip sheets print in a withheld page's place, code or no code: "PAGE
# WITHHELD IN FULL", "withheld in its entirety", the FBI's "Deleted Page(s) / No
# Duplication Fee / For this Page" box of X's, the CIA's "PAGE DENIED", a
# "NON-RESPONSIVE PAGES" sheet. (OCR may split "Page(s)" or drop the hyphen.)
_NON_RESPONSIVE = r"NON\s?-?\s?RESPONSIVE"
_IN_FULL = r"(?:\s+IN\s+(?:FULL|(?:ITS|THEIR)\s+ENTIRETY)|\s+ENTIRELY)"
_WHOLE_PAGE = re.compile(
    rf"WITHHELD{_IN_FULL}|\bDENIED\s+IN\s+FULL"
    # "PAGE DENIED", "Page(s) withheld in full", "Pages 12-15 are non-responsive"
    r"|\bPAGES?\s*(?:\(S\))?(?:\s+\d[\d\s,-]*)?\s+(?:(?:ARE|IS|WAS|WERE)\s+)?"
    rf"(?:DENIED|WITHHELD|{_NON_RESPONSIVE})\b{_IN_FULL}?|{_NON_RESPONSIVE}\s+PAGE"
    # The FBI's box of X's ("(" may read "l", "|" or "1"); prose about deleted pages is not one.
    r"|\bDELETED\s+PAGE\s*[(\[{L1|I]?\s*S\s*[)\]}]|\bNO\s+DUPLICA\w*\s+FEE"
)
# The FBI's Deleted Page Information Sheet lists the pages taken out ("Page 12 ~
# b6; b7C;", "Total Deleted Page(s) = 9"): it is an index put in front of the
# file, not a page standing in for a withheld one.
_DELETION_INDEX = re.compile(r"INFORMATION\s+SHEET|TOTAL\s+DELETED|\bPAGE\s+\d+\s*~")


def read_withheld_sheet(words: list[ViewWord]) -> Label | None:
    """The slip sheet agencies put in place of a withheld page, as its label; or None.

    Only a sheet that says so counts ("WITHHELD IN FULL", "Deleted Page(s)",
    "PAGE DENIED", or "withheld" with a code on the same page); a memo that
    merely cites an exemption does not, nor does a cover letter that says pages
    were withheld: a slip sheet is a few lines (release_a's has 20 words, its
    reason included), a letter many more. The label is the sheet's statement
    and its codes as printed; a sheet may carry no code (the FBI's often
    does not), and is still a page withheld.
    """
    if len(words) > SLIP_SHEET_WORDS:
        return None
    text = " ".join(w.text for w in words)
    up = text.upper()
    if _DELETION_INDEX.search(up):
        return None
    codes = parse_exemptions(text)
    statement = _WHOLE_PAGE.search(up)
    if not statement and not (codes and "WITHHELD" in find_marker_words(text)):
        return None
    starts = np.cumsum([0] + [len(w.text) + 1 for w in words[:-1]])
    said = range(*statement.span()) if statement else range(0)
    lines = [
        w
        for w, start in zip(words, starts.tolist(), strict=True)
        if start in said
        or (said and start < said.start < start + len(w.text))
        or parse_exemptions(w.text)
        or find_marker_words(w.text)
    ]
    return Label(" ".join(w.text for w in lines), codes, "inside", tuple(lines), True)
