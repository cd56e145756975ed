"""Exemption codes: the catalog (as data) and turning printed labels into canonical codes.

The tables live in ``redactview/data/exemptions/<jurisdiction>.csv`` (code, meaning)
so another jurisdiction is a new CSV plus, if its citations look different, a
pattern here. Labels on scans come from OCR, so parsing is forgiving: "(bX6)",
"(b)(G)", "b7C" and "(b) (7)c" are all read as what the agency printed.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from importlib import resources

US_FOIA = "us_foia"
US_PRIVACY_ACT = "us_privacy_act"
UK_FOI = "uk_foi"
CA_ATIA = "ca_atia"
JURISDICTIONS: tuple[str, ...] = (US_FOIA, US_PRIVACY_ACT, UK_FOI, CA_ATIA)
DEFAULT_JURISDICTIONS: tuple[str, ...] = (US_FOIA, US_PRIVACY_ACT)

# Which tables a release cites, for the labels read while a page is analysed
# (``citing``): a UK or Canadian release's "s.40(2)" or "s.19(1)" is a code there,
# while in a US release "section 40" is prose. Set per page, not passed down
# through every label reader.
_CITED: ContextVar[tuple[str, ...]] = ContextVar("cited", default=DEFAULT_JURISDICTIONS)


@contextlib.contextmanager
def citing(jurisdictions: tuple[str, ...]) -> Iterator[None]:
    """Parse labels against ``jurisdictions`` inside the block (``parse_exemptions``
    and ``parse_box_label`` called without tables)."""
    unknown = set(jurisdictions) - set(JURISDICTIONS)
    if unknown or not jurisdictions:
        raise ValueError(f"unknown exemption tables: {sorted(unknown) or 'none given'}")
    token = _CITED.set(tuple(jurisdictions))
    try:
        yield
    finally:
        _CITED.reset(token)


# Words agencies print in a box instead of (or beside) a code.
MARKER_WORDS: tuple[str, ...] = (
    "REDACTED",
    "NON-RESPONSIVE",
    "NONRESPONSIVE",
    "NOT RESPONSIVE",
    "NON RESPONSIVE",
    "WITHHELD",
    "WITHHELD IN FULL",
    "EXEMPT",
    "NR",
)


@dataclass(frozen=True, slots=True)
class Exemption:
    code: str  # canonical, e.g. "(b)(7)(C)" or "s.40"
    meaning: str
    jurisdiction: str


@functools.cache
def load_table(jurisdiction: str) -> tuple[Exemption, ...]:
    """One jurisdiction's codes, in the order of its CSV."""
    if jurisdiction not in JURISDICTIONS:
        raise ValueError(f"unknown jurisdiction {jurisdiction!r}")
    ref = resources.files("redactview").joinpath("data", "exemptions", f"{jurisdiction}.csv")
    rows = csv.DictReader(io.StringIO(ref.read_text(encoding="utf-8")))
    return tuple(Exemption(r["code"], r["meaning"], jurisdiction) for r in rows)


@functools.cache
def _codes_of(jurisdictions: tuple[str, ...]) -> dict[str, Exemption]:
    return {e.code: e for j in jurisdictions for e in load_table(j)}


def describe(code: str, jurisdictions: tuple[str, ...] = JURISDICTIONS) -> str | None:
    """The one-line meaning of a canonical code, or None if no table has it."""
    found = _codes_of(jurisdictions).get(code)
    return found.meaning if found else None


