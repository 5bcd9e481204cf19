"""How much a change matters to a vendor: breaking, additive, cosmetic or unknown.

- **breaking**: a message valid before may be rejected after, or a client built for the old
  release may fail against the new one.
- **additive**: something new or looser; every message valid before still passes and an old
  client still works.
- **cosmetic**: text or presentation only (labels, notes, citations); no message or client is
  affected.
- **unknown**: the state on one side is not known (codegen/diff/known.py); never "unchanged".

Each attribute of an element is compared by one of the comparators below, named in the
element kinds' tables (codegen/diff/kinds.py). A comparator returns the class, the reason a
vendor reads, and the word for the change ("changed", "retired", ...).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

BREAKING, ADDITIVE, COSMETIC, UNKNOWN = "breaking", "additive", "cosmetic", "unknown"
CLASSES = (BREAKING, UNKNOWN, ADDITIVE, COSMETIC)  # the report's order: breaking first
NOT_STATED = "not-stated"

Verdict = tuple[str, str, str]  # (class, reason, change)
Comparator = Callable[[object, object, dict, dict], Verdict]

# required: how much a field demands of a message (6.1.1: "conditional" = when displayed).
REQUIRED_RANK = {"never": 0, "computed": 0, "conditional": 1, "always": 2}


def rule_strength(rule: dict) -> int:
    """0 reports nothing that stops a message (a notice), 1 a warning (an error resting on
    our reading: `basis: inferred`), 2 a rejection (an error the kravspec states)."""
    if rule.get("severity") != "error":
        return 0
    return 2 if rule.get("basis", "stated") == "stated" else 1


def cosmetic(old, new, old_el, new_el) -> Verdict:
    return COSMETIC, "text only: no message or client depends on it", "changed"


def breaking(old, new, old_el, new_el) -> Verdict:
    return BREAKING, "messages or clients made for the old value do not fit the new one", "changed"


def required(old, new, old_el, new_el) -> Verdict:
    if REQUIRED_RANK.get(new, 2) > REQUIRED_RANK.get(old, 2):
        return (
            BREAKING,
            "now required where it was not: a message without it is rejected",
            "changed",
        )
    if REQUIRED_RANK.get(new, 2) < REQUIRED_RANK.get(old, 2):
        return ADDITIVE, "required less often: every message valid before still is", "changed"
    return COSMETIC, "as strict as before (both leave it to the server or the sender)", "changed"


def display_condition(old, new, old_el, new_el) -> Verdict:
    """A conditional field is required exactly when displayed (6.1.1): a new condition can
    demand it of a message that did not need it. The condition is Danish prose, so which way
    it moved cannot be read off it."""
    if "conditional" in (old_el.get("required"), new_el.get("required")):
        return (
            BREAKING,
            "the field is required when displayed (6.1.1): another condition can reject a "
            "message accepted before",
            "changed",
        )
    return COSMETIC, "the field is not required by its display: the condition is text", "changed"


def codelist(old, new, old_el, new_el) -> Verdict:
    if new is None:
        return ADDITIVE, "no longer limited to a code list", "changed"
    return (
        BREAKING,
        "another set of codes is allowed: a code valid before may be rejected",
        "changed",
    )


def flag_on_breaking(old, new, old_el, new_el) -> Verdict:
    """read_only: setting it takes something away from the sender."""
    if new and not old:
        return BREAKING, "a message that fills it in may be rejected", "changed"
    return ADDITIVE, "a message may fill it in again", "changed"


def retired(old, new, old_el, new_el) -> Verdict:
    """A field marked "Udgået"."""
    if new and not old:
        return BREAKING, "retired: a message that fills it in may be rejected", "retired"
    return ADDITIVE, "no longer retired: a message may fill it in again", "changed"


def flag_off_breaking(old, new, old_el, new_el) -> Verdict:
    """nillable, open_content: clearing it takes something away from the sender."""
    if old and not new:
        return BREAKING, "a message using what it allowed is rejected", "changed"
    return ADDITIVE, "allows more than before", "changed"


def lower_bound(old, new, old_el, new_el) -> Verdict:
    """minimum, min_age, min_occurs: raised or newly set is stricter."""
    if new is not None and (old is None or new > old):
        return BREAKING, "the lower limit rose: a value valid before may be rejected", "changed"
    return ADDITIVE, "the lower limit fell or went: every value valid before still is", "changed"


def upper_bound(old, new, old_el, new_el) -> Verdict:
    """maximum, max_length, max_age, max_occurs (None: unbounded): lowered or set is stricter."""
    if new is not None and (old is None or new < old):
        return BREAKING, "the upper limit fell: a value valid before may be rejected", "changed"
    return ADDITIVE, "the upper limit rose or went: every value valid before still is", "changed"


def start_date(old, new, old_el, new_el) -> Verdict:
    """A validity's first day (None: always)."""
    if NOT_STATED in (old, new):
        return UNKNOWN, _not_stated(old, new), "changed"
    if new is not None and (old is None or _day(new) > _day(old)):
        return BREAKING, "in force from a later date: earlier cases may no longer use it", "changed"
    return ADDITIVE, "in force from an earlier date", "changed"


def end_date(old, new, old_el, new_el) -> Verdict:
    """A validity's first day no longer in force (None: open)."""
    if NOT_STATED in (old, new):
        return UNKNOWN, _not_stated(old, new), "changed"
    if new is not None and (old is None or _day(new) < _day(old)):
        return (
            BREAKING,
            "no longer in force from this date: a message using it then is rejected",
            ("retired"),
        )
    return ADDITIVE, "in force longer than before", "changed"


