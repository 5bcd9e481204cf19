"""The engine of `smdb.validation`: reading a case, and the primitives.

Internal: use `smdb.validation`. The rules themselves are compiled from spec/rules/*.yaml into
`smdb.validation`; this module is the only hand-written logic they run on (written once, in
the framework's codegen/runtime/). It holds no rule and no fact of the domain: the case's
layout comes from `smdb.validation`, codes from `smdb.codelists`, and the municipality codes
from the spec (`smdb._facts`).

Reading (`read_case`) turns a case (a JSON dict or a `smdb.models.Kontaktforloeb`) into typed
values once, without raising: every value that is not of its field's datatype, every unknown
key and every wrong shape becomes a `Problem` (reported by the rules of context `reading`) and
reads as `None`. The rules then run on plain dicts of typed values.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from smdb._facts import KOMMUNER
from smdb._privacy import mask_text
from smdb.codelists import CODELISTS, CodeEnum

__all__ = [
    "Engine",
    "FormLayout",
    "Layout",
    "Problem",
    "Rule",
    "Violation",
    "active_cases",
    "add_days",
    "age_on",
    "birth_date",
    "code_known",
    "days",
    "filled",
    "in_force",
    "is_kommune",
    "mask_cpr",
    "mask_text",
    "max_parallel",
    "read_case",
    "valid_cpr",
]

# The municipality codes of the spec (KommuneKode, 8-ANM).
_KOMMUNER: frozenset[int] = KOMMUNER

_NONE = type(None)
_EMPTY: dict[str, Any] = {}  # the fields of an absent form; never written to


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule. `path` points into the case (`Tilbudstilknytninger[1].X`, list indexes
    from 0); CPR numbers in the messages and the path are masked (`010190-****`)."""

    rule: str
    felt_ids: tuple[str, ...]
    severity: str  # "error" (SMDB rejects), "warning" (we believe so) or "notice"
    message_da: str
    message_en: str
    path: str
    basis: str = "stated"  # the rule's: "stated" by the kravspec, or "inferred" by us
    cites: tuple[str, ...] = ()  # kravspec lines ("2446-2452"), PROVENANCE decisions ("D22")


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule's metadata, as written in spec/rules/*.yaml; `function` is its compiled check."""

    id: str
    title_en: str
    section: str
    felt_ids: tuple[str, ...]
    severity: str  # when certain: the rule is stated, or validation is strict
    basis: str  # "stated" (the kravspec says so) or "inferred" (our reading of a gap)
    cites: tuple[str, ...]  # kravspec lines and PROVENANCE decisions it rests on
    older_cases: bool  # also holds for cases from before the last change of rules
    context: str  # "case", "tilbud", "field" or "reading"
    applies_from: dt.date | None  # window on the anmodningsdato (2-ANM): from inclusive,
    applies_to: dt.date | None  # to exclusive; None open
    select: str | None
    when: str | None
    check: str
    message_da: str
    message_en: str
    reading: str
    function: Any = field(repr=False, compare=False)

    def severity_for(self, *, strict: bool = False, older: bool = False) -> str:
        """The severity reported: an error only where certain. An inferred rule, and for a
        case under older rules (`older`) every rule but those that hold for older cases too,
        reports a warning unless `strict`."""
        if strict or self.severity != "error":
            return self.severity
        if self.basis == "inferred" or (older and not self.older_cases):
            return "warning"
        return self.severity

    def applies_on(self, day: dt.date) -> bool:
        """Whether the rule is in force for a case with anmodningsdato `day`."""
        if self.applies_from is not None and day < self.applies_from:
            return False
        return self.applies_to is None or day < self.applies_to


@dataclass(frozen=True, slots=True)
class Problem:
    """Something met while reading the case. `kind`: "type", "unknown", "shape" or
    "missing"; `expected` in English; `value` as given; `felt_ids` of the field, if any."""

    kind: str
    path: str
    expected: str
    value: object
    felt_ids: tuple[str, ...] | None


# --- the case's layout ---------------------------------------------------------------------

