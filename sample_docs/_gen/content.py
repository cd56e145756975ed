"""The fictional records: a vendor/agency e-mail thread about a face-recognition pilot.

All people, offices, numbers and domains are invented (555-01xx phone numbers, .example
domains). Markup: see markup.py. rel "A" = withheld in release A only (revealed in B),
"B" = withheld in B only (a new redaction in the supplemental release).
"""

from __future__ import annotations

from .markup import PageBuilder
from .model import PageSpec

AGENCY = "Homeland Investigations Directorate"
OFFICE = "Office of Investigative Technology"
BODY_W = 440.0

# Recurring redacted spans, as markup.
ASHWORTH = "{Derek Ashworth|6||r|A}"
ASHWORTH_MAIL = "{derek.ashworth@northwindcloud.example|6}"
RAMAN = "{Priya Raman|6||r|A}"
DELGADO = "{Maria Delgado|6,7C}"
DELGADO_MAIL = "{maria.delgado@hid.dhs.example|6,7C}"
WHITFIELD = "{James Whitfield|6,7C}"
WHITFIELD_MAIL = "{james.whitfield@hid.dhs.example|6,7C}"


def email_head(
    pb: PageBuilder,
    owner: str,
    sender: str,
    sent: str,
    to: str,
    cc: str,
    subject: str,
    attach: str = "",
) -> None:
    """Outlook-style printout: account owner on top, a rule, then the header block."""
    pb.line(owner, font="hebo", size=13, lead=8)
    pb.shape("rule", (72, pb.y, 540, pb.y + 1.6), lookalike=False)
    pb.gap(18)
    pb.field("From:", sender)
    pb.field("Sent:", sent)
    pb.field("To:", to)
    if cc:
        pb.field("Cc:", cc)
    pb.field("Subject:", subject)
    if attach:
        pb.field("Attachments:", attach)
    pb.gap(12)


def quoted_head(pb: PageBuilder, sender: str, sent: str, to: str, subject: str) -> None:
    pb.line("-----Original Message-----", x=90, size=9.5)
    for label, value in (("From:", sender), ("Sent:", sent), ("To:", to), ("Subject:", subject)):
        pb.field(label, value, size=9.5, x=90, value_x=150)
    pb.gap(8)


def memo_page() -> PageSpec:
    pb = PageBuilder("memo1", "memo-1", top=58)
    pb.shape("logo", (72, 44, 124, 96))
    pb.line("U.S. Department of Homeland Affairs", x=136, font="hebo", size=13, lead=15)
    pb.line(AGENCY, x=136, font="tiro", size=11.5, lead=14)
    pb.line(OFFICE + " | Washington, DC 20536", x=136, font="helv", size=9, lead=16)
    pb.shape("rule", (72, 104, 540, 105.2), lookalike=False)
    pb.y = 132
    pb.line("MEMORANDUM FOR:  Assistant Director, Investigative Programs", font="hebo", size=10.5)
    pb.line("THROUGH:  {Lauren Mitchell|6,7C||st}, Deputy Chief Counsel", size=10.5)
    pb.line("FROM:  " + DELGADO + " Section Chief, Biometric Programs", size=10.5)
    pb.line("DATE:  February 3, 2025", size=10.5)
    pb.line(
        "SUBJECT:  Request to Initiate a 90-Day Pilot of Northwind FaceMatch", size=10.5, lead=24
    )
    pb.para(
        "Purpose. This memorandum requests approval to begin a 90-day operational pilot "
        "of Northwind FaceMatch, a cloud-hosted face recognition service offered by "
        "Northwind Cloud Federal, in support of identity resolution in criminal "
        "investigations conducted by HID field offices."
    )
    pb.para(
        "Background. Since 2023 the Biometric Programs Section has evaluated three "
        "commercial face recognition services. Northwind offered a no-cost evaluation "
        "tenant hosted in its FedRAMP Moderate environment. Field offices in "
        "{New Orleans and El Paso|7C||r} have asked for a tool that can compare probe "
        "images from open investigations against booking photographs."
    )
    pb.para(
        "Scope. The pilot would be limited to 40 named users, probe images from open "
        "cases only, and no ingestion of social media imagery. Results would be treated "
        "as investigative leads and never as positive identification."
    )
    pb.para(
        "Recommendation. {The Section recommends approval subject to OPLA review of the "
        "data retention terms|5|ci}. Funding would come from existing "
        "Investigative Technology operations and maintenance funds."
    )
    pb.gap(10)
    pb.line("APPROVE: ______________________    DISAPPROVE: ______________________", size=10)
    pb.gap(40)
    pb.shape("signature", (80, pb.y - 40, 230, pb.y - 8))
    pb.line(DELGADO, size=10.5)
    pb.line("Section Chief, Biometric Programs, " + OFFICE, size=9.5)
    return pb.build()