# --- parsing -------------------------------------------------------------------------
# OCR reads a digit inside parentheses as a look-alike letter; "l"/"i" only
# count inside parentheses, where no word can be.
_DIGIT_LOOKALIKES = {
    "g": "6",
    "s": "5",
    "\u00a7": "5",
    "l": "1",
    "i": "1",
    "z": "2",
    "o": "0",
    "t": "7",
}
_OPEN = r"[(\[{]"
_CLOSE = r"[)\]}]"
# What OCR makes of ")(" between the parts: "X", "Y", "K", "N", "H", "M", a backslash, a bar.
_MERGED_CHARS = r"xykhnm\\|"
_MERGED = "[" + _MERGED_CHARS + "]"
_SEP = r"[\s)\]}(\[{" + _MERGED_CHARS + "]{0,3}"
# Before the (7) subparagraph ")(" is also read "V", "W" or "I" ("(b)(7WC)");
# _SUB_JOIN holds no space, _SUB_SEP may.
_SUB_JOIN = r"[)\]}(\[{" + _MERGED_CHARS + "vwi]{0,3}"
_SUB_SEP = r"[\s)\]}(\[{" + _MERGED_CHARS + "vwi]{0,3}"
# What after a letter makes it a pair's letter, not a subparagraph: its digit, in
# brackets or right after it.
_NEXT_PAIR = rf"\s*{_CLOSE}?\s*{_OPEN}\s*\d|{_CLOSE}?\d"
_FOIA = re.compile(
    # "(b)(6)", "(b) (6)", "(bX6)", "(b)(G)", "(b)6", with an optional (7) subparagraph.
    # The opening parenthesis is often lost or doubled by OCR: "b)(6)", "(bb) (6)".
    # Small bold "(b)" is also read "(o)" or "(0)" when a separator and a digit follow.
    # A letter read for the digit ("G", "S", "l", "T" for 7) counts only inside
    # brackets: opened before the "b" or closed right after it. Otherwise every
    # word starting "bl", "bs" would be a code ("blue" was (b)(1)).
    # Blurred or photocopied, its bowl filled in, it is read "D" too, but only
    # where ")(" merged into a letter: "(DK7KC)". A "(d)" read with its
    # brackets is the Privacy Act's (d)(5), and so is a merged "(dX5)".
    rf"(?:{_OPEN}\s*(?:b+|[o0](?={_SEP}[1-9])|d(?={_MERGED}{{1,2}}\s?[1-46-9])){_SEP}"
    # No code has two digits: "(b)(12)" is none, not (b)(1).
    rf"(?P<d1>[1-9](?!\d)|[gslz]|t(?!\d))"
    rf"|(?<![a-z0-9])b+{_SEP}(?P<d3>[1-9](?!\d)|[gslzt](?=\s*{_CLOSE})))\s*{_CLOSE}?"
    # The (7) subparagraph: right after the digit, its brackets or a merged ")("
    # ("(7)(C)", "(7)c", "7KC)"), or past a space only when a bracket closes
    # it ("(7) (C)"): "(b)(7) he said" is not (b)(7)(E). A letter with a digit
    # bracketed after it is a Privacy Act pair ("(b)(7) (d)(5)"), but a number
    # after a space is the text that follows ("(b)(7)(C) 8:51 AM").
    rf"(?:{_SUB_JOIN}(?P<s1>[a-f])\s*{_CLOSE}?(?![a-z0-9]|{_NEXT_PAIR})"
    rf"|{_SUB_SEP}(?P<s3>[a-f])\s*{_CLOSE}(?![a-z0-9]|{_NEXT_PAIR}))?"
    # bare "b6", "B7C", "b7c": only real digits, and only as a whole token. The
    # FBI's "b7D" in its margins is read "b70" or "b7o": no code has a "0" there.
    r"|(?<![a-z0-9])b\s?(?P<d2>[1-9])(?P<s2>[a-f]|(?<=7)[0o])?(?![a-z0-9])"
)
# A further paragraph right after a code, its "(b)" lost: "(b)(6)(7KC)" is
# "(b)(6);(b)(7)(C)" with ";(b" dropped. Real digits only, in brackets.
_FOLLOWING = re.compile(
    rf"[\s;,/&]{{0,2}}{_OPEN}\s*(?P<d>[1-9]){_SEP}(?P<s>[a-f])?\s*{_CLOSE}(?![a-z0-9])"
)
_PAIR = re.compile(rf"{_OPEN}\s*(?P<l>[cdjk])\s*{_CLOSE}\s*{_OPEN}\s*(?P<d>[1-7])\s*{_CLOSE}")
# A section: "s.19(1)", "sec. 40", "Section 43". Small bold "s." is read "$." (a sum
# has no period after its "$").
_SECTION = re.compile(r"(?<![a-z0-9])(?:s\.?|\$\.|sec\.?|section)\s*(?P<n>\d{1,3})(?P<sub>\(\d\))?")


def _canon_foia(digit: str, sub: str | None) -> str:
    digit = _DIGIT_LOOKALIKES.get(digit, digit)
    if digit == "7" and sub:
        return f"(b)(7)({'D' if sub in '0o' else sub.upper()})"
    return f"(b)({digit})"