_EXPECTED = {
    "date": "date (YYYY-MM-DD)",
    "integer": "integer",
    "boolean": "boolean",
    "string": "string",
    "codes": "list of strings",
}


class FormLayout:
    """One element of the case: a form or a list of a form, with its fields as
    (variable, kind, Felt-ID or None); kind is date, integer, boolean, string or codes."""

    def __init__(
        self,
        name: str,
        *,
        is_list: bool,
        required: bool,
        fields: tuple[tuple[str, str, str | None], ...],
    ) -> None:
        self.name = name
        self.is_list = is_list
        self.required = required
        self.kinds = {variable: kind for variable, kind, _ in fields}
        self.felt_ids = {variable: (felt_id,) if felt_id else () for variable, _, felt_id in fields}
        self.known = frozenset(self.kinds)


class Layout:
    def __init__(
        self,
        *,
        case: str,
        elements: tuple[FormLayout, ...],
        date_element: str,
        date_variable: str,
    ) -> None:
        self.case = case
        self.elements = elements
        self.names = frozenset(e.name for e in elements)
        self.date_element = date_element
        self.date_variable = date_variable


# --- reading a case ------------------------------------------------------------------------


class Case:
    """A case read into typed values. `forms[name]`: a form's fields (an empty dict when the
    form is absent); `objs[name]`: the same, or None when absent; `lists[name]`: the items of a
    list form; `bad`: paths of values that could not be read. `today`, the day of reporting,
    is set by `Engine.validate` before any rule reads it (a case read only for its values,
    such as another case of the citizen, has none)."""

    __slots__ = ("anm", "bad", "forms", "lists", "name", "objs", "other_cases", "problems", "today")

    today: dt.date

    def __init__(self, name: str = "") -> None:
        self.name = name  # the case type's name
        self.forms: dict[str, dict[str, Any]] = {}
        self.objs: dict[str, dict[str, Any] | None] = {}
        self.lists: dict[str, list[dict[str, Any]]] = {}
        self.problems: list[Problem] = []
        self.bad: set[str] = set()
        self.anm: dt.date | None = None
        self.other_cases: list[Case] = []


def _mapping(value: object) -> dict[str, Any] | None:
    """A dict, or a pydantic model's fields (without importing pydantic); else None."""
    if type(value) is dict:
        return value
    if isinstance(value, dict):
        return dict(value)
    if hasattr(type(value), "__pydantic_fields__"):
        fields = getattr(value, "__dict__", None)
        if isinstance(fields, dict):
            return fields
    return None


def read_case(raw: object, layout: Layout) -> Case:
    """The case's typed values and the problems met reading it. Never raises."""
    try:
        return _read_case(raw, layout)
    except Exception:  # a bug here must not take validation down: report the whole case
        case = Case(layout.case)
        for element in layout.elements:
            case.forms[element.name] = _EMPTY
            case.objs[element.name] = None
            case.lists[element.name] = []
        case.problems.append(Problem("shape", "", "object", raw, None))
        return case


def _read_case(raw: object, layout: Layout) -> Case:
    case = Case(layout.case)
    data = _mapping(raw)
    if data is None:
        case.problems.append(Problem("shape", "", "object", raw, None))
        data = _EMPTY
    elif not data.keys() <= layout.names:
        for key, value in data.items():
            if key not in layout.names:
                case.problems.append(Problem("unknown", str(key), "no such key", value, None))
    for element in layout.elements:
        name = element.name
        value = data.get(name)
        if element.is_list:
            items: list[dict[str, Any]] = []
            if type(value) is list or type(value) is tuple:
                for index, item in enumerate(value):
                    form = _read_form(item, element, f"{name}[{index}]", case)
                    items.append(_EMPTY if form is None else form)
            elif name in data:
                case.problems.append(Problem("shape", name, "list", value, None))
            case.lists[name] = items
            continue
        form = None
        if value is not None:
            form = _read_form(value, element, name, case)
        elif element.required:
            case.problems.append(Problem("missing", name, "object", value, None))
        case.forms[name] = _EMPTY if form is None else form
        case.objs[name] = form
    case.anm = case.forms[layout.date_element].get(layout.date_variable)
    return case


