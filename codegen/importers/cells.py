"""Small, shared readers for spreadsheet cell values: header names, text, codes, dates, flags.

Each reader raises ValueError with a readable message; the caller adds the cell. What counts
as a date, a yes or a code is layout data (`spec/workbook-layout.json`), passed in.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from openpyxl.utils.datetime import from_excel

from codegen.model import NOT_STATED, DateValue

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
_KEEP_CONTROLS = {"\t", "\n", "\r"}  # whitespace, collapsed like spaces
# Excel serials from 1900-03-01 to 9999-12-31: below 61 the 1900 system counts a
# 29 February 1900 that never was, so those serials are ambiguous (and no SMDB date).
_SERIAL_RANGE = (61, 2_958_465)


def normalise_header(value: object) -> str:
    """'  Gyldig  FRA ' == 'gyldig fra' == 'Gyldig-fra'; 'Værdier' == 'Vaerdier'."""
    text = unicodedata.normalize("NFKC", str(value or "")).casefold().translate(_DANISH)
    return re.sub(r"[^0-9a-z]+", "", text)


def clean_text(value: object, invisible: str = "refuse") -> str:
    """The text of a cell: NFC, whitespace (non-breaking spaces too) collapsed, numbers without
    a trailing '.0'. Zero-width and other format or control characters are refused, or
    removed when the layout says `"invisible_characters": "remove"`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    text = unicodedata.normalize("NFC", str(value))
    hidden = [] if text.isprintable() else [ch for ch in text if _invisible(ch)]
    if hidden and invisible != "remove":
        names = ", ".join(sorted({f"U+{ord(ch):04X}" for ch in hidden}))
        raise ValueError(
            f"invisible character(s) {names} in {text.encode('unicode_escape').decode()!r} "
            '(remove them, or set "invisible_characters": "remove" in the layout)'
        )
    if hidden:
        text = "".join(ch for ch in text if not _invisible(ch))
    return re.sub(r"\s+", " ", text).strip()


def _invisible(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category in ("Cf", "Co", "Cs", "Cn") or (category == "Cc" and ch not in _KEEP_CONTROLS)


def normalise_code(text: str, width: int, pattern: re.Pattern) -> str:
    """'1' and ' 01' become '01' for two-digit codes; the result must match the layout's
    code pattern (ASCII digits only: no superscript or circled digits)."""
    if re.fullmatch(r"[0-9]+", text) and len(text) < width:
        text = text.zfill(width)
    if not pattern.fullmatch(text):
        raise ValueError(f"{text[:40]!r} does not match the code pattern {pattern.pattern!r}")
    return text


def parse_date(value: object, layout: dict, epoch: dt.datetime) -> DateValue:
    """A date cell: a real date, an Excel serial, or text in one of the layout's formats
    ('1. januar 2026' through its month names), or one of its 'not stated' words."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        in_range = _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]
        if layout["date_serials"] and in_range and float(value).is_integer():
            return from_excel(value, epoch).date()
        raise ValueError(f"{value!r} is not a date (Excel serials: layout key date_serials)")
    text = clean_text(value, layout["invisible_characters"])
    if text.casefold() in layout["not_stated"]:
        return NOT_STATED
    numeric = _month_words_to_numbers(text.casefold(), layout["month_names"])
    for fmt in layout["date_formats"]:
        try:
            return dt.datetime.strptime(numeric, fmt).date()
        except ValueError:
            continue
    raise ValueError(
        f"{text[:40]!r} is not a date in any of the layout's date_formats "
        f"({', '.join(layout['date_formats'])}) nor a not_stated word"
    )


def _month_words_to_numbers(text: str, months: list[str]) -> str:
    for number, name in enumerate(months, start=1):
        text = re.sub(rf"\b{re.escape(name.casefold())}\b", str(number), text)
    return text


def parse_flag(text: str, yes: list[str], no: list[str]) -> bool:
    if text.casefold() in yes:
        return True
    if text.casefold() in no:
        return False
    raise ValueError(f"{text[:40]!r} is neither yes ({', '.join(yes)}) nor no ({', '.join(no)})")


def parse_int(text: str, max_digits: int = 9) -> int:
    if not re.fullmatch(rf"-?[0-9]{{1,{max_digits}}}", text):
        raise ValueError(
            f"{text[:40]!r} is not a whole number (ASCII digits, at most {max_digits})"
        )
    return int(text)