def email1_page1() -> PageSpec:
    pb = PageBuilder("e1a", "email-1", top=60)
    email_head(
        pb,
        WHITFIELD,
        ASHWORTH + " " + ASHWORTH_MAIL,
        "Monday, January 13, 2025 4:12 PM",
        WHITFIELD + " " + WHITFIELD_MAIL,
        DELGADO + " " + RAMAN,
        "Northwind FaceMatch - evaluation tenant for HID",
    )
    pb.para("Hi " + "{James|6,7C}" + ",")
    pb.para(
        "Thanks again for making time for the briefing at the field office last week. As "
        "promised, I am following up with the details on the FaceMatch evaluation tenant "
        "for the Homeland Investigations Directorate."
    )
    pb.para(
        "Northwind can stand up a dedicated evaluation environment in our FedRAMP Moderate "
        "GovCloud region within ten business days of a signed evaluation agreement. The "
        "tenant would include the FaceMatch search API, the investigator web console, and "
        "audit logging of every search, including the user, the probe image hash and the "
        "candidate list returned."
    )
    pb.para(
        "For the evaluation we would propose a gallery of up to 2 million enrollment "
        "images supplied by HID. Probe images are never used to train our models, and "
        "the gallery is encrypted at rest with agency-managed keys."
    )
    pb.para(
        "My colleague " + RAMAN + ", our Solutions Architect for Homeland customers, "
        "has put together a short technical overview that I will send separately. She "
        "can walk your team through the accuracy testing methodology, including our most "
        "recent results on the NIST FRTE 1:N benchmark."
    )
    pb.para("Key points for the pilot:")
    for item in (
        "Unlimited searches for up to 40 named users during the 90-day pilot",
        "Candidate lists of 5 to 50 results with similarity scores",
        "Configurable retention of probe images (default 30 days)",
        "Single sign-on through the agency identity provider",
    ):
        pb.para("- " + item, x=90, width=420, after=0)
    pb.gap(8)
    pb.para("Happy to set up a call with your contracting office when you are ready.")
    return pb.build()


def email1_page2() -> PageSpec:
    pb = PageBuilder("e1b", "email-1", top=76)
    pb.shape("punch_hole", (22, 210, 40, 228))
    pb.shape("punch_hole", (22, 560, 40, 578))
    pb.shape("scan_border", (0, 0, 16, 792))
    pb.para("Best regards,", after=2)
    pb.line(ASHWORTH, font="hebo", size=10.5)
    pb.line("Senior Account Executive, Federal Civilian and Homeland Security", size=9.5)
    pb.line("Northwind Cloud Federal, Inc.", size=9.5)
    pb.line("Office: {(703) 555-0142|6}   Mobile: {(571) 555-0187|6}", size=9.5)
    pb.line(ASHWORTH_MAIL, size=9.5, lead=26)
    pb.line(
        "CONFIDENTIALITY NOTICE: This message and any attachments may contain proprietary",
        size=8,
        lead=10,
    )
    pb.line(
        "information of Northwind Cloud Federal, Inc. If you are not the intended "
        "recipient, please",
        size=8,
        lead=10,
    )
    pb.line("notify the sender and delete the message.", size=8, lead=26)
    quoted_head(
        pb,
        WHITFIELD,
        "Friday, January 10, 2025 9:47 AM",
        ASHWORTH,
        "RE: Follow-up from field office briefing",
    )
    pb.para(
        "{Derek|6||r|A}, thanks for the demo on Wednesday. The agents in our "
        "{Gulf Coast|7C||r} group were impressed by the speed of the search. Before we "
        "go further, my leadership will want answers on three things: where the images "
        "are stored, how long you keep them, and how accurate the system is on "
        "low-quality surveillance stills.",
        x=90,
        width=420,
        size=10.5,
    )
    pb.para(
        "Please send whatever you can share. I am copying " + DELGADO + " who runs "
        "the Biometric Programs Section at headquarters.",
        x=90,
        width=420,
        size=10.5,
    )
    pb.gap(4)
    pb.line(WHITFIELD, x=90, font="hebo", size=10)
    pb.line("Supervisory Special Agent, Gulf Coast Field Office", x=90, size=9.5)
    pb.line("Desk: {(504) 555-0119|6,7C}  Cell: {(504) 555-0166|6,7C}", x=90, size=9.5)
    return pb.build()


