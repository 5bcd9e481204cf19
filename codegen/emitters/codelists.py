"""The `smdb.codelists` module: one `Enum` per code list of the canonical spec.

The generated module needs nothing but the standard library (`enum`, `datetime`): the shared
behaviour lives in its `CodeEnum` base class, written out once by the template, and each code
list is plain literal data. A code that appears in several rows of a list (consecutive
validity periods, possibly with different texts) becomes one member with one `Period` per row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import keyword
import re
import textwrap
import unicodedata
from dataclasses import dataclass

from codegen.datecontrol import former_codes
from codegen.emitters import escape
from codegen.emitters.context import EmitContext
from codegen.model import NOT_STATED, Code, CodeList, DateValue

TEMPLATE = "python/codelists.py.j2"
LINE_WIDTH = 100
DOC_WIDTH = 96
# Names the generated module defines itself; a code list must not shadow them.
EXPORTED = (
    "CODELISTS",
    "CodeEnum",
    "CodeError",
    "CodeNotInForceError",
    "Period",
    "UnknownCodeError",
)
RESERVED = frozenset({*EXPORTED, "Self", "StrEnum", "TYPE_CHECKING", "dt", "nonmember"})


@dataclass(frozen=True)
class PeriodView:
    args: tuple[str, ...]  # Python source for each argument of `Period(...)`
    inline: bool  # fits on one line


@dataclass(frozen=True)
class MemberView:
    name: str
    code: str  # Python literal
    periods: tuple[PeriodView, ...]


@dataclass(frozen=True)
class CodeListView:
    name: str
    doc: tuple[str, ...]  # docstring lines, already escaped and wrapped, without indent
    missing_codes: str  # Python literal of a tuple
    code_width: int
    members: tuple[MemberView, ...]


def emit(context: EmitContext) -> dict[str, str]:
    former = former_codes(context.spec)
    history = context.history
    views = [
        _codelist_view(
            _with_ended(codelist, history.ended.get(codelist.name, ())),
            context.release,
            former.get(codelist.name),
            history.in_force_since,
        )
        for codelist in context.spec.codelists
    ]
    names = [view.name for view in views]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"code lists defined more than once: {', '.join(duplicates)}")
    # Sorted as ruff's isort-style rule wants: SCREAMING_CASE, then CamelCase, then the rest.
    exported = sorted((*EXPORTED, *names), key=lambda n: (not n.isupper(), not n[:1].isupper(), n))
    text = context.render(TEMPLATE, codelists=views, exported=exported)
    return {context.module_path("codelists"): text}


def _with_ended(codelist: CodeList, ended: tuple[Code, ...]) -> CodeList:
    """The list with the codes an earlier release had and a later one dropped (History),
    placed after its own."""
    last = max(code.position for code in codelist.codes)
    extra = tuple(
        dataclasses.replace(code, position=last + number)
        for number, code in enumerate(ended, start=1)
    )
    return dataclasses.replace(codelist, codes=codelist.codes + extra) if extra else codelist


def _codelist_view(
    codelist: CodeList,
    release: str,
    former: tuple[tuple[str, ...], dt.date] | None = None,
    since: dict[tuple[str, str], dt.date] | None = None,
) -> CodeListView:
    """The list's view; `former`: codes known to have been options until a date-control point
    (§6.3), whose texts are not stated: members in force until that day, `text_da` None."""
    name = codelist.name
    # Python reads identifiers NFKC-normalised; "æ" survives that, ligatures would not.
    usable = name.isidentifier() and unicodedata.normalize("NFKC", name) == name
    if not usable or keyword.iskeyword(name) or name in RESERVED:
        raise ValueError(f"code list {name!r}: not usable as a Python class name")
    if not codelist.codes:
        raise ValueError(f"code list {name!r} has no codes")
    groups: dict[str, list[Code]] = {}
    for code in codelist.codes:
        groups.setdefault(code.code, []).append(code)
    members = []
    for value, rows in groups.items():
        rows.sort(key=lambda row: _start(row.validity.valid_from))
        _check_consecutive(name, value, rows)
        members.append((rows[-1].position, value, rows))
    # Display order: where the code's latest row stands in the list.
    members.sort(key=lambda item: item[0])
    member_names = [_member_name(name, value) for _, value, _ in members]
    clashes = sorted({n for n in member_names if member_names.count(n) > 1})
    if clashes:
        raise ValueError(f"code list {name!r}: codes give the same member name {clashes}")
    digit_codes = [value for value in groups if value.isdigit()]
    views = [
        MemberView(
            name=escape.ident(member_name),
            code=_str_literal(value),
            periods=tuple(_period_view(row, (since or {}).get((name, value))) for row in rows),
        )
        for member_name, (_, value, rows) in zip(member_names, members, strict=True)
    ]
    doc = _docstring(codelist, [rows for _, _, rows in members], release)
    if former is not None:
        codes, until = former
        views += [
            MemberView(
                name=escape.ident(_member_name(name, code)),
                code=_str_literal(code),
                periods=(_former_period_view(until, len(members) + number),),
            )
            for number, code in enumerate(codes, start=1)
        ]
        lines = textwrap.wrap(
            f"Known to have been options until {until.isoformat()} (date control, kravspec "
            "6.3), their texts not stated (`text_da` None):",
            DOC_WIDTH,
        )
        lines += [f"- ``{code}`` (start not stated, until {until.isoformat()})" for code in codes]
        doc += ("", *(_escape_docstring(line) for line in lines))
    return CodeListView(
        name=escape.ident(name),
        doc=doc,
        missing_codes=_tuple_literal(codelist.missing_codes),
        code_width=max((len(value) for value in digit_codes), default=0),
        members=tuple(views),
    )


def _former_period_view(until: dt.date, position: int) -> PeriodView:
    """A former option's one period: start not stated, in force until `until`, no text."""
    args = (
        _date_literal(None),
        _date_literal(until),
        escape.py(None),
        escape.Code("valid_from_stated=False"),
        escape.Code(f"position={escape.py(position)}"),
    )
    return PeriodView(args=args, inline=True)