# A well-formed form's keys and value types, as seen before, -> what is left to do: the date
# fields to parse and the code lists to check. Cases from one system share a few such shapes,
# so reading a form is mostly one dict lookup. Only the spec's field names and types are kept,
# never values (a form with an unknown key is read field by field and not remembered).
_PLANS: dict[tuple[Any, ...], tuple[tuple[str, ...], tuple[str, ...]]] = {}
_PLANS_MAX = 4096


def _read_form(raw: object, element: FormLayout, path: str, case: Case) -> dict[str, Any] | None:
    source = _mapping(raw)
    if source is None:
        case.problems.append(Problem("shape", path, "object", raw, None))
        return None
    shape = (element, tuple(source), tuple(map(type, source.values())))
    plan = _PLANS.get(shape)
    if plan is None:
        plan = _plan(element, source)
        if plan is None:  # something is wrong: field by field (and nothing kept)
            return _read_form_slowly(source, element, path, case)
        if len(_PLANS) >= _PLANS_MAX:
            _PLANS.clear()
        _PLANS[shape] = plan
    dates, codes = plan
    for variable in codes:
        if not set(map(type, source[variable])) <= _STR:
            return _read_form_slowly(source, element, path, case)
    if not dates:
        return source  # nothing to convert; the rules never write to a form
    form = dict(source)
    known = _DATES
    for variable in dates:
        value = form[variable]
        day = known.get(value) if type(value) is str else None
        if day is None:
            day = _read_date(value)
            if day is None:
                _bad(case, element, path, variable, "date", value)
        form[variable] = day
    return form


_STR = {str}