def email2_page() -> PageSpec:
    pb = PageBuilder("e2", "email-2", top=60)
    email_head(
        pb,
        "{Delgado, Maria (HID)|6,7C|ci}",
        "{Maria Delgado|6,7C|ci}",
        "Wednesday, January 22, 2025 11:05 AM",
        "{derek.ashworth@northwindcloud.example|6|ci}",
        "{james.whitfield@hid.dhs.example|6,7C|ci}",
        "RE: Northwind FaceMatch - evaluation tenant for HID",
    )
    pb.para("Derek,")
    pb.para(
        "Thank you for the overview. Before we can sign an evaluation agreement our "
        "privacy office needs written answers to the questions below. Please respond "
        "in writing; a call is fine afterwards."
    )
    for i, q in enumerate(
        (
            "Will any HID probe image or gallery image leave the GovCloud region, "
            "including for support or debugging?",
            "Who at Northwind can access the tenant, and is that access logged?",
            "What is the default retention for probe images, candidate lists and audit "
            "logs, and can HID set each to zero?",
            "What false match rate should investigators expect on grainy CCTV stills?",
        ),
        start=1,
    ):
        pb.para(f"{i}. {q}", x=90, width=420, after=3)
    pb.gap(4)
    pb.para(
        "For internal planning, {our working assumption is that OPLA will not clear "
        "retention beyond 30 days|5|ci}. Agent {Whitfield|6,7C|ci} will be our pilot lead."
    )
    pb.gap(6)
    pb.line("{Maria Delgado|6,7C|ci}", font="hebo", size=10)
    pb.line("Section Chief, Biometric Programs | " + OFFICE, size=9.5)
    pb.line("{(202) 555-0131|6|ci}  |  {maria.delgado@hid.dhs.example|6,7C|ci}", size=9.5, lead=22)
    quoted_head(
        pb,
        "{Derek Ashworth|6|ci}",
        "Monday, January 13, 2025 4:12 PM",
        "{James Whitfield|6,7C|ci}",
        "Northwind FaceMatch - evaluation tenant for HID",
    )
    pb.para(
        "Thanks again for making time for the briefing at the field office last week. "
        "As promised, I am following up with the details on the FaceMatch evaluation "
        "tenant...",
        x=90,
        width=420,
        size=10,
    )
    return pb.build()