def _not_stated(old, new) -> str:
    side = "old" if old == NOT_STATED else "new"
    if old == new:
        return "not stated on either side"
    return f"the date is not stated in the {side} release: whether it moved is not known"


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def rule_check(old, new, old_el, new_el) -> Verdict:
    """A rule's condition or window: whether it now catches more or fewer cases cannot be
    read off two expressions, so it is breaking when the new rule rejects (a stated error)."""
    if rule_strength(new_el) == 2:
        return (
            BREAKING,
            "the rule rejects, and what it catches changed: a message accepted before may be "
            "rejected (compare the two expressions)",
            "changed",
        )
    return ADDITIVE, "the rule only warns or notes (it rejects nothing)", "changed"


def rule_severity(old, new, old_el, new_el) -> Verdict:
    """severity and basis together decide whether a rule rejects (codegen/diff: strength)."""
    before, after = rule_strength(old_el), rule_strength(new_el)
    if after > before and after == 2:
        return BREAKING, "the rule now rejects what it only reported before", "changed"
    if after > before:
        return ADDITIVE, "reported more strongly, but still not rejected", "changed"
    if after < before:
        return ADDITIVE, "reported less strongly: it rejects less than before", "changed"
    return COSMETIC, "the rule rejects, warns or notes as before", "changed"


COMPARATORS: dict[str, Comparator] = {
    "cosmetic": cosmetic,
    "breaking": breaking,
    "required": required,
    "display_condition": display_condition,
    "codelist": codelist,
    "flag_on_breaking": flag_on_breaking,
    "retired": retired,
    "flag_off_breaking": flag_off_breaking,
    "lower_bound": lower_bound,
    "upper_bound": upper_bound,
    "start_date": start_date,
    "end_date": end_date,
    "rule_check": rule_check,
    "rule_severity": rule_severity,
}


# Added and removed elements -----------------------------------------------------------------
# Each kind names one of these for an element that appears and one for one that goes.


def added_additive(element: dict) -> Verdict:
    return ADDITIVE, "new: nothing valid before is affected", "added"


def added_breaking(element: dict) -> Verdict:
    return BREAKING, "new, and it constrains messages valid before", "added"


def removed_breaking(element: dict) -> Verdict:
    return BREAKING, "gone: a message or client using it fails", "removed"


def removed_additive(element: dict) -> Verdict:
    return ADDITIVE, "gone: it rejected or demanded something, and no longer does", "removed"


def added_field(element: dict) -> Verdict:
    if REQUIRED_RANK.get(element.get("required"), 2) > 0:
        return BREAKING, "a new required field: a message without it is rejected", "added"
    return ADDITIVE, "a new field that is never required", "added"


def added_part(element: dict) -> Verdict:
    """An element of a message or a type: mandatory (minOccurs > 0) or not."""
    if (element.get("min_occurs") or 0) > 0:
        return BREAKING, "a new mandatory element (minOccurs > 0): older messages lack it", "added"
    return ADDITIVE, "a new optional element (minOccurs 0)", "added"


def added_rule(element: dict) -> Verdict:
    if rule_strength(element) == 2:
        return BREAKING, "a new rule that rejects: a message accepted before may fail it", "added"
    return ADDITIVE, "a new rule that only warns or notes", "added"


def added_server_check(element: dict) -> Verdict:
    return BREAKING, "a new check the server makes: a message it catches is rejected", "added"


# Date-control points: what a new or vanished point does depends on its effect. An effect not
# listed is taken as breaking both ways: a date from which other rules hold.
POINT_EFFECTS: dict[str, tuple[str, str]] = {
    # effect: (class when added, class when removed)
    "actions-added": (ADDITIVE, BREAKING),
    "form-voluntary": (ADDITIVE, BREAKING),
    "texts-change": (COSMETIC, COSMETIC),
    "form-ends": (BREAKING, ADDITIVE),
    "fields-end": (BREAKING, ADDITIVE),
    "options-change": (BREAKING, BREAKING),
    "options-by-age": (BREAKING, ADDITIVE),
    "rules-change": (BREAKING, BREAKING),
}


def added_point(element: dict) -> Verdict:
    cls = POINT_EFFECTS.get(element.get("effect"), (BREAKING, BREAKING))[0]
    return cls, f"a new date-control point ({element.get('effect')}): {_EFFECT_WHY[cls]}", "added"


def removed_point(element: dict) -> Verdict:
    cls = POINT_EFFECTS.get(element.get("effect"), (BREAKING, BREAKING))[1]
    return (
        cls,
        f"a date-control point went ({element.get('effect')}): {_EFFECT_WHY[cls]}",
        ("removed"),
    )


_EFFECT_WHY = {
    BREAKING: "from its date messages are judged by other rules or options",
    ADDITIVE: "from its date more is allowed",
    COSMETIC: "only texts change at its date",
}


def unknown_verdict(side: str, why: str = "", attribute: bool = False) -> Verdict:
    """`why`: the release's own reason (its knowledge), where it gives one."""
    what = "not known" if attribute else "its state is not known"
    reason = f"{what} in the {side} release" + (f" ({why})" if why else "")
    return UNKNOWN, reason, "unknown"


ADDED: dict[str, Callable[[dict], Verdict]] = {
    "additive": added_additive,
    "breaking": added_breaking,
    "field": added_field,
    "part": added_part,
    "rule": added_rule,
    "server_check": added_server_check,
    "point": added_point,
}
REMOVED: dict[str, Callable[[dict], Verdict]] = {
    "breaking": removed_breaking,
    "additive": removed_additive,
    "point": removed_point,
}