def _plan(
    element: FormLayout, source: dict[str, Any]
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """For a form whose keys are all known and whose values all have their field's type: the
    date fields given as text (to parse) and the code lists given (to check); else None."""
    dates, codes = [], []
    for key, value in source.items():
        kind = element.kinds.get(key)
        if kind is None:
            return None
        if value is None:
            continue
        if kind == "date":
            if type(value) is not dt.date:
                dates.append(key)
        elif kind == "codes":
            if type(value) is not list and type(value) is not tuple:
                return None
            codes.append(key)
        elif type(value) is not _KIND_TYPES[kind]:
            return None
    return tuple(dates), tuple(codes)


_KIND_TYPES = {"integer": int, "boolean": bool, "string": str}


def _read_form_slowly(
    source: dict[str, Any], element: FormLayout, path: str, case: Case
) -> dict[str, Any]:
    form = dict(source)
    for key in source:
        if key not in element.known:
            case.problems.append(
                Problem("unknown", f"{path}.{key}", "no such key", source[key], None)
            )
            del form[key]
    for variable, value in list(form.items()):
        if value is None:
            continue
        kind = element.kinds[variable]
        if kind == "date":
            if type(value) is dt.date:
                continue
            day = _read_date(value)
            if day is None:
                _bad(case, element, path, variable, kind, value)
            form[variable] = day
        elif kind == "codes":
            if (type(value) is list or type(value) is tuple) and all(type(v) is str for v in value):
                continue
            _bad(case, element, path, variable, kind, value)
            form[variable] = None
        elif type(value) is not _KIND_TYPES[kind]:
            _bad(case, element, path, variable, kind, value)
            form[variable] = None
    return form


def _bad(
    case: Case, element: FormLayout, path: str, variable: str, kind: str, value: object
) -> None:
    where = f"{path}.{variable}"
    case.bad.add(where)
    case.problems.append(
        Problem("type", where, _EXPECTED[kind], value, element.felt_ids[variable] or None)
    )


_DATES: dict[str, dt.date] = {}  # recently read dates: a case's dates repeat in others
_DATES_MAX = 8192


def _read_date(value: object) -> dt.date | None:
    """A date from `YYYY-MM-DD` (exactly), a date or a datetime; else None."""
    if type(value) is str:
        day = _DATES.get(value)
        if day is not None:
            return day
        if len(value) == 10 and value[4] == "-" and value[7] == "-" and value.isascii():
            try:
                day = _from_iso(value)
            except ValueError:
                return None
            if len(_DATES) >= _DATES_MAX:
                _DATES.clear()
            _DATES[value] = day
            return day
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


_from_iso = dt.date.fromisoformat


# --- running the rules ---------------------------------------------------------------------


# A rule's hit: (path, felt_ids, values); a rule's hits while it runs, None for none yet;
# what a rule returns (a case-level hit is a tuple of one); the hits of the rule at an index
# of `Engine.rules`; a segment's fused runner, adding to the found list.
Hit = tuple[str, Any, Any]
Hits = list[Hit] | None
RuleHits = Sequence[Hit] | None
Found = tuple[int, Sequence[Hit]]
Runner = Callable[[Case, list[Found]], None]


class Engine:
    """The rules of a release over a layout: which rules apply on which anmodningsdato, and
    running them.

    The windows of the rules cut time into segments with one set of rules each; `runners`
    holds one generated function per segment that runs all of its rules at once. Should it
    raise, the rules run again one by one, and a rule that raises counts as failed.

    `rules_change`: the anmodningsdato from which this release's rules govern a case (a
    date-control point of the spec); a case before it is judged by older rules the release
    does not hold, so what the rules find there is certain only for rules that say they hold
    for older cases too (`Rule.older_cases`). It has no default: an engine built without it
    would report what it finds in an older case as errors (None says the release has no
    such point).
    """

    def __init__(
        self,
        rules: tuple[Rule, ...],
        layout: Layout,
        runners: tuple[Runner, ...] = (),
        *,
        rules_change: dt.date | None,
    ) -> None:
        self.rules = rules
        self.layout = layout
        self.rules_change = rules_change
        # Per rule, the severity reported: [strict][older case].
        self._severity = tuple(
            tuple(
                tuple(rule.severity_for(strict=strict, older=older) for rule in rules)
                for older in (False, True)
            )
            for strict in (False, True)
        )
        self._by_id = {rule.id: rule for rule in rules}
        self._bounds = segment_bounds(rules)
        starts = [dt.date.min, *self._bounds]
        self._segments = tuple(
            tuple(i for i, rule in enumerate(rules) if rule.applies_on(start)) for start in starts
        )
        if runners and len(runners) != len(self._segments):
            raise ValueError("one runner per date-control segment is needed")
        self._runners = runners or (None,) * len(self._segments)

    def rule(self, rule_id: str) -> Rule:
        try:
            return self._by_id[rule_id]
        except KeyError:
            raise KeyError(f"no rule {rule_id!r}") from None

    def rules_on(self, day: dt.date) -> tuple[Rule, ...]:
        """The rules in force for a case with anmodningsdato `day`."""
        return tuple(self.rules[i] for i in self._segments[bisect_right(self._bounds, day)])

    def validate(
        self, case: object, *, today: object = None, other_cases: object = (), strict: bool = False
    ) -> list[Violation]:
        try:
            day = _today(today)
        except TypeError:
            raise
        except Exception:  # a `today` whose own methods raise
            raise TypeError("today must be a date (or YYYY-MM-DD)") from None
        try:
            return self._validate(case, day, other_cases, strict)
        except Exception:  # an object whose own methods raise (__bool__, __eq__, __class__)
            return self._validate(Unreadable(), day, (), strict)

    def _validate(
        self, case: object, day: dt.date, other_cases: object, strict: object
    ) -> list[Violation]:
        read = read_case(case, self.layout)
        read.today = day
        read.other_cases = self._others(case, other_cases)
        anm = read.anm
        segment = bisect_right(self._bounds, anm if anm is not None else day)
        runner = self._runners[segment]
        found: list[Found] = []
        try:
            if runner is None:
                raise LookupError
            runner(read, found)
        except Exception:
            found = self._one_by_one(read, segment)
        if not found:
            return []
        if len(found) > 1:
            found.sort(key=_first)  # rule order
        rules = self.rules
        change = self.rules_change
        older = anm is not None and change is not None and anm < change
        severities = self._severity[strict is True][older]
        violations = []
        for index, hits in found:
            rule = rules[index]
            severity = severities[index]
            for path, felt_ids, values in hits:
                violations.append(_violation(rule, severity, path, felt_ids, values))
        return violations

    def _one_by_one(self, read: Case, segment: int) -> list[Found]:
        found = []
        for index in self._segments[segment]:
            try:
                hits = self.rules[index].function(read)
            except Exception:  # a rule that cannot be evaluated fails: never pass silently
                hits = [("", None, None)]
            if hits:
                found.append((index, hits))
        return found

    def _others(self, case: object, other_cases: object) -> list[Case]:
        try:
            if not other_cases:
                return []
            items = list(other_cases)  # type: ignore[call-overload]
        except Exception:
            return []
        return [read_case(other, self.layout) for other in items if other is not case]


class Unreadable:
    """Stands for a case whose own methods raise when read: reported as a case of the wrong
    shape, like any other value that is not a case."""

    __slots__ = ()


def _first(item: Found) -> int:
    return item[0]


def segment_bounds(rules: Iterable[Rule]) -> list[dt.date]:
    """The dates where the set of rules in force changes (the ends of their windows)."""
    return sorted({d for r in rules for d in (r.applies_from, r.applies_to) if d is not None})


def _today(today: object) -> dt.date:
    if type(today) is dt.date:
        return today
    if today is None:
        return dt.date.today()
    if isinstance(today, dt.datetime):
        return today.date()
    if isinstance(today, dt.date):
        return today
    if isinstance(today, str):
        day = _read_date(today)
        if day is not None:
            return day
    raise TypeError(f"today must be a date (or YYYY-MM-DD), not {today!r}")


class _Values(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def _violation(
    rule: Rule, severity: str, path: str, felt_ids: Any, values: dict[str, Any] | None
) -> Violation:
    shown = _Values()
    if values is not None:
        for key, value in values.items():
            shown[key] = _show(value) if key == "value" else str(value)
    messages = []
    for message in (rule.message_da, rule.message_en):
        with contextlib.suppress(ValueError, KeyError, IndexError, AttributeError, TypeError):
            message = message.format_map(shown)  # a message that cannot take them stays as is
        messages.append(mask_text(message))
    return Violation(
        rule=rule.id,
        felt_ids=rule.felt_ids if felt_ids is None else felt_ids,
        severity=severity,
        message_da=messages[0],
        message_en=messages[1],
        path=mask_text(path),
        basis=rule.basis,
        cites=rule.cites,
    )


_SHOW_LENGTH = 60


def _show(value: object, depth: int = 0) -> str:
    """A value for a message: JSON-like, CPR numbers masked, at most 60 characters."""
    if value is None:
        text = "null"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int | float):
        text = repr(value) if not isinstance(value, int) or abs(value) < 10**30 else "<number>"
    elif isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, str):
        text = '"' + mask_text(value[: _SHOW_LENGTH * 2]) + '"'
    elif isinstance(value, list | tuple) and depth < 2:
        shown = ", ".join(_show(v, depth + 1) for v in value[:8])
        text = "[" + shown + (", …" if len(value) > 8 else "") + "]"
    elif isinstance(value, list | tuple):
        text = "[…]"
    elif isinstance(value, dict):
        text = "{…}"
    else:
        text = f"<{type(value).__name__}>"
    text = mask_text(text)
    return text if len(text) <= _SHOW_LENGTH else text[: _SHOW_LENGTH - 1] + "…"