def email3_page() -> PageSpec:
    pb = PageBuilder("e3", "email-3", top=60)
    email_head(
        pb,
        WHITFIELD,
        "{Tom Kessler|6}  {tom.kessler@northwindcloud.example|6}",
        "Thursday, January 30, 2025 2:38 PM",
        "{Angela Brooks|6,7C}  " + WHITFIELD_MAIL,
        ASHWORTH,
        "Northwind FaceMatch - pilot and production pricing",
    )
    pb.para("Angela, James -")
    pb.para(
        "Per your request, below is the pricing for the pilot and for a first production "
        "year. Pilot pricing assumes a signed evaluation agreement by March 1."
    )
    top = pb.y
    pb.shape("table_header", (72, top, 540, top + 18))
    pb.y = top + 12.5  # header text sits on the bar, white on black
    for text, x in (("Line item", 78), ("Unit", 300), ("Price", 380), ("Term", 470)):
        pb.line(text, x=x, font="hebo", size=9.5, color=(1, 1, 1), lead=0)
    pb.y = top + 18 + 14
    rows = (
        ("Evaluation tenant (90 days)", "flat", "{$0.00|4|gc||AB|(b) (4)}", "90 days"),
        ("FaceMatch search API", "1,000 searches", "{$18.40|4|gc||AB|(b) (4)}", "annual"),
        ("Gallery storage", "1M images", "{$2,150.00|4|gc||AB|(b) (4)}", "monthly"),
        ("Investigator console seat", "per user", "{$1,275.00|4|gc||AB|(b) (4)}", "annual"),
        ("Dedicated support engineer", "FTE", "{$212,000.00|4|gc||AB|(b) (4)}", "annual"),
    )
    for name, unit, price, term in rows:
        pb.line(name, x=78, size=9.5, lead=0)
        pb.line(unit, x=300, size=9.5, lead=0)
        pb.line(price, x=380, size=9.5, lead=0)
        pb.line(term, x=470, size=9.5, lead=18)
    bottom = pb.y - 12
    for y in range(int(top + 18), int(bottom) + 1, 18):
        pb.shape("hline", (72, y, 540, y), lookalike=False)
    for x in (72, 294, 374, 464, 540):
        pb.shape("vline", (x, top, x, top + 18 + 18 * len(rows)), lookalike=False)
    pb.y = top + 18 + 18 * len(rows) + 20
    pb.para(
        "Production pricing includes a volume discount of {12 percent|4} above 5 million "
        "searches per year. These prices are Northwind confidential commercial "
        "information and are offered only to HID."
    )
    pb.para("Regards,", after=2)
    pb.line("{Tom Kessler|6}", font="hebo", size=10)
    pb.line("Director, Federal Contracts | Northwind Cloud Federal, Inc.", size=9.5)
    pb.line("{(703) 555-0178|6}  |  {tom.kessler@northwindcloud.example|6}", size=9.5)
    return pb.build()


def email4_page() -> PageSpec:
    pb = PageBuilder("e4", "email-4", top=60)
    email_head(
        pb,
        DELGADO,
        "{Lauren Mitchell|6,7C}  {lauren.mitchell@hid.dhs.example|6,7C}",
        "Tuesday, February 11, 2025 8:51 AM",
        DELGADO + " " + DELGADO_MAIL,
        "{Kevin Osei|6,7C}",
        "RE: FaceMatch retention terms - legal review",
        "Northwind_DPA_draft_v3.docx",
    )
    pb.para("Maria,")
    pb.para(
        "I reviewed the draft data processing addendum from Northwind against the "
        "retention questions your team sent on January 22. My comments are below; the "
        "redline is attached."
    )
    pb.block(
        "In my view the vendor's default of 30 days for probe images is defensible "
        "only if audit logs are kept separately for the full records schedule. The "
        "addendum as drafted lets Northwind keep candidate lists for service improvement, "
        "which I do not think we can accept without a privacy impact assessment update. "
        "I would also push back on the clause that lets Northwind use aggregate search "
        "statistics in marketing materials.",
        "5",
        "A",
    )
    pb.para(
        "On accuracy, the addendum should require Northwind to report false match rates "
        "on the agency's own test set before the pilot begins, not only the published "
        "benchmark numbers."
    )
    pb.block(
        "My recommendation is to sign the evaluation agreement but hold the production "
        "contract until the privacy office completes its review.",
        "5",
        "AB",
    )
    pb.para("Let me know if you want to discuss before the Thursday meeting.", after=8)
    pb.line("{Lauren Mitchell|6,7C}", font="hebo", size=10)
    pb.line("Associate Legal Advisor, Office of the Principal Legal Advisor", size=9.5)
    pb.line("{(202) 555-0124|6,7C}", size=9.5, lead=14)
    pb.line("ATTORNEY-CLIENT PRIVILEGED / ATTORNEY WORK PRODUCT", font="hebo", size=9)
    return pb.build()