def _find_foia(text: str) -> list[tuple[int, str]]:
    found = []
    for m in _FOIA.finditer(text):
        digit = m["d1"] or m["d3"] or m["d2"]
        sub = m["s1"] or m["s3"] or m["s2"]
        found.append((m.start(), _canon_foia(digit, sub)))
        more = _FOLLOWING.match(text, m.end())
        if more and text[m.end() - 1] in ")]}":  # a code in brackets, as the next one
            found.append((more.start(), _canon_foia(more["d"], more["s"])))
    return found


# "(b)(7)(X)" whose both ")(" merged into letters and whose "7" is read "T", its
# "b" read as a look-alike: "(OXTXC)", "(DNTKC)", "(WNTKC)". The "b" (as
# whatever it is read), a merged letter on each side of the "T" and a
# subparagraph closing the bracket is a shape no acronym in brackets has
# ("(HTML)", "(NTSC)", "(XTC)" and, without the "b", "(NTMA)" stay prose).
_MERGED_SEVEN = re.compile(
    rf"{_OPEN}\s*[bdo0@w]{_MERGED}{{1,2}}\s?[t7]\s?{_MERGED}{{1,2}}\s?(?P<s>[a-f])\s*{_CLOSE}"
)


# Exemptions by number, as EPA's redaction labels ("Ex. 6 Personal Privacy (PP)",
# "Ex. 5 Deliberative Process (DP)") and letters and indexes ("Exemption 6",
# "Exemptions 6 and 7(C)") print them. A subparagraph letter must stand alone:
# "Ex. 5 (DP)" and "Ex. 4 (CBI)" are no (5)(D) or (4)(C). Two digits are no
# exemption. "Exemptions" lists more, joined by ",", ";", "/", "&", "and" or
# "or". Court papers cite exhibits the same way: a party's ("Pl. Ex. 5",
# "Def. Ex. 2") or a pin cite ("Ex. 5 at 3") is an exhibit; exhibits are lettered
# too ("Ex. G"), so no letter is read for a digit here, only the "§" OCR makes
# of a small bold "5".
_EX_SUB = r"(?:\s?\(?(?P<{}>[a-f])\)?(?![a-z0-9]))?"
_EX = re.compile(
    r"(?<![a-z0-9])(?<!pl\. )(?<!pls\. )(?<!def\. )(?<!defs\. )(?<!gov't )"
    r"(?:ex[.,]?|exemptions?)\s*(?P<d>[1-9\u00a7])(?![0-9])(?!\s*at\s+\d)" + _EX_SUB.format("s")
)
_EX_MORE = re.compile(r"\s*(?:[,;/&]|and|or)\s*(?P<d>[1-9])(?![0-9])" + _EX_SUB.format("s"))


def _find_numbered(text: str) -> list[tuple[int, str]]:
    found = []
    for m in _EX.finditer(text):
        found.append((m.start(), _canon_foia(m["d"], m["s"])))
        # Only "Exemptions" lists more: "Ex. 6, 2 pages" cites one.
        more = _EX_MORE.match(text, m.end()) if text.startswith("exemptions", m.start()) else None
        while more:
            found.append((more.start(), _canon_foia(more["d"], more["s"])))
            more = _EX_MORE.match(text, more.end())
    return found


def _find_merged_seven(text: str) -> list[tuple[int, str]]:
    return [(m.start(), _canon_foia("7", m["s"])) for m in _MERGED_SEVEN.finditer(text)]


def _find_pairs(text: str, known: dict[str, Exemption]) -> list[tuple[int, str]]:
    found = []
    for m in _PAIR.finditer(text):
        code = f"({m['l']})({m['d']})"
        # "(c)" after a FOIA code is a subparagraph, already taken by _FOIA.
        if code in known and not _FOIA.search(text[max(0, m.start() - 8) : m.end()]):
            found.append((m.start(), code))
    return found


def _find_sections(text: str, known: dict[str, Exemption]) -> list[tuple[int, str]]:
    found = []
    for m in _SECTION.finditer(text):
        for code in (f"s.{m['n']}{m['sub'] or ''}", f"s.{m['n']}"):
            if code in known:
                found.append((m.start(), code))
                break
    return found