def _add(hits: Hits, path: str, felt_ids: Any, values: dict[str, Any] | None) -> list[Hit]:
    if hits is None:
        hits = []
    hits.append((path, felt_ids, values))
    return hits


def _field_hit(
    hits: Hits, case: Case, path: str, meta: tuple[Any, str, str], value: object
) -> Hits:
    """A field rule's hit, unless the field's value could not be read (a `reading` problem)."""
    if case.bad and path in case.bad:
        return hits
    felt_ids, felt_id, variable = meta
    return _add(hits, path, felt_ids, {"felt_id": felt_id, "variable": variable, "value": value})


def _problem_hit(hits: Hits, case: Case, problem: Problem) -> list[Hit]:
    shown = problem.path or case.name  # the whole case: by its type's name
    values = {"path": shown, "expected": problem.expected, "value": problem.value}
    return _add(hits, problem.path, problem.felt_ids, values)


# --- CPR -----------------------------------------------------------------------------------

# Masking CPR numbers in any form they may be written: smdb._privacy (`mask_text`).


def mask_cpr(cpr: object) -> str | None:
    """A CPR number for display: birth date kept, serial masked (`010190-****`)."""
    if cpr is None:
        return None
    return mask_text(str(cpr))


def _cpr_year(two_digits: int, seventh: int) -> int:
    """The birth year from its last two digits and the CPR number's 7th digit (the CPR
    register's century table)."""
    if seventh <= 3:
        return 1900 + two_digits
    if seventh in (4, 9):
        return (2000 if two_digits <= 36 else 1900) + two_digits
    return (2000 if two_digits <= 57 else 1800) + two_digits


