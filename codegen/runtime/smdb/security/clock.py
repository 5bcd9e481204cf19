"""Times as WS-Security and SAML write them (xs:dateTime in UTC, milliseconds), and the clock
the checks read (injectable, so tests can move it)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

__all__ = ["Clock", "parse_time", "utc_now", "xs_time"]

Clock = Callable[[], dt.datetime]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def xs_time(moment: dt.datetime) -> str:
    text = moment.astimezone(dt.UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def parse_time(text: str | None) -> dt.datetime | None:
    """An aware datetime, or None if `text` is not an xs:dateTime with a time zone."""
    try:
        moment = dt.datetime.fromisoformat((text or "").strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None