# ")(" merged in a photocopy and read "4" between "(b" and the paragraph's digit:
# "(b47C)" is "(b)(7)(C)" (no code has two digits after the "b"), and so is
# "(b4{7C)", where the "(" of the "(7" was read as well (3 degrees askew).
_FOUR_FOR_SEP = re.compile(rf"(?<={_OPEN}b)4(?={_OPEN}?[1-9])")
# The same merged ")(", or a lone "(", read "1" ("(b16)", "(b)16)"): a "1"
# between the "b" and a digit that a bracket (or the list's ";") closes is no (b)(1).
_ONE_FOR_SEP = re.compile(rf"(?:(?<={_OPEN}b)|(?<={_OPEN}b{_CLOSE}))1(?=[1-9](?:{_CLOSE}|[;:]))")


_CENT_FOR_OPEN = re.compile("\u00a2(?=[a-z0-9])")


def _normalise_glyphs(low: str) -> str:
    """Single glyphs OCR makes of a code's brackets: "(C)" read as the copyright
    sign ("(b)(7)(©)"), "(" as a cent sign before a letter or digit
    ("(b)7)¢C)"), ")(" as "4"; and a "C" read as a cent sign where nothing
    follows it in the code ("b7¢")."""
    low = low.replace("\u00a9", "(c)")
    low = _CENT_FOR_OPEN.sub("(", low).replace("\u00a2", "c")
    return _ONE_FOR_SEP.sub(")(", _FOUR_FOR_SEP.sub(")(", low))


