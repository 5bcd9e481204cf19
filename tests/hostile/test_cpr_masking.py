"""One CPR-masking function (`smdb._privacy`) recognises a CPR number however it is written,
and control characters in shown values come out escaped. Property tests generate the forms."""

from __future__ import annotations

import unicodedata

from conftest import generated_module
from hypothesis import given
from hypothesis import strategies as st

privacy = generated_module("smdb._privacy")

# Ways to write a digit: ASCII, other scripts' decimal digits, fullwidth, superscript, circled.
DIGIT_FORMS = [
    "0123456789",
    "٠١٢٣٤٥٦٧٨٩",  # Arabic-Indic
    "०१२३४५६७८९",  # Devanagari
    "０１２３４５６７８９",  # fullwidth
    "⁰¹²³⁴⁵⁶⁷⁸⁹",  # superscript
    "₀₁₂₃₄₅₆₇₈₉",  # subscript
    "⓪①②③④⑤⑥⑦⑧⑨",  # circled
    "𝟎𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖𝟗",  # mathematical bold
]
VISIBLE = [
    " ",
    "-",
    " - ",
    "–",
    "—",
    "‐",
    "−",
    ".",
    "/",
    "_",
    "\u00a0",
    "\u2009",
    "\t",
    ":",
    "﹣",
    "－",
]
INVISIBLE = ["\u00ad", "\u200b", "\u2060", "\ufeff", "\u200d", "\u0332", "\u202e"]
CPR = st.from_regex(r"(0[1-9]|[12][0-9]|3[01])(0[1-9]|1[0-2])[0-9]{6}", fullmatch=True)
# Text around the number without digits (a digit next to it joins the run, masked too) and
# without controls (which `shown` writes as escapes, with digits).
AROUND = st.text(
    st.characters(blacklist_categories=("Nd", "No", "Cs", "Cc", "Cf", "Zl", "Zp")), max_size=20
)


@st.composite
def written_cpr(draw):
    """A CPR number written in one of the many ways people and systems write one."""
    digits = draw(CPR)
    form = draw(st.sampled_from(DIGIT_FORMS))
    text = ""
    for position, digit in enumerate(digits):
        if position:
            text += draw(st.sampled_from(["", "", *VISIBLE]))
            text += "".join(draw(st.lists(st.sampled_from(INVISIBLE), max_size=5)))
        text += form[int(digit)]
    return digits, text


def _digits(text: str) -> str:
    return "".join(
        str(unicodedata.digit(c)) for c in text if unicodedata.digit(c, None) is not None
    )


@given(written_cpr(), AROUND, AROUND)
def test_a_cpr_number_in_any_form_never_shows_whole(cpr, before, after):
    digits, written = cpr
    for out in (
        privacy.mask_text(before + written + after),
        privacy.shown(before + written + after),
    ):
        # Only the birth date stays, for the reader; no digit of the serial shows.
        assert _digits(out) == digits[:6]
        assert digits[:6] + "-****" in out


@given(CPR.filter(lambda d: d[0] == "0"))
def test_a_cpr_number_as_an_integer_loses_its_leading_zero_and_is_masked(digits):
    out = privacy.shown(f'{{"PersonIdentifikator": {int(digits)}}}')
    assert _digits(out) == digits[1:6]  # nine digits: five stay, none of the serial


@given(st.text())
def test_shown_is_one_line_without_controls(text):
    out = privacy.shown(text)
    assert all(unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp", "Cs") for c in out), ascii(
        out
    )


@given(st.text())
def test_masking_is_stable(text):
    once = privacy.mask_text(text)
    assert privacy.mask_text(once) == once


def test_terminal_escapes_and_forged_lines_are_shown_escaped():
    out = privacy.shown("x\x1b]0;pwned\x07\n0 case(s), 0 with violations\r\x9b2J\u202eabc")
    assert out == "x\\x1b]0;pwned\\x07\\x0a0 case(s), 0 with violations\\x0d\\x9b2J\\u202eabc"


def test_dates_and_short_numbers_are_left_alone():
    text = "2026-01-01, KommuneKode 147, felt 12-ANM, 12345678"
    assert privacy.mask_text(text) == text


# Messages mask data, not configuration (issue #21, item 7).


def test_a_composed_url_stays_readable_and_data_beside_it_is_masked():
    url = "http://127.0.0.3:8443"  # an address no other test composes
    message = f"ConnectError calling {url}/smdbwebservice/api: case of 1503901234"
    assert privacy.mask_text(message).startswith("ConnectError calling http://127003-****")
    assert privacy.composed(url) == url
    assert privacy.shown(message) == (
        "ConnectError calling http://127.0.0.3:8443/smdbwebservice/api: case of 150390-****"
    )
    # kept only where the composed text stands whole: its digits alone are masked
    assert privacy.shown("127.0.0.3:8443") == "127003-****"


def test_a_timestamp_with_fractional_seconds_is_not_a_cpr_number():
    for stamp in ("2026-12-07T19:16:05.123Z", "2026-12-07T19:16:05.123456+00:00"):
        assert privacy.shown(f"expired at {stamp}") == f"expired at {stamp}"
    assert privacy.shown("at 2026-12-07T19:16:05.123Z for 0101901234") == (
        "at 2026-12-07T19:16:05.123Z for 010190-****"
    )
    assert privacy.shown("19:16:05.123456") == "191605-****"  # a time alone: no date, masked


@given(written_cpr())
def test_a_composed_text_does_not_unmask_a_cpr_number_of_data(cpr):
    digits, written = cpr
    privacy.composed("http://127.0.0.1:8080")
    out = privacy.shown(f"http://127.0.0.1:8080 {written}")
    assert out.startswith("http://127.0.0.1:8080 ")
    assert digits[:6] + "-****" in out and _digits(out).endswith(digits[:6])
