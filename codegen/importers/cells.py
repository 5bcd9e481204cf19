"""Small, shared readers for spreadsheet cell values: header names, codes, dates, flags."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from codegen.model import NOT_STATED, DateValue

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


def normalise_header(value: object) -> str:
    """'  Gyldig  FRA ' == 'gyldig fra' == 'Gyldig-fra'; 'Værdier' == 'Vaerdier'."""
    text = unicodedata.normalize("NFKC", str(value or "")).casefold().translate(_DANISH)
    return re.sub(r"[^0-9a-z]+", "", text)


def cell_text(value: object) -> str:
    """The text of a cell, whitespace collapsed; numbers without a trailing '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    return re.sub(r"\s+", " ", str(value)).strip()


def normalise_code(value: object, width: int) -> str:
    """'1', 1, 1.0 and ' 01' all become '01' for a two-digit list; other codes kept as is."""
    text = cell_text(value)
    if text.isdigit() and len(text) <= width:
        return text.zfill(width)
    return text


def parse_date(value: object, not_stated_words: list[str]) -> DateValue:
    """A date cell: a real date, ISO or Danish 'dd-mm-yyyy' text, empty (open) or 'not stated'.

    Raises ValueError with a readable message for anything else.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    if not text:
        return None
    if text.casefold() in not_stated_words:
        return NOT_STATED
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (use YYYY-MM-DD, or '{not_stated_words[0]}')")


def parse_flag(value: object, yes: list[str], no: list[str]) -> bool:
    text = cell_text(value).casefold()
    if text in yes:
        return True
    if text in no:
        return False
    raise ValueError(f"{cell_text(value)!r} is neither yes ({', '.join(yes)}) nor no")


def parse_int(value: object) -> int | None:
    text = cell_text(value)
    if not text:
        return None
    if not re.fullmatch(r"-?\d+", text):
        raise ValueError(f"{text!r} is not a whole number")
    return int(text)
