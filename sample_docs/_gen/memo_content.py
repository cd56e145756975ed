"""A born-digital agency memorandum (release "M"), plus one scanned page with an OCR layer.

rel "M!" marks the bad redaction: a black box drawn over text left in the text layer.
"""

from __future__ import annotations

from .markup import PageBuilder
from .model import PageSpec

OFFICE = "Office of Investigative Technology"


def memo_first_page() -> PageSpec:
    pb = PageBuilder("m1", "memo-2", rel="M", top=58)
    pb.shape("logo", (72, 44, 120, 92))
    pb.line("U.S. Department of Homeland Affairs", x=132, font="hebo", size=12.5, lead=15)
    pb.line("Homeland Investigations Directorate - " + OFFICE, x=132, font="tiro", size=11)
    pb.shape("rule", (72, 100, 540, 101), lookalike=False)
    pb.y = 130
    pb.line("MEMORANDUM FOR:", font="hebo", size=11, lead=0)
    pb.line("Executive Associate Director, Homeland Investigations", x=190, size=11)
    pb.line("FROM:", font="hebo", size=11, lead=0)
    pb.line("{Maria Delgado|6,7C|ci}, Section Chief, Biometric Programs", x=190, size=11)
    pb.line("DATE:", font="hebo", size=11, lead=0)
    pb.line("April 18, 2025", x=190, size=11)
    pb.line("SUBJECT:", font="hebo", size=11, lead=0)
    pb.line(
        "Results of the Northwind FaceMatch Pilot and Recommended Next Steps",
        x=190,
        size=11,
        lead=26,
    )
    pb.line("1. Summary", font="hebo", size=11.5, lead=18)
    pb.para(
        "The Gulf Coast Field Office piloted Northwind FaceMatch from February 27 to "
        "April 11, 2025. Fourteen agents ran 412 searches. Examiners confirmed 9 "
        "investigative leads; 3 candidate lists contained a likely false match in the "
        "first position. No arrest was based on a FaceMatch result alone."
    )
    pb.line("2. Background", font="hebo", size=11.5, lead=18)
    pb.para(
        "The pilot was approved on February 14, 2025 under the conditions in the "
        "February 3 memorandum. Supervisory Special Agent {James Whitfield|6,7C|ci} "
        "served as pilot lead, and the Office of the Principal Legal Advisor reviewed the "
        "vendor's data processing addendum before go-live."
    )
    pb.para(
        "Northwind hosted the evaluation tenant in its GovCloud region. The gallery held "
        "1.2 million booking photographs. Probe images were limited to open cases "
        "assigned to pilot users."
    )
    return pb.build()


def memo_second_page() -> PageSpec:
    pb = PageBuilder("m2", "memo-2", rel="M", top=72)
    pb.line("3. Findings", font="hebo", size=11.5, lead=18)
    pb.para(
        "a. Accuracy. On high-quality probes the correct subject appeared at rank 1 in "
        "most searches. On CCTV stills, performance dropped sharply, consistent with "
        "the vendor's own accuracy summary. Examiner review caught all three false "
        "matches in the first position."
    )
    pb.para(
        "b. Privacy. The audit export initially contained full probe images; Northwind "
        "disabled this on March 6. The pilot identified one search run on a "
        "probe that did not relate to an open case, by "
        "{Special Agent Carlos Ibarra|6,7C|s|r|M!}, "
        "which was referred to the Office of Professional Responsibility."
    )
    pb.para(
        "c. Cost. Vendor pricing for a production year, including a dedicated support "
        "engineer, is estimated at {$1.9 million|4|ci} before the volume discount."
    )
    pb.line("d. Legal.", font="tiro", size=11, lead=0)
    pb.block(
        "OPLA advised that a production contract should not be signed until the privacy "
        "impact assessment is updated and the retention of candidate lists is limited "
        "to 30 days.",
        "5",
        "M",
        x=72 + 46,
        width=394,
    )
    pb.line("4. Recommendation", font="hebo", size=11.5, lead=18)
    pb.para(
        "Extend the evaluation for 60 days under a modified addendum, require examiner "
        "review of every candidate list, and return to leadership with a production "
        "decision by July 31, 2025. Point of contact: {Angela Brooks|6,7C|ci}, "
        "{(202) 555-0108|6|ci}."
    )
    return pb.build()


def memo_third_page() -> PageSpec:
    pb = PageBuilder("m3", "memo-2", rel="M", top=72)
    pb.line("Attachment A - Pilot Metrics", font="hebo", size=11.5, lead=20)
    for label, value in (
        ("Searches run", "412"),
        ("Unique probe images", "301"),
        ("Leads confirmed by examiners", "9"),
        ("False match in first position", "3"),
        ("Median search time", "1.7 seconds"),
        ("Pilot users trained", "14"),
    ):
        pb.line(label, x=90, size=10.5, lead=0)
        pb.line(value, x=380, size=10.5, lead=16)
    pb.gap(14)
    pb.line("Distribution:", font="hebo", size=10.5)
    pb.line("Deputy Director, Homeland Investigations", x=90, size=10.5)
    pb.line("Principal Legal Advisor (attn: {Lauren Mitchell|6,7C|ci})", x=90, size=10.5)
    pb.line("Chief Privacy Officer", x=90, size=10.5, lead=30)
    pb.line("Prepared by: {Kevin Osei|6,7C|s|r}, Program Analyst, {(202) 555-0147|6|ci}", size=10)
    return pb.build()


def memo_scanned_page() -> PageSpec:
    # Printed, redacted with a marker-style black box, rescanned, then OCRed: the OCR layer
    # still holds the words under the box.
    pb = PageBuilder("m4", "memo-2-routing", rel="M", top=72)
    pb.line("ROUTING AND CONCURRENCE SHEET", font="hebo", size=13, lead=24)
    pb.line("Memorandum: Results of the Northwind FaceMatch Pilot", size=10.5, lead=22)
    for office, name in (
        ("Biometric Programs Section", "{Maria Delgado|6,7C}"),
        ("Office of the Principal Legal Advisor", "{Lauren Mitchell|6,7C}"),
        ("Office of Privacy", "{Kevin Osei|6,7C}"),
        ("Office of Acquisition Management", "{Angela Brooks|6,7C}"),
    ):
        pb.line(office, x=72, size=10.5, lead=0)
        pb.line(name + " Concur", x=330, size=10.5, lead=20)
    pb.gap(10)
    pb.para(
        "Comments: {Privacy concurs only if candidate lists are deleted after 30 days.|5}",
        font="helv",
        size=10.5,
    )
    return pb.build()


def memo_pages() -> list[PageSpec]:
    return [memo_first_page(), memo_second_page(), memo_third_page(), memo_scanned_page()]