def attachment_page() -> PageSpec:
    pb = PageBuilder("att1", "attachment-1", top=72)
    pb.line("Northwind FaceMatch - HID Pilot Accuracy Summary", font="hebo", size=14, lead=20)
    pb.line(
        "Prepared by {Priya Raman|6|bw||A}, Northwind Cloud Federal    Version 1.2",
        size=10,
        lead=24,
    )
    pb.para(
        "Test set: 4,800 probe images from closed HID cases (consented use) searched "
        "against a gallery of 1.2 million booking photographs. Ground truth mates "
        "confirmed by two examiners.",
        font="helv",
        size=10,
    )
    for label, val in (
        ("Rank-1 identification rate (high-quality probes)", "{96.8%|4|bw}"),
        ("Rank-1 identification rate (CCTV stills)", "{71.3%|4|bw}"),
        ("False match rate at default threshold", "{0.8%|4|bw}"),
        ("Median search latency", "1.9 seconds"),
        ("Examiner reviewing results", "{Sgt. R. Okafor|6,7C|bw}"),
    ):
        pb.line(label, x=90, size=10, lead=0)
        pb.line(val, x=400, size=10, lead=20)
    pb.gap(10)
    pb.para(
        "Notes: accuracy on probes with faces smaller than 40 pixels between the eyes "
        "was {substantially lower and is reported separately|4|bw}. Results by "
        "demographic group are in Appendix B, which Northwind considers proprietary.",
        font="helv",
        size=10,
    )
    return pb.build(sideways=True)


def email5_page() -> PageSpec:
    pb = PageBuilder("e5", "email-5", top=60)
    email_head(
        pb,
        WHITFIELD,
        RAMAN + " {priya.raman@northwindcloud.example|6}",
        "Friday, February 21, 2025 5:40 PM",
        WHITFIELD,
        ASHWORTH,
        "FaceMatch accuracy on CCTV stills",
    )
    pb.para("James,")
    pb.para(
        "Attached is the accuracy summary for the test set your team provided. The short "
        "version: high-quality probes perform as expected, but CCTV stills are a "
        "different story, and I want to be candid about that before the pilot starts."
    )
    pb.para(
        "For probe {case 25-GC-0417|7C|st} we returned the correct subject at rank 14, "
        "which an investigator scanning the first ten candidates would have missed. On "
        "probe {case 25-GC-0452|7C|st} the top candidate was a false match with a "
        "similarity score of 0.81."
    )
    pb.para(
        "We recommend that HID require examiner review of every candidate list and set "
        "the display threshold no lower than 0.85 during the pilot. I am happy to walk "
        "your examiners through the score distributions."
    )
    pb.para("Best,", after=2)
    pb.line(RAMAN, font="hebo", size=10)
    pb.line("Solutions Architect, Homeland Security Programs", size=9.5)
    pb.line("Northwind Cloud Federal, Inc.  |  {(703) 555-0193|6}", size=9.5)
    return pb.build()


def email6_page() -> PageSpec:
    # Redacted with vector boxes drawn over the scan in release A (the leak), burned in B.
    pb = PageBuilder("e6", "email-6", top=60)
    email_head(
        pb,
        "{Whitfield, James (HID)|6,7C||n}",
        "{James Whitfield|6,7C||n}",
        "Monday, March 3, 2025 7:15 AM",
        "{Maria Delgado|6,7C||n}",
        "{Angela Brooks|6,7C||n}",
        "Pilot go-live and first week of searches",
    )
    pb.para("Maria,")
    pb.para(
        "The Gulf Coast pilot went live on Thursday. Eleven agents completed the console "
        "training and ran 63 searches in the first three days. Two searches produced "
        "leads that agents are following up; neither has been confirmed."
    )
    pb.para(
        "Agent {Carlos Ibarra|6,7C||n} raised a concern that the console shows similarity "
        "scores without explaining them, and that newer agents may read a high score as "
        "a match. I have asked Northwind for a one-page guide."
    )
    pb.para(
        "The audit log export works, but it includes the full probe image rather than the "
        "hash. I have asked {Priya Raman|6||n} whether that can be switched off."
    )
    pb.para("Thanks,", after=2)
    pb.line("{James|6,7C||n}", font="hebo", size=10)
    return pb.build(vector_boxes_in=frozenset("A"))