def parse_exemptions(text: str, jurisdictions: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """Canonical codes cited in ``text``, in printed order, each once (against
    ``jurisdictions``' tables, by default those ``citing`` set: US FOIA and the
    Privacy Act).

    Lists joined by ";", ",", "/" or "and" need no special handling: each code
    is found where it stands. A (b)(3) statute citation ("(b)(3):50 USC 3024(i)")
    stays in the label; the code is "(b)(3)".
    """
    jurisdictions = jurisdictions or _CITED.get()
    low = _normalise_glyphs(text.lower())
    known = _codes_of(jurisdictions)
    hits: list[tuple[int, str]] = []
    if US_FOIA in jurisdictions:
        hits += _find_foia(low) + _find_merged_seven(low) + _find_numbered(low)
    hits += _find_pairs(low, known)
    if UK_FOI in jurisdictions or CA_ATIA in jurisdictions:
        hits += _find_sections(low, known)
    seen: dict[str, None] = {}
    for _, code in sorted(hits):
        seen.setdefault(code, None)
    # A bare (7) beside a (7) with its subparagraph is the same code read in
    # part ("(b)(6):(b)(7 -(b)(7)(C)" on a grainy scan), not a second code.
    if any(code.startswith("(b)(7)(") for code in seen):
        seen.pop("(b)(7)", None)
    return tuple(seen)


# A small "(b)" misread right at a box's edge: "(6)(5)", "(6X5)" where its bowl
# filled in (photocopied twice); "(>) (6)", "(h) (6)" or "cb) (6)" where the
# Courier 8 pt "b" of a 150 dpi scan lost its stem or bowl, or its "(" read "c".
# Only as the first thing printed there (no code has an "(h)" or a "(>)").
_B_MISREAD = re.compile(
    rf"^[^a-z0-9(\[{{]{{0,4}}(?:{_OPEN}[6h>]|cb)(?=\s?[)\]}}x]\s?{_OPEN}?\s?[1-9])"
)


def parse_box_label(text: str, jurisdictions: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """``parse_exemptions`` for text printed inside a box or starting at its edge,
    where a bracketed "6" (or ">", "h") before a paragraph can only be a code's
    "(b)": in prose "(6)(5)" is no code, beside a redaction it is "(b)(5)" read
    badly."""
    jurisdictions = jurisdictions or _CITED.get()
    codes = parse_exemptions(text, jurisdictions)
    if codes or US_FOIA not in jurisdictions:
        return codes
    return parse_exemptions(_B_MISREAD.sub("(b", text.lower(), count=1), jurisdictions)


# Printed variants reported as one word: the label keeps what was printed.
_MARKER_CANON = {
    "NONRESPONSIVE": "NON-RESPONSIVE",
    "NON RESPONSIVE": "NON-RESPONSIVE",
    "NOT RESPONSIVE": "NON-RESPONSIVE",
}
# Dashes and what OCR makes of them between NON and RESPONSIVE: "NON—RESPONSIVE",
# "NON - RESPONSIVE", "NON~RESPONSIVE".
_DASHES = re.compile(r"\s*[-\u2010-\u2015\u2212~_]\s*")


def _normalise_marker_text(text: str) -> str:
    return _DASHES.sub("-", re.sub(r"\s+", " ", text.upper()))


def find_marker_words(text: str) -> tuple[str, ...]:
    """Words such as REDACTED or NON-RESPONSIVE printed as a label.

    NON-RESPONSIVE (and WITHHELD, REDACTED) is not an exemption: it says the
    agency left the part out as outside the request. It is kept as the label,
    never turned into a code.
    """
    printed = _printed_markers(_normalise_marker_text(text))
    return tuple(dict.fromkeys(_MARKER_CANON.get(w, w) for w in printed))


def _printed_markers(up: str) -> list[str]:
    found = [w for w in MARKER_WORDS if re.search(rf"(?<![A-Z]){re.escape(w)}(?![A-Z])", up)]
    # "WITHHELD IN FULL" implies "WITHHELD"; report the longest form only.
    return [w for w in found if not any(w != o and w in o for o in found)]


def marker_share(text: str) -> float:
    """Share of the letters in ``text`` that belong to marker words: a box reading
    "NON-RESPONSIVE" is labelled by it (1.0); a table header bar titled
    "RECORDS WITHHELD BY OTHER AGENCIES" merely mentions one (0.27)."""
    up = _normalise_marker_text(text)
    letters = sum(ch.isalpha() for ch in up)
    if not letters:
        return 0.0
    marked = sum(
        sum(ch.isalpha() for ch in word)
        * len(re.findall(rf"(?<![A-Z]){re.escape(word)}(?![A-Z])", up))
        for word in _printed_markers(up)
    )
    return min(1.0, marked / letters)


# Reasons printed in a box instead of a code, as litigation productions and
# review tools label them ("Redacted - Privileged", "PII", "Attorney-Client
# Privilege", "Deliberative Process"). A reason names a privilege or privacy;
# the other words may only qualify it. A section bar's title holds other words
# ("PRIVACY ACT STATEMENT", "PRIVILEGE LOG") or only the qualifiers
# ("PERSONAL INFORMATION").
REASON_WORDS: tuple[str, ...] = (
    "PRIVILEGE",
    "PRIVILEGED",
    "PRIVACY",
    "PII",
    "ATTORNEY",
    "DELIBERATIVE",
    "PREDECISIONAL",
    "DECISIONAL",  # "Pre-Decisional"
    "CBI",
    "PROPRIETARY",
)
_REASONS = frozenset(REASON_WORDS)
_REASON_QUALIFIERS = frozenset(
    {"PERSONAL", "CLIENT", "WORK", "PRODUCT", "PROCESS", "PRE", "INFORMATION", "INFO"}
    | {"FOR", "AND", "ACT", "CONFIDENTIAL", "BUSINESS", "DATA"}
)
# A label that starts with one of these is a redaction's whatever follows:
# "Redacted for Privacy", "Withheld - Privacy Act".
_LEADING_MARKERS = ("REDACTED", "WITHHELD")


# A sans-serif "I" is read "l": "Pll", "PlI".
_PII_MISREAD = {"PLL": "PII", "PIL": "PII", "PLI": "PII"}


def _one_letter_off(word: str, target: str) -> bool:
    """``word`` is ``target`` or it with one letter misread ("REDECTED")."""
    return len(word) == len(target) and sum(a != b for a, b in zip(word, target, strict=True)) <= 1


def names_a_reason(text: str) -> bool:
    """Whether ``text`` (printed inside a box) is a withholding's reason rather
    than a title: it starts with REDACTED or WITHHELD, or every word of it is a
    reason or qualifies one, and one is a reason. Words of one or two letters
    ("of", "&", OCR's specks of a grainy box) do not count."""
    words = [_PII_MISREAD.get(w, w) for w in re.split(r"[^A-Z]+", text.upper()) if len(w) > 2]
    if not words:
        return False
    if any(_one_letter_off(words[0], m) for m in _LEADING_MARKERS):
        return True
    return any(w in _REASONS for w in words) and all(
        w in _REASONS or w in _REASON_QUALIFIERS for w in words
    )


def is_label_text(text: str, jurisdictions: tuple[str, ...] | None = None) -> bool:
    """Whether ``text`` reads like a redaction label (codes or marker words) and not prose."""
    return bool(parse_exemptions(text, jurisdictions) or find_marker_words(text))
