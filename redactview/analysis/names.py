"""Names a release shows in the clear, offered as candidates automatically.

A redacted name is often printed elsewhere in the same release (a signature, a
"cc:" line, an un-redacted mention). We collect runs of two to four capitalised
words on one line ("John A. Smith", "Mary O'Neil") that are not common
capitalised non-names (salutations, months, office words).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from redactview.core.model import Word
from redactview.pdf.document import load_page, opened_pdf
from redactview.pdf.textlayer import extract_words

_NAME_WORD = re.compile(
    r"^(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|[A-Z]['’][A-Z][a-z]+|[A-Z]\.|Mc[A-Z][a-z]+)$"
)
_TRAILING = ",;:"
_NOT_NAMES = frozenset(
    [
        "The",
        "This",
        "That",
        "These",
        "Those",
        "There",
        "Their",
        "They",
        "Then",
        "When",
        "Where",
        "What",
        "Which",
        "While",
        "Who",
        "Why",
        "How",
        "From",
        "To",
        "Cc",
        "Bcc",
        "Re",
        "Subject",
        "Sent",
        "Date",
        "Dear",
        "Sir",
        "Madam",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Hon",
        "Please",
        "Thank",
        "Thanks",
        "Regards",
        "Sincerely",
        "Office",
        "Department",
        "Bureau",
        "Agency",
        "Division",
        "Section",
        "Unit",
        "Branch",
        "Program",
        "Federal",
        "National",
        "United",
        "States",
        "State",
        "County",
        "City",
        "Police",
        "Service",
        "Services",
        "Center",
        "Committee",
        "Memorandum",
        "Memo",
        "Page",
        "Attachment",
        "Exhibit",
        "Records",
        "Request",
        "Response",
        "Freedom",
        "Information",
        "Act",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Street",
        "Avenue",
        "Road",
        "Suite",
        "Room",
        "Director",
        "Deputy",
        "Chief",
        "Assistant",
        "Special",
        "Agent",
        "Officer",
        "Inspector",
        "General",
        "Counsel",
        "Secretary",
        "Redacted",
        "Withheld",
        "Exemption",
        "Privacy",
        "Law",
        "Enforcement",
        "Internal",
        "Affairs",
        "Public",
        "Report",
        "An",
        "And",
        "For",
        "Of",
        "In",
        "On",
        "At",
        "By",
        "With",
        "Our",
        "Your",
        "We",
        "You",
        "It",
        "If",
        "As",
        "Is",
        "Be",
        "All",
        "No",
        "Not",
        "Yes",
        "Re",
    ]
)


def strip_token(text: str) -> str:
    """Drop trailing punctuation; keep the dot of an initial ("J.")."""
    token = text.rstrip(_TRAILING)
    return token[:-1] if token.endswith(".") and len(token) > 2 else token


def is_name_word(text: str) -> bool:
    token = strip_token(text)
    return bool(_NAME_WORD.match(token)) and token.rstrip(".") not in _NOT_NAMES


def name_runs(line: Sequence[Word]) -> list[str]:
    """Runs of 2–4 name words in one line; a run ends at a comma after a word."""
    runs: list[str] = []
    current: list[str] = []
    for word in [*line, None]:
        if word is not None and is_name_word(word.text):
            current.append(strip_token(word.text))
            if not word.text.endswith((*_TRAILING, ".")) or len(word.text) <= 2:
                continue
        if 2 <= len(current) <= 4 and any(len(t) > 2 for t in current):
            runs.append(" ".join(current))
        current = []
    return runs


def group_lines(words: Iterable[Word]) -> list[list[Word]]:
    """Words grouped by (page, block, line) in reading order."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        lines.setdefault((word.page, word.block, word.line), []).append(word)
    return [sorted(ws, key=lambda w: w.box.x0) for _, ws in sorted(lines.items())]


def visible_names(words: Iterable[Word], limit: int = 200) -> list[str]:
    """Distinct capitalised-name runs, most frequent first."""
    counts: Counter[str] = Counter()
    for line in group_lines(words):
        counts.update(name_runs(line))
    return [name for name, _ in counts.most_common(limit)]


def release_names(path: str | Path, limit: int = 200) -> list[str]:
    """Names in the text layer of every page of a release (scans give none here)."""
    with opened_pdf(path) as doc:
        words = [
            w for n in range(1, doc.page_count + 1) for w in extract_words(load_page(doc, n), n)
        ]
    return visible_names(words, limit)