def withheld_page() -> PageSpec:
    # Withheld in full in A; released in part in B with new (b)(5) boxes.
    pb = PageBuilder("wh1", "talking-points-1", top=80)
    pb.line("DRAFT - DELIBERATIVE - NOT FOR RELEASE", font="hebo", size=11, lead=22)
    pb.line(
        "Talking Points: Face Recognition Pilot (Gulf Coast Field Office)",
        font="hebo",
        size=12,
        lead=24,
    )
    pb.para(
        "- The Directorate is piloting a commercial face recognition service for 90 days "
        "in one field office.",
        x=80,
        width=430,
        font="helv",
        size=10.5,
    )
    pb.para(
        "- Results are investigative leads only and are always reviewed by a trained examiner.",
        x=80,
        width=430,
        font="helv",
        size=10.5,
    )
    pb.line("-", x=80, size=10.5, lead=0)
    pb.block(
        "If asked about accuracy, do not cite vendor benchmark figures until OPLA "
        "completes its review.",
        "5",
        "B",
        x=89,
        width=421,
        font="helv",
        size=10.5,
    )
    pb.para(
        "- The pilot does not use social media imagery or images from the public.",
        x=80,
        width=430,
        font="helv",
        size=10.5,
    )
    pb.line("-", x=80, size=10.5, lead=0)
    pb.block(
        "Privacy office position on retention still under discussion.",
        "5",
        "B",
        x=89,
        width=421,
        font="helv",
        size=10.5,
    )
    return pb.build(withheld_in=frozenset("A"), withheld_codes=("(b)(5)",))


def email7_page() -> PageSpec:
    pb = PageBuilder("e7", "email-7", top=60)
    email_head(
        pb,
        DELGADO,
        "{Angela Brooks|6,7C||st}  {angela.brooks@hid.dhs.example|6,7C||st}",
        "Wednesday, March 12, 2025 3:02 PM",
        "{Maria Delgado|6,7C||st}; {James Whitfield|6,7C||st}",
        "{Kevin Osei|6,7C||st}",
        "Pilot review meeting - Thursday 3/20",
    )
    pb.para("All,")
    pb.para(
        "I have scheduled the 30-day pilot review for Thursday, March 20 at 10:00 AM in "
        "conference room {4B-117|7C}. Northwind will join by phone."
    )
    pb.para("Dial-in: {(202) 555-0150|6}   Access code: {882 417 03#|6}")
    pb.para("Agenda:", after=2)
    for item in (
        "Search volume and leads generated (Gulf Coast)",
        "Examiner review workload and turnaround",
        "Retention settings and audit log export",
        "Option year pricing and production decision timeline",
    ):
        pb.para("- " + item, x=90, width=420, after=0)
    pb.gap(8)
    pb.para(
        "Northwind attendees: {Derek Ashworth|6||r|A}, {Tom Kessler|6}. Please send "
        "questions for the vendor by Tuesday."
    )
    pb.para("Thank you,", after=2)
    pb.line("{Angela Brooks|6,7C||st}", font="hebo", size=10)
    pb.line("Contracting Officer, Office of Acquisition Management", size=9.5)
    pb.line("Tel. {(202) 555-0108|6||r|B}", size=9.5)
    return pb.build()


