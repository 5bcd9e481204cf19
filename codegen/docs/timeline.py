"""The validity timeline of one code list as an SVG picture: one bar per code across the
date-control points that concern the list. Deterministic: integer coordinates, fixed order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.sax.saxutils import escape

WIDTH = 760
LABEL = 120  # the code and age column
RIGHT = 20
LABEL_TOP = 14  # the first row of date labels; more rows where labels would overlap
LABEL_ROW = 15
LABEL_WIDTH = 70  # a date label "2019-07-01" at 12 px, with room either side
ROW = 22
BOTTOM = 44
IN_FORCE, RETIRED, UNKNOWN = "#2e7d32", "#9e9e9e", "#c77c02"


@dataclass(frozen=True)
class Bar:
    code: str
    text: str
    valid_from: dt.date | None  # None: not stated (the bar starts at the left edge, faded)
    valid_to: dt.date | None  # None: open
    ages: str  # "≥ 18", "≤ 17" or ""
    state: str  # "in-force", "retired", "missing"
    # Start not stated: the first day the releases know it in force (solid from there, faded
    # before), and that in words for the hover text ("≥ 2025-07-01 (in release 2025-07-01)").
    known_from: dt.date | None = None
    known_note: str = ""


@dataclass(frozen=True)
class Point:
    date: dt.date
    label: str  # the date-control point ids


def render(
    title: str,
    bars: list[Bar],
    points: list[Point],
    effective: dt.date,
    releases: tuple[dt.date, ...] = (),
) -> str:
    """`releases`: the earlier releases' dates, each drawn as a mark like this one's."""
    earlier = sorted(day for day in releases if day != effective)
    dates = [p.date for p in points] + [effective, *earlier]
    dates += [
        d for bar in bars for d in (bar.valid_from, bar.valid_to, bar.known_from) if d is not None
    ]
    start = dt.date(min(dates).year - 1, 1, 1)
    end = dt.date(max(dates).year + 2, 1, 1)
    span = (end - start).days

    def x(day: dt.date) -> int:
        return LABEL + round((day - start).days * (WIDTH - LABEL - RIGHT) / span)

    on_date: dict[dt.date, list[str]] = {}
    for point in points:
        on_date.setdefault(point.date, []).append(point.label)
    rows = _label_rows([x(day) for day in sorted(on_date)])
    top = LABEL_TOP + LABEL_ROW * max(rows, default=0) + 12
    height = top + ROW * len(bars) + BOTTOM + 14 * len(earlier)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title, _QUOTE)}" '
        'font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    bottom = top + ROW * len(bars)
    for year in range(start.year, end.year + 1):
        at = x(dt.date(year, 1, 1))
        out.append(f'<line x1="{at}" y1="{top}" x2="{at}" y2="{bottom}" stroke="#eeeeee"/>')
        out.append(f'<text x="{at}" y="{bottom + 16}" text-anchor="middle">{year}</text>')
    for row, bar in enumerate(bars):
        out += _bar(bar, top + row * ROW, x, start, end)
    for day, row in zip(sorted(on_date), rows, strict=True):
        at = x(day)
        y = LABEL_TOP + LABEL_ROW * row
        labels = ", ".join(sorted(on_date[day]))
        out.append(
            f'<line x1="{at}" y1="{y + 4}" x2="{at}" y2="{bottom}" stroke="#1565c0" '
            'stroke-dasharray="4 3"/>'
        )
        out.append(
            f'<text x="{at}" y="{y}" text-anchor="middle" fill="#1565c0">'
            f"<title>{escape(labels)}</title>{day.isoformat()}</text>"
        )
    at = x(effective)
    out.append(
        f'<line x1="{at}" y1="{top - 4}" x2="{at}" y2="{bottom + 20}" stroke="#000000" '
        'stroke-width="2"/>'
    )
    out.append(
        f'<text x="{at - 4}" y="{bottom + 34}" text-anchor="end">'
        f"release {effective.isoformat()}</text>"
    )
    for row, day in enumerate(earlier, start=1):  # one label row each: they may lie close
        at = x(day)
        out.append(
            f'<line x1="{at}" y1="{top - 4}" x2="{at}" y2="{bottom + 20 + 14 * row}" '
            'stroke="#555555"/>'
        )
        out.append(
            f'<text x="{at - 4}" y="{bottom + 34 + 14 * row}" text-anchor="end" '
            f'fill="#555555">release {day.isoformat()}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


_QUOTE = {'"': "&quot;"}


def _label_rows(centres: list[int]) -> list[int]:
    """The row of each date label (centred at `centres`, in order): the first row whose
    last label ends before this one begins, so that no two labels overlap."""
    ends: list[int] = []
    rows = []
    for centre in centres:
        left = centre - LABEL_WIDTH // 2
        row = next((i for i, end in enumerate(ends) if end <= left), len(ends))
        if row == len(ends):
            ends.append(0)
        ends[row] = centre + LABEL_WIDTH // 2
        rows.append(row)
    return rows


def _bar(bar: Bar, top: int, x, start: dt.date, end: dt.date) -> list[str]:
    colour = {"in-force": IN_FORCE, "retired": RETIRED, "missing": UNKNOWN}[bar.state]
    left = x(bar.valid_from or start)
    right = x(bar.valid_to or end)
    label = bar.code + (f"  {bar.ages}" if bar.ages else "")
    tip = f"{bar.code} {bar.text}"
    parts = [
        f'<text x="8" y="{top + 15}" font-family="monospace">'
        f"<title>{escape(tip)}</title>{escape(label)}</text>"
    ]
    if bar.state == "missing":
        # Known only by its absence from the list: no bar, a dashed line of unknown extent.
        # The words first, the line after them: a line through them would strike them out.
        words = left + 72
        parts.append(
            f'<text x="{left + 6}" y="{top + 15}" fill="{colour}"><title>{escape(tip)}</title>'
            "not stated</text>"
        )
        parts.append(
            f'<line x1="{words}" y1="{top + 11}" x2="{max(right, words)}" y2="{top + 11}" '
            f'stroke="{colour}" stroke-dasharray="2 4" stroke-width="3"/>'
        )
        return parts
    faded = bar.valid_from is None
    fade = min(right, left + 60) if faded else left
    if faded and bar.known_from is not None:
        fade = min(right, x(bar.known_from))  # solid from where the releases know it
        tip += f": valid from {bar.known_note}; before that not stated"
    if faded:
        parts.append(
            f'<rect x="{left}" y="{top + 4}" width="{fade - left}" height="14" '
            f'fill="{colour}" opacity="0.3"><title>{escape(tip)}</title></rect>'
        )
    parts.append(
        f'<rect x="{fade}" y="{top + 4}" width="{max(right - fade, 1)}" height="14" '
        f'fill="{colour}"><title>{escape(tip)}</title></rect>'
    )
    if bar.state == "retired":
        parts.append(f'<text x="{right + 4}" y="{top + 15}" fill="{colour}">retired</text>')
    return parts
