"""The reporting flow as an SVG picture, drawn when the site is generated (no diagram script
in the browser, nothing fetched: the site works offline). One box per form in order, with the
actions that send it; an arrow from each form to the next, and below the boxes an arc for
each pair of forms one action sends together, labelled with the action. Deterministic:
integer coordinates, the steps' order."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from xml.sax.saxutils import escape

BOX_WIDTH = 190
GAP = 60
MARGIN = 20
LINE = 18
TOP = 20
CHARS = 26  # a title line's characters at 13 px in a box
BOX, EDGE, ACTION = "#e3f2fd", "#1565c0", "#37474f"


@dataclass(frozen=True)
class Step:
    code: str  # the form's Felt-ID code: ANM, IVÆR...
    title: str
    actions: tuple[str, ...]  # the actions that send it


def render(steps: list[Step], edges: list[tuple[str, str, str]]) -> str:
    """`edges`: (from code, to code, label); a label marks a pair one action sends."""
    lines = {s.code: [s.code, *textwrap.wrap(s.title, CHARS), *s.actions] for s in steps}
    box_height = LINE * max(len(v) for v in lines.values()) + 16
    left = {s.code: MARGIN + i * (BOX_WIDTH + GAP) for i, s in enumerate(steps)}
    arcs = [(a, b, label) for a, b, label in edges if label]
    bottom = TOP + box_height
    width = MARGIN * 2 + len(steps) * BOX_WIDTH + (len(steps) - 1) * GAP
    height = bottom + 30 + 34 * len(arcs) + MARGIN
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="flowchart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        'aria-label="Reporting flow: the forms in order and the actions that send them" '
        'font-family="sans-serif" font-size="13">',
        "<title>Reporting flow: the forms in order and the actions that send them</title>",
        '<defs><marker id="flow-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        f'markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="{EDGE}"/></marker></defs>',
    ]
    for step in steps:
        x = left[step.code]
        tip = f"{step.code}: {step.title}; sent with {', '.join(step.actions) or 'no action'}"
        out.append(
            f'<g class="flow-step" id="flow-{escape(step.code, _QUOTE)}">'
            f"<title>{escape(tip)}</title>"
            f'<rect x="{x}" y="{TOP}" width="{BOX_WIDTH}" height="{box_height}" rx="6" '
            f'fill="{BOX}" stroke="{EDGE}"/>'
        )
        for number, text in enumerate(lines[step.code]):
            y = TOP + 22 + number * LINE
            style = (
                ' font-weight="bold"'
                if number == 0
                else (f' font-style="italic" fill="{ACTION}"' if text in step.actions else "")
            )
            out.append(f'<text x="{x + 10}" y="{y}"{style}>{escape(text)}</text>')
        out.append("</g>")
    middle = TOP + box_height // 2
    for a, b, label in edges:
        if label or a not in left or b not in left:
            continue
        out.append(
            f'<line x1="{left[a] + BOX_WIDTH}" y1="{middle}" x2="{left[b]}" y2="{middle}" '
            f'stroke="{EDGE}" stroke-width="2" marker-end="url(#flow-arrow)"/>'
        )
    for number, (a, b, label) in enumerate(arcs):
        start, end = left[a] + BOX_WIDTH // 2, left[b] + BOX_WIDTH // 2
        depth = bottom + 24 + 34 * number
        out.append(
            f'<path d="M{start},{bottom} V{depth} H{end} V{bottom}" fill="none" '
            f'stroke="{EDGE}" stroke-width="2" stroke-dasharray="6 4" '
            f'marker-end="url(#flow-arrow)"><title>{escape(label)}: {escape(a)} with '
            f"{escape(b)}</title></path>"
        )
        out.append(
            f'<text x="{(start + end) // 2}" y="{depth - 6}" text-anchor="middle" '
            f'font-style="italic" fill="{ACTION}">{escape(label)}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


_QUOTE = {'"': "&quot;"}
