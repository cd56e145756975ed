"""Exemption codes: the catalog tables and normalising what agencies (and OCR) print."""

from __future__ import annotations

import pytest

from redactview.core.exemptions import (
    CA_ATIA,
    JURISDICTIONS,
    UK_FOI,
    describe,
    find_marker_words,
    is_label_text,
    load_table,
    marker_share,
    parse_box_label,
    parse_exemptions,
)


@pytest.mark.parametrize(
    ("printed", "codes"),
    [
        ("(b)(6)", ("(b)(6)",)),
        ("(b) (6)", ("(b)(6)",)),
        ("b6", ("(b)(6)",)),
        ("B6", ("(b)(6)",)),
        ("(bX6)", ("(b)(6)",)),
        ("(b)(G)", ("(b)(6)",)),
        ("(b)(S)", ("(b)(5)",)),
        ("(b)(7)(C)", ("(b)(7)(C)",)),
        ("(b)(7)c", ("(b)(7)(C)",)),
        ("b7C", ("(b)(7)(C)",)),
        ("(b) (7) (C)", ("(b)(7)(C)",)),
        ("(bX7KC)", ("(b)(7)(C)",)),
        ("(b)(3):50 USC 3024(i)", ("(b)(3)",)),
        ("(b)(5); (b)(6)", ("(b)(5)", "(b)(6)")),
        ("(b)(6), (b)(7)(C)", ("(b)(6)", "(b)(7)(C)")),
        ("b6/b7c", ("(b)(6)", "(b)(7)(C)")),
        ("(b)(6);(b)(7)(C);(b)(6)", ("(b)(6)", "(b)(7)(C)")),
        ("(b)(7) (b)(6)", ("(b)(7)", "(b)(6)")),
        ("(b)(7)(E)", ("(b)(7)(E)",)),
        ("(k)(2); (j)(2)", ("(k)(2)", "(j)(2)")),
        ("Exemptions applied: (b)(1), (b)(3)", ("(b)(1)", "(b)(3)")),
        # the FBI's margin codes with their categories
        ("b6 -1", ("(b)(6)",)),
        ("b7C -1,2", ("(b)(7)(C)",)),
        ("b6 -1, b7C -1", ("(b)(6)", "(b)(7)(C)")),
        ("b70 -1", ("(b)(7)(D)",)),  # its D read as a zero
    ],
)
def test_parse_normalises_printed_variants(printed: str, codes: tuple[str, ...]) -> None:
    assert parse_exemptions(printed) == codes


@pytest.mark.parametrize(
    "text", ["", "the job6 report", "bob", "Section 6 of the memo", "(b)", "b60", "b700"]
)
def test_parse_ignores_prose_and_partial_codes(text: str) -> None:
    assert parse_exemptions(text) == ()


def test_other_jurisdictions_parse_only_when_asked() -> None:
    assert parse_exemptions("s.40 and section 43") == ()
    assert parse_exemptions("s.40 and section 43", (UK_FOI,)) == ("s.40", "s.43")
    assert parse_exemptions("s.19(1); s.21(1)(a)", (CA_ATIA,)) == ("s.19(1)", "s.21(1)")
    # small bold white "s." read "$.", but a sum is no section
    assert parse_exemptions("$.21(1)(a)", (CA_ATIA,)) == ("s.21(1)",)
    assert parse_exemptions("$21 and $19", (CA_ATIA,)) == ()


def test_every_table_loads_with_meanings() -> None:
    for jurisdiction in JURISDICTIONS:
        table = load_table(jurisdiction)
        assert len(table) >= 9
        assert all(e.code and e.meaning and e.jurisdiction == jurisdiction for e in table)
        assert len({e.code for e in table}) == len(table)


def test_foia_table_covers_b1_to_b9_and_7a_to_7f() -> None:
    codes = {e.code for e in load_table("us_foia")}
    assert {f"(b)({n})" for n in range(1, 10)} <= codes
    assert {f"(b)(7)({c})" for c in "ABCDEF"} <= codes