def birth_date(cpr: object) -> dt.date | None:
    """The birth date of a CPR number (10 digits), or None if it has no real one: replacement
    numbers (erstatningspersonnumre, day + 60) and other non-dates give None."""
    last = _LAST_CPR  # several rules ask about the same number in a row
    if last[0] is cpr:
        return last[1]
    if type(cpr) is not str or len(cpr) != 10 or not (cpr.isascii() and cpr.isdigit()):
        return None
    try:
        born = dt.date(_cpr_year(int(cpr[4:6]), int(cpr[6])), int(cpr[2:4]), int(cpr[0:2]))
    except ValueError:
        born = None
    _remember_cpr(cpr, born)
    return born


_LAST_CPR: tuple[object, dt.date | None] = (None, None)


def _remember_cpr(cpr: str, born: dt.date | None) -> None:
    global _LAST_CPR
    _LAST_CPR = (cpr, born)


def valid_cpr(cpr: object) -> bool:
    """10 digits, a real birth date, the century from the 7th digit; True for None."""
    if cpr is None:
        return True
    return birth_date(cpr) is not None


def age_on(cpr: object, day: object) -> int | None:
    """Age in whole years on `day` of the person with this CPR number; None if unknown."""
    born = birth_date(cpr)
    if born is None or not isinstance(day, dt.date):
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# --- dates, values -------------------------------------------------------------------------


def filled(value: object) -> bool:
    """Not None, "" or an empty list."""
    if value is None:
        return False
    if isinstance(value, str | list | tuple | dict):
        return len(value) > 0
    return True


def days(start: object, end: object) -> int | None:
    """Days from `start` to `end` (negative if `end` is earlier); None if either is missing."""
    if not isinstance(start, dt.date) or not isinstance(end, dt.date):
        return None
    return (end - start).days


def add_days(day: object, count: object) -> dt.date | None:
    if not isinstance(day, dt.date) or type(count) is not int:
        return None
    try:
        return day + dt.timedelta(days=count)
    except OverflowError:
        return None


def is_kommune(code: object) -> bool:
    """One of the municipality codes of the spec; True for None."""
    return code is None or (type(code) is int and code in _KOMMUNER)


# --- codes ---------------------------------------------------------------------------------

_CODES: dict[str, frozenset[str | None]] = {}
_ALWAYS: dict[str, frozenset[str]] = {}  # codes in force on every day, at every age


def _codes(codelist: str) -> frozenset[str | None]:
    """The codes the list is known to have had: its members, and the gaps in its sequence
    (`MISSING_CODES`: known to have existed, texts and dates not stated); and None, which
    `code_known` passes (so that a test is one set lookup)."""
    codes = _CODES.get(codelist)
    if codes is None:
        enum = CODELISTS[codelist]
        known = {*enum._value2member_map_, *enum.MISSING_CODES, None}
        codes = _CODES[codelist] = frozenset(known)
    return codes


def codes_of(codelist: str) -> frozenset[str | None]:
    """The codes a code list is known to have had, and None (for the compiled rules' fast
    paths: `code_known` is one set lookup)."""
    return _codes(codelist)


def always_in_force(codelist: str) -> frozenset[str]:
    """The codes of a list in force on every day and at every age (fast path of in_force)."""
    return _always(codelist)


