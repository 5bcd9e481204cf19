"""What `smdb` shows of a value: CPR numbers masked, control characters escaped.

Every output path (validation messages and paths, XML errors, the CLI's reports in text and
JSON, file names, error lines; the progress line shows only counts) shows text through
`shown` (or `mask_text` where the text is escaped on its own, as in JSON), so a CPR number
never appears whole and a value cannot move the cursor, retitle a terminal or forge a line.

A CPR number is recognised in any way it may be written: ten digits (ASCII or any Unicode
digit, superscript and circled ones too), with up to four visible separators between any two
digits (spaces of any kind, hyphens and dashes, `.`, `/`, `_`, `:`) among any number of
invisible characters (soft hyphens, zero-width characters, combining marks), and as an
integer that lost its leading zero (nine digits). Digits that follow the tenth at once are
masked too (a CPR number may hide in a longer run); a separator after the tenth ends it.

Masking is for data, not for what the tool composes from its configuration: a URL, host and
port (`http://127.0.0.1:8080` has ten digits) or a path that the code marks with `composed`
when it takes it, and an ISO 8601 timestamp with its time of day (`2026-12-07T19:16:05.123Z`),
stay readable where they stand whole in a message. Everything else is masked as before.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["composed", "escape_controls", "mask_text", "shown"]

# Digits: Unicode decimal digits (\d), and the superscript, subscript, circled and
# parenthesised digits that `unicodedata.digit` also reads.
_DIGIT = (
    r"\d\u00b2\u00b3\u00b9\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247c"
    r"\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e\u2780-\u2788\u278a-\u2792"
    r"\U0001f100-\U0001f10a"
)
# Between two digits of a CPR number: up to four visible separators (whitespace, dashes
# (Unicode Pd and minus signs), `.`, `/`, `_`, `:`, `\`) among any number of invisible
# characters (soft hyphens, zero-width characters, joiners, bidi marks, variation
# selectors, tags, combining marks).
_VISIBLE = (
    r"\s\-./_:\\\u058a\u05be\u1400\u1806\u2010-\u2015\u2043\u2212\u2796\u2e17\u2e1a"
    r"\u2e3a\u2e3b\u2e40\u301c\u3030\u30a0\u3164\ufe31\ufe32\ufe58\ufe63\uff0d\uffa0"
)
_INVISIBLE = (
    r"\u00ad\u034f\u061c\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    r"\ufe00-\ufe0f\ufeff\u0300-\u036f\u1ab0-\u1aff\u20d0-\u20ff\U000e0000-\U000e007f"
)
_BETWEEN = rf"[{_INVISIBLE}]*(?:[{_VISIBLE}][{_INVISIBLE}]*){{0,4}}"
# Nine or ten digits with separators, then any digits that follow at once (a separator after
# the tenth digit ends the number: `150390 1234, 2026-02-02` keeps its date).
# (The look-behind, "no digit before the first", comes after the first digit: a pattern
# that starts with a character class is searched for much faster.)
_CPR_LIKE = re.compile(
    rf"[{_DIGIT}](?<![{_DIGIT}][{_DIGIT}])(?:{_BETWEEN}[{_DIGIT}]){{8}}"
    rf"(?:{_BETWEEN}[{_DIGIT}])?[{_DIGIT}]*"
)
_DIGITS = re.compile(rf"[{_DIGIT}]")


def _masked(match: re.Match[str]) -> str:
    digits = [str(unicodedata.digit(d)) for d in _DIGITS.findall(match.group())]
    # Ten or more digits: the birth date stays (`010190-****`); nine (an integer that lost
    # its leading zero) keep five, so no digit of the serial shows.
    keep = 6 if len(digits) >= 10 else 5
    return "".join(digits[:keep]) + "-****"


# A date with its time of day (seconds, fractions and zone optional): what a clock writes,
# never a CPR number (the date's digits stand before the time's, a `T` between them).
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]+)?)?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?"
)
# Texts the tool composed from its configuration (newest last; the oldest are forgotten).
_COMPOSED: dict[str, None] = {}
_MAX_COMPOSED = 256


def composed(text: str) -> str:
    """Mark `text` (a URL, a host and port, a path from the configuration; never a value of
    case data) as the tool's own: where it stands whole in a message, it is not masked."""
    if isinstance(text, str) and _CPR_LIKE.search(text):  # only what masking would touch
        _COMPOSED.pop(text, None)
        _COMPOSED[text] = None
        while len(_COMPOSED) > _MAX_COMPOSED:
            _COMPOSED.pop(next(iter(_COMPOSED)))
    return text


def _kept(text: str) -> list[tuple[int, int]]:
    """The spans of `text` that are composed parts: timestamps and marked texts."""
    spans = [m.span() for m in _TIMESTAMP.finditer(text)]
    for part in list(_COMPOSED):
        start = text.find(part)
        while start >= 0:
            spans.append((start, start + len(part)))
            start = text.find(part, start + 1)
    return spans


def mask_text(text: str) -> str:
    """`text` with every CPR-like number masked: `0101901234`, `010190 - 1234`, `101901234`
    -> `010190-****` / `10190-****`; composed parts (`composed`, timestamps) are kept."""
    kept = _kept(text)
    if not kept:
        return _CPR_LIKE.sub(_masked, text)

    def masked_unless_kept(match: re.Match[str]) -> str:
        if any(start <= match.start() and match.end() <= end for start, end in kept):
            return match.group()
        return _masked(match)

    return _CPR_LIKE.sub(masked_unless_kept, text)


# Shown escaped: C0 and C1 controls (newline and tab too: a shown value is one line),
# line/paragraph separators, invisible format characters (bidi overrides, zero-width),
# lone surrogates and non-characters.
_CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb\ufffe\uffff\ud800-\udfff\U000e0000-\U000e007f]"
)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def escape_controls(text: str) -> str:
    """`text` with every control or invisible character written as its escape (`\\x1b`)."""
    return _CONTROL.sub(_escaped, text)


def shown(value: object) -> str:
    """Any value as one safe line: CPR numbers masked, then controls escaped."""
    try:
        text = value if isinstance(value, str) else str(value)
    except Exception:  # a value whose __str__ raises
        text = f"<{type(value).__name__}>"
    return escape_controls(mask_text(text))