def test_describe() -> None:
    assert "privacy" in (describe("(b)(6)") or "")
    assert "confidential source" in (describe("(b)(7)(D)") or "")
    assert describe("s.40") == "Personal information"
    assert describe("(b)(12)") is None
    with pytest.raises(ValueError):
        load_table("atlantis")


def test_marker_words_and_label_text() -> None:
    assert find_marker_words("REDACTED") == ("REDACTED",)
    assert find_marker_words("Non-Responsive") == ("NON-RESPONSIVE",)
    assert find_marker_words("WITHHELD IN FULL") == ("WITHHELD IN FULL",)
    assert find_marker_words("redactedness is a word") == ()
    assert is_label_text("(b)(6)") and is_label_text("REDACTED")
    assert not is_label_text("Name")


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("(0X6);", ("(b)(6)",)),
        ("(oX6); (bX7KC)", ("(b)(6)", "(b)(7)(C)")),
        ("(oXx6);", ("(b)(6)",)),
    ],
)
def test_small_bold_b_read_as_o_or_zero(text: str, codes: tuple[str, ...]) -> None:
    assert parse_exemptions(text) == codes


@pytest.mark.parametrize("text", ["(o)", "see (10)(6)", "10)(6)", "(o) six"])
def test_o_or_zero_alone_is_no_code(text: str) -> None:
    assert parse_exemptions(text) == ()


@pytest.mark.parametrize(
    ("printed", "codes"),
    [
        # EPA's labels name the exemption by number, with its category
        ("Ex. 6 Personal Privacy (PP)", ("(b)(6)",)),
        ("Ex. 5 Deliberative Process (DP)", ("(b)(5)",)),
        ("Ex. 4 (CBI)", ("(b)(4)",)),  # (CBI) is no (4)(C): no subparagraph there
        ("Ex. 5 AC/DP", ("(b)(5)",)),
        ("EX6", ("(b)(6)",)),
        ("Ex, 6", ("(b)(6)",)),  # its period read as a comma
        ("Ex. \u00a7 Deliberative Process (DP)", ("(b)(5)",)),  # a small bold 5 read "§"
        ("Ex. 7(C)", ("(b)(7)(C)",)),
        ("Ex. 7C", ("(b)(7)(C)",)),
        ("Ex. 6, Ex. 7(C)", ("(b)(6)", "(b)(7)(C)")),
        # letters and indexes
        ("withheld under Exemption 5", ("(b)(5)",)),
        ("Exemptions 6 and 7(C)", ("(b)(6)", "(b)(7)(C)")),
        ("Exemptions 6, 7(C) and 7(E)", ("(b)(6)", "(b)(7)(C)", "(b)(7)(E)")),
        # a list follows "Exemptions" only: "Ex. 6, 2 pages" cites one
        ("Ex. 6, 2 pages", ("(b)(6)",)),
    ],
)
def test_exemptions_cited_by_number(printed: str, codes: tuple[str, ...]) -> None:
    assert parse_exemptions(printed) == codes


@pytest.mark.parametrize(
    "prose",
    # exhibits in court papers: a party's, a pin cite, two digits, a letter
    ["Pl. Ex. 5", "Def. Ex. 2", "see Ex. 5 at 3", "Ex. 12", "Ex. G", "Ex. S", "index 6"],
)
def test_exhibits_and_words_ending_in_ex_are_no_exemptions(prose: str) -> None:
    assert parse_exemptions(prose) == ()


@pytest.mark.parametrize("prose", ["blue sky", "the bs", "bgx", "best 7 items", "bold print"])
def test_words_starting_like_a_code_are_not_codes(prose: str) -> None:
    # A letter stands for a digit only inside brackets: "blue" was read (b)(1).
    assert parse_exemptions(prose) == ()


@pytest.mark.parametrize(
    ("ocr", "codes"),
    [("(bYTKC)", ("(b)(7)(C)",)), ("(b)(T)", ("(b)(7)",)), ("(bXt7KC)", ()), ("bl)", ("(b)(1)",))],
)
def test_t_read_for_seven_inside_brackets(ocr: str, codes: tuple[str, ...]) -> None:
    assert parse_exemptions(ocr) == codes