def _always(codelist: str) -> frozenset[str]:
    codes = _ALWAYS.get(codelist)
    if codes is None:
        codes = _ALWAYS[codelist] = frozenset(
            member.value
            for member in CODELISTS[codelist]
            if all(
                p.valid_from is None
                and p.valid_to is None
                and p.min_age is None
                and p.max_age is None
                for p in member.periods
            )
        )
    return codes


def code_known(codelist: str | None, code: object) -> bool:
    """`code` (or every code of a list) is known to have been a code of the list, now or
    before (its members and `MISSING_CODES`); True for None."""
    if code is None or codelist is None:
        return True
    if type(code) is list or type(code) is tuple:
        return _codes(codelist).issuperset(code)
    return code in _codes(codelist)


def in_force(codelist: str | None, code: object, day: object, age: object = None) -> bool:
    """`code` (or every code of a list) is in the code list and in force on `day` (valid_to
    exclusive), and allowed at `age` (whole years, inclusive limits) if given. True when code
    or day is None; False for a code not in the list."""
    if code is None or codelist is None or not isinstance(day, dt.date):
        return True
    if type(code) is list or type(code) is tuple:
        return all(in_force(codelist, c, day, age) for c in code)
    if code in _always(codelist):
        return True
    member = cast("CodeEnum | None", CODELISTS[codelist]._value2member_map_.get(code))
    if member is None:
        return False
    period = member.period_on(day)
    if period is None:
        return False
    if type(age) is not int or age < 0:
        return True  # no (usable) age: the age limits cannot be judged
    return period.allows_age(age)


# --- lists and cases -----------------------------------------------------------------------


def max_parallel(
    items: Sequence[dict[str, Any]] | None, start: str, end: str, end_inclusive: bool = False
) -> int:
    """The most items open at once: from `start` to `end` (the end day included or not, as
    the spec's overlap definition says), an open end open for ever; items without a start, or
    ending before they start, are never open. Not `end_inclusive`: two items share a day
    unless it is the day one ends and the other starts (a switch), whatever their lengths; a
    one-day item (start = end) overlaps only an item open on both sides of its day."""
    items = items or ()
    if len(items) < 2:
        return sum(1 for item in items if item.get(start) is not None)
    # Events on a day: 0 ends, 1 a one-day item (open for an instant), 2 starts; an item of
    # several days is open from just after its start day's switches to its end day's.
    events = []
    for item in items:
        first = item.get(start)
        if first is None:
            continue
        last = item.get(end)
        if last is not None and last < first:
            continue
        if end_inclusive and last is not None:
            last = last + dt.timedelta(days=1) if last < dt.date.max else None
            events += [((first, 2), 1)] + ([((last, 2), -1)] if last is not None else [])
        elif last == first:
            events.append(((first, 1), 0))
        else:
            events += [((first, 2), 1)] + ([((last, 0), -1)] if last is not None else [])
    events.sort()  # on one day: ends, then one-day items, then starts
    most = open_now = 0
    for _, change in events:
        open_now += change
        most = max(most, open_now + (change == 0))
    return most


def active_cases(cases: Iterable[Case] | None, element: str, variable: str) -> list[Case]:
    """The cases whose closing date (`element.variable`) is not set."""
    return [case for case in cases or () if case.forms[element].get(variable) is None]


# --- helpers of the compiled rules ---------------------------------------------------------


def _max(values: Iterable[Any]) -> Any:
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _min(values: Iterable[Any]) -> Any:
    present = [v for v in values if v is not None]
    return min(present) if present else None


# The null rule as functions, where the compiled code cannot use `:=`.
def _lt(a: Any, b: Any) -> bool:
    return a is None or b is None or a < b


def _le(a: Any, b: Any) -> bool:
    return a is None or b is None or a <= b


def _gt(a: Any, b: Any) -> bool:
    return a is None or b is None or a > b


def _ge(a: Any, b: Any) -> bool:
    return a is None or b is None or a >= b


def _plus(a: Any, b: Any) -> Any:
    return None if a is None or b is None else a + b


def _minus(a: Any, b: Any) -> Any:
    return None if a is None or b is None else a - b
