"""Exemption codes for display: meanings, completion list, colours, parsing user input.

The exemption catalog proper lives in ``redactview.core.exemptions`` (built
with detection). Until it lands, the viewer uses the federal FOIA table below
so hovering and completion still say what a code means.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from PySide6.QtGui import QColor

_FALLBACK: dict[str, str] = {
    "(b)(1)": "Classified national defense or foreign policy information",
    "(b)(2)": "Internal personnel rules and practices",
    "(b)(3)": "Exempted by another statute",
    "(b)(4)": "Trade secrets, confidential commercial or financial information",
    "(b)(5)": "Privileged inter- or intra-agency memoranda",
    "(b)(6)": "Personal privacy (personnel, medical and similar files)",
    "(b)(7)(A)": "Law enforcement: interference with proceedings",
    "(b)(7)(B)": "Law enforcement: fair trial",
    "(b)(7)(C)": "Law enforcement: personal privacy",
    "(b)(7)(D)": "Law enforcement: confidential source",
    "(b)(7)(E)": "Law enforcement: techniques and procedures",
    "(b)(7)(F)": "Law enforcement: endangering life or safety",
    "(b)(8)": "Reports about regulated financial institutions",
    "(b)(9)": "Geological and geophysical information about wells",
}

# Distinct, colour-blind-friendlier hues (Okabe–Ito), assigned per code.
_PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442")
_NO_CODE = "#C0392B"


def _catalog() -> Any | None:
    try:
        from redactview.core import exemptions
    except ImportError:
        return None
    return exemptions


def meaning(code: str) -> str:
    catalog = _catalog()
    if catalog is not None:
        return str(catalog.describe(code) or "")
    return _FALLBACK.get(code, "")


def known_codes() -> list[str]:
    """Codes offered for completion: the US tables first (most users), then others."""
    catalog = _catalog()
    if catalog is None:
        return list(_FALLBACK)
    return [e.code for j in catalog.JURISDICTIONS for e in catalog.load_table(j)]


def parse_codes(text: str) -> tuple[str, ...]:
    """User input "b6; (b)(7)(C)" -> canonical codes; an unrecognised part is kept as typed."""
    catalog = _catalog()
    found: dict[str, None] = {}
    for part in (p.strip() for p in re.split(r"[;,/]+", text)):
        if not part:
            continue
        codes = catalog.parse_exemptions(part, catalog.JURISDICTIONS) if catalog else ()
        for code in codes or (part,):
            found.setdefault(code, None)
    return tuple(found)


def colour_for(codes: tuple[str, ...]) -> QColor:
    if not codes:
        return QColor(_NO_CODE)
    digest = hashlib.md5(codes[0].encode()).digest()
    known = list(_FALLBACK)
    index = known.index(codes[0]) if codes[0] in known else digest[0]
    return QColor(_PALETTE[index % len(_PALETTE)])


def describe(codes: tuple[str, ...]) -> str:
    return "\n".join(f"{c}: {meaning(c) or 'unknown code'}" for c in codes) or "no exemption code"