@pytest.mark.parametrize(
    "printed",
    ["NON-RESPONSIVE", "Non—Responsive", "NON - RESPONSIVE", "NONRESPONSIVE", "Not Responsive"],
)
def test_non_responsive_variants_are_one_marker_and_no_code(printed: str) -> None:
    assert find_marker_words(printed) == ("NON-RESPONSIVE",)
    assert parse_exemptions(printed) == ()


def test_a_marker_word_among_other_words_is_only_mentioned() -> None:
    assert marker_share("NON-RESPONSIVE") == 1.0
    assert marker_share("| REDACTED ,") == 1.0
    assert marker_share("RESPONSIVE RECORDS WITHHELD BY OTHER AGENCIES") < 0.3
    assert marker_share("(b)(6)") == 0.0


@pytest.mark.parametrize(
    ("ocr", "codes"),
    [
        # Photocopied or blurred small bold print: "b" read "D" where ")(" merged.
        ("(DK7KC)", ("(b)(7)(C)",)),
        ("(BX6):(DK7KC)", ("(b)(6)", "(b)(7)(C)")),
        ("(Dy7c)", ("(b)(7)(C)",)),
        ("(DM 7KC)", ("(b)(7)(C)",)),
        ("(DK6)", ("(b)(6)",)),
        # ")(" merged into "M".
        ("(bM6)", ("(b)(6)",)),
        # The second code's ";(b" lost: the paragraph follows the first code.
        ("~ (b)(6)(7KC) |", ("(b)(6)", "(b)(7)(C)")),
        ("(b)(6)(7)(C)", ("(b)(6)", "(b)(7)(C)")),
        # "(C)" read as the copyright sign, "(" as a cent sign.
        ("(b)(6);(b(7)(\u00a9)", ("(b)(6)", "(b)(7)(C)")),
        ("(b)(6):(b)7)\u00a2C)", ("(b)(6)", "(b)(7)(C)")),
        # And "C" itself as a cent sign, where no letter follows it (was "(b)(7)").
        ("b6,b7\u00a2", ("(b)(6)", "(b)(7)(C)")),
        ("(b)(7)(\u00a2)", ("(b)(7)(C)",)),
        ("(b)\u00a26)", ("(b)(6)",)),  # before a digit it is still a bracket
        # ")(" merged into something read "4" (photocopied twice).
        ("(bX6):(b47KC)", ("(b)(6)", "(b)(7)(C)")),
        ("(b47C)", ("(b)(7)(C)",)),
        ("(bX6);(b4{7C)", ("(b)(6)", "(b)(7)(C)")),
    ],
)
def test_merged_and_dropped_parts_of_scanned_codes(ocr: str, codes: tuple[str, ...]) -> None:
    assert parse_exemptions(ocr) == codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("(d)(6)", ()),  # "d" is "b" only where OCR merged the brackets
        ("(dX5)", ()),  # the Privacy Act's (d)(5), merged: not made (b)(5)
        ("(dX 5)", ()),
        ("(d) (6)", ()),
        ("(d)(5)", ("(d)(5)",)),
        ("b6 (7) items", ("(b)(6)",)),  # a bare b6 is not followed by paragraphs
        ("\u00a9 2024 Example Corp.", ()),
        ("50\u00a2 each", ()),
        # A "b" and a number is no code: only "(b" takes a "4" for ")(".
        ("the B47 road", ()),
        ("B52 bombers and b12", ()),
        ("(b)(4)", ("(b)(4)",)),
        ("(b)(4);(b)(6)", ("(b)(4)", "(b)(6)")),
        ("under (b)(3)(A) of the statute", ("(b)(3)",)),
    ],
)
def test_what_the_scan_variants_do_not_make_into_codes(text: str, codes: tuple[str, ...]) -> None:
    assert parse_exemptions(text) == codes