def _member_name(codelist: str, code: str) -> str:
    member = "KODE_" + re.sub(r"\W", "_", code).upper()
    if not member.isidentifier():
        raise ValueError(f"code list {codelist!r}: code {code!r} gives no usable member name")
    return member


def _start(value: DateValue) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.min


def _end(value: DateValue) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.max


def _check_consecutive(codelist: str, code: str, rows: list[Code]) -> None:
    for earlier, later in itertools.pairwise(rows):
        if _end(earlier.validity.valid_to) > _start(later.validity.valid_from):
            raise ValueError(
                f"code list {codelist!r}: code {code!r} has overlapping validity periods "
                f"({_describe(earlier)} and {_describe(later)})"
            )


def _period_view(row: Code, in_force_since: dt.date | None = None) -> PeriodView:
    validity = row.validity
    args = [_date_literal(validity.valid_from), _date_literal(validity.valid_to)]
    args.append(escape.py(row.text_da))  # None: a dropped code whose text is unknown
    keywords = {
        "valid_from_stated": validity.valid_from is not NOT_STATED,
        "valid_to_stated": validity.valid_to is not NOT_STATED,
        "option_number": row.option_number,
        "min_age": row.min_age,
        "max_age": row.max_age,
        "position": row.position,
        "in_force_since": in_force_since if row.validity.valid_from is NOT_STATED else None,
    }
    defaults = {"valid_from_stated": True, "valid_to_stated": True}
    for key, value in keywords.items():
        if value != defaults.get(key):
            args.append(escape.Code(f"{key}={escape.py(value)}"))
    one_line = f"        Period({', '.join(args)}),"
    return PeriodView(args=tuple(args), inline=len(one_line) <= LINE_WIDTH)


def _date_literal(value: DateValue) -> str:
    return escape.py(value if isinstance(value, dt.date) else None)


_str_literal = escape.py_string


def _tuple_literal(values: tuple[str, ...]) -> str:
    if len(values) == 1:
        return escape.Code(f"({_str_literal(values[0])},)")
    return escape.Code("(" + ", ".join(_str_literal(v) for v in values) + ")")


def _docstring(codelist: CodeList, members: list[list[Code]], release: str) -> tuple[str, ...]:
    lines = [
        f"Code list `{codelist.name}` (SMDB release {release}).",
        "",
        *textwrap.wrap(
            "Members in display order. Validity: `valid_from` inclusive, `valid_to` "
            "exclusive, `None` open or not stated (unbounded); dates below only where DST "
            "states them.",
            DOC_WIDTH,
        ),
        "",
    ]
    for rows in members:
        for row in rows:
            notes = []
            if row.option_number is not None:
                notes.append(f"option {row.option_number}")
            if row.min_age is not None or row.max_age is not None:
                notes.append(_describe_ages(row.min_age, row.max_age))
            if isinstance(row.validity.valid_from, dt.date) or row.validity.valid_to is not None:
                notes.append(_describe(row))
            suffix = f" ({'; '.join(notes)})" if notes else ""
            lines += textwrap.wrap(
                f"- ``{row.code}``{suffix}: {row.text_da}",
                DOC_WIDTH,
                subsequent_indent="  ",
                break_long_words=False,
                break_on_hyphens=False,
            )
    if codelist.missing_codes:
        lines += [
            "",
            *textwrap.wrap(
                "Codes absent from the sequence (most likely retired; texts not stated): "
                + ", ".join(codelist.missing_codes)
                + ".",
                DOC_WIDTH,
            ),
        ]
    return tuple(_escape_docstring(line) for line in lines)


def _describe(row: Code) -> str:
    start, end = row.validity.valid_from, row.validity.valid_to
    text = (
        f"from {start.isoformat()}"
        if isinstance(start, dt.date)
        else ("start not stated" if start is NOT_STATED else "no start date")
    )
    if isinstance(end, dt.date):
        return f"{text}, until {end.isoformat()} (exclusive)"
    return f"{text}, {'end not stated' if end is NOT_STATED else 'no end date'}"


def _describe_ages(min_age: int | None, max_age: int | None) -> str:
    if min_age is not None and max_age is not None:
        return f"ages {min_age} to {max_age}"
    if min_age is not None:
        return f"age {min_age} and over"
    return f"age {max_age} and under"


def _escape_docstring(line: str) -> str:
    return escape.Code(escape.pydoc(line).rstrip())