def email8_page() -> PageSpec:
    pb = PageBuilder("e8", "email-8", top=60)
    email_head(
        pb,
        WHITFIELD,
        "{Maria Delgado|6,7C|bw}",
        "Monday, March 31, 2025 6:20 PM",
        "{Derek Ashworth|6|bw||A}; {Tom Kessler|6|bw}",
        "{James Whitfield|6,7C|bw}; {Angela Brooks|6,7C|bw}",
        "Decision on FaceMatch production contract",
    )
    pb.para("Derek, Tom,")
    pb.para(
        "Thank you for supporting the pilot. After the 30-day review, the Directorate "
        "has decided to extend the evaluation for a further 60 days rather than move to "
        "a production contract at this time."
    )
    pb.para(
        "The extension will be conditioned on the changes to the data processing "
        "addendum discussed on March 20, in particular {deletion of candidate lists "
        "after 30 days|5|gc||AB|(b) (5)} and examiner review of every result."
    )
    pb.para(
        "{Angela Brooks|6,7C|gc||AB|(b) (6)} will send the modification for signature. "
        "Please direct questions about the extension to her."
    )
    pb.para("Regards,", after=2)
    pb.line("{Maria Delgado|6,7C|bw}", font="hebo", size=10)
    pb.line("Section Chief, Biometric Programs | " + OFFICE, size=9.5)
    pb.line(AGENCY, size=9.5)
    return pb.build()


def release_pages() -> list[PageSpec]:
    """The 12 pages of release A, in A's order."""
    return [
        memo_page(),
        email1_page1(),
        email1_page2(),
        email2_page(),
        email3_page(),
        email4_page(),
        attachment_page(),
        email5_page(),
        email6_page(),
        withheld_page(),
        email7_page(),
        email8_page(),
    ]


def cover_letter(request_no: str) -> PageSpec:
    pb = PageBuilder("cover", "cover-letter", top=58)
    pb.shape("logo", (72, 44, 124, 96))
    pb.line("U.S. Department of Homeland Affairs", x=136, font="hebo", size=13, lead=15)
    pb.line(AGENCY, x=136, font="tiro", size=11.5, lead=14)
    pb.line("Freedom of Information Act Office | Washington, DC 20536", x=136, size=9, lead=16)
    pb.shape("rule", (72, 104, 540, 105.2), lookalike=False)
    pb.y = 136
    pb.line("September 8, 2026", size=10.5, lead=24)
    pb.line("Ms. Dana Whitlock", size=10.5, lead=13)
    pb.line("Gulf Coast Public Records Project", size=10.5, lead=13)
    pb.line("PO Box 5521, New Orleans, LA 70115", size=10.5, lead=24)
    pb.line(
        f"RE: FOIA Request {request_no} - Supplemental Release", font="hebo", size=10.5, lead=24
    )
    pb.para("Dear Requester:", font="tiro", size=11)
    pb.para(
        f"This letter is a supplemental response to your Freedom of Information Act "
        f"request {request_no}, seeking records concerning the evaluation of commercial "
        "face recognition services by the Homeland Investigations Directorate."
    )
    pb.para(
        "Following your administrative appeal, the agency re-reviewed the 12 pages "
        "previously released in part. Enclosed please find 12 pages, released in part, "
        "which supersede the prior production. Certain names of vendor personnel, one "
        "paragraph previously withheld under the deliberative process privilege, and one "
        "page previously withheld in full are now released in part."
    )
    pb.para(
        "Portions of the enclosed records continue to be withheld under FOIA exemptions "
        "(b)(4), (b)(5), (b)(6) and (b)(7)(C), 5 U.S.C. 552(b)(4), (b)(5), (b)(6) and "
        "(b)(7)(C). Each withholding is marked on the page with the exemption applied."
    )
    pb.para(
        "You may appeal this supplemental response within 90 days of the date of this "
        "letter. If you have questions, please contact our FOIA Public Liaison at "
        "(866) 555-0100."
    )
    pb.para("Sincerely,", after=30)
    pb.shape("signature", (76, pb.y - 34, 210, pb.y - 6))
    pb.line("FOIA Officer", size=10.5, lead=13)
    pb.line("Homeland Investigations Directorate", size=10.5)
    pb.line("Enclosures: 12 pages", size=9.5)
    return pb.build()


def memo_specs() -> list[PageSpec]:
    """Born-digital memo: 3 text pages plus one scanned page with an OCR layer."""
    from .memo_content import memo_pages

    return memo_pages()