@pytest.mark.parametrize(
    ("ocr", "codes"),
    [
        # Both ")(" of "(b)(7)(C)" merged into letters, the "7" read "T" and the
        # "b" as a look-alike (100 dpi and photocopied stacked rows).
        ("(OXTXC)", ("(b)(7)(C)",)),
        ("(DNTKC) .", ("(b)(7)(C)",)),
        ("(WNTKC)", ("(b)(7)(C)",)),
        ("(@KTKC)", ("(b)(7)(C)",)),
        # ")(" before the subparagraph read "V", "W" or "I".
        ("(DH 7VC)", ("(b)(7)(C)",)),
        ("(by7WC).", ("(b)(7)(C)",)),
        ("(BX7IC)", ("(b)(7)(C)",)),
        # A merged ")(" or a lone "(" read "1": no (b)(1).
        ("(b16) (bX7KC)", ("(b)(6)", "(b)(7)(C)")),
        ("(b)16). (b7C)", ("(b)(6)", "(b)(7)(C)")),
        ("(b16: (BK7XC)", ("(b)(6)", "(b)(7)(C)")),
        # The subparagraph's bracket lost at the end of a row.
        ("(bX7KC", ("(b)(7)(C)",)),
        # A (7) read in part beside the whole of it is one code.
        ("(b)(6):(b)(7 -(b)(7)(C) Sect", ("(b)(6)", "(b)(7)(C)")),
        ("(b)(7)(A), (b)(7)(C)", ("(b)(7)(A)", "(b)(7)(C)")),
    ],
)
def test_merged_brackets_of_low_resolution_rows(ocr: str, codes: tuple[str, ...]) -> None:
    assert parse_exemptions(ocr) == codes


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        # A subparagraph letter past a space is one only when a bracket closes it.
        ("under (b)(7) he said", ("(b)(7)",)),
        ("Exemption (b)(7) a record may", ("(b)(7)",)),
        ("(b)(7) me", ("(b)(7)",)),
        ("(b)(7) (C)", ("(b)(7)(C)",)),
        # A number after a space is the text that follows, not a pair's digit:
        # a code above a box and the time at the end of the line read as one line.
        ("(b)(6);(b)(7)(C) 8:51", ("(b)(6)", "(b)(7)(C)")),
        ("(b)(7)(C) 2025", ("(b)(7)(C)",)),
        ("(b)(7)WC) 12", ("(b)(7)(C)",)),
        # ... but a digit bracketed after the letter makes it a Privacy Act pair.
        ("(b)(7)(d)(5)", ("(b)(7)",)),
        ("(b)(7) (d) (5)", ("(b)(7)",)),
        # No code has two digits.
        ("paragraph (b)(12) of the rule", ()),
        # Acronyms in brackets shaped like a merged "(b)(7)(C)" without its "b".
        ("the (NTMA) and (HTML) and (NTSC)", ()),
        ("the band (XTC) played", ()),
        ("(KTKC)", ()),
    ],
)
def test_prose_near_the_merged_shapes_stays_prose(text: str, codes: tuple[str, ...]) -> None:
    assert parse_exemptions(text) == codes


@pytest.mark.parametrize(
    ("text", "box_label", "prose"),
    [
        # Small bold "(b)" read "(6)" right at a box's edge (photocopied twice).
        ("(6)(5)", ("(b)(5)",), ()),
        ("(6X5)", ("(b)(5)",), ()),
        ("_ (6X5) - -", ("(b)(5)",), ()),
        ("(6X6)", ("(b)(6)",), ()),
        # Courier 8 pt "(b)" on a 150 dpi scan, beside or inside a box.
        ("(>) (6)", ("(b)(6)",), ()),
        ("(h) (7) (C)", ("(b)(7)(C)",), ()),
        ("cb) (7) «D)", ("(b)(7)",), ()),
        ("| cb) (5)", ("(b)(5)",), ()),
        ("(>) items", (), ()),
        ("see (h) (6)", (), ()),
        # A "(6)" alone, or not first, is no code even there.
        ("(6) items", (), ()),
        ("see (6)(5)", (), ()),
        ("(b)(6)", ("(b)(6)",), ("(b)(6)",)),
    ],
)
def test_misread_b_only_at_a_box_edge(
    text: str, box_label: tuple[str, ...], prose: tuple[str, ...]
) -> None:
    assert parse_box_label(text) == box_label
    assert parse_exemptions(text) == prose
