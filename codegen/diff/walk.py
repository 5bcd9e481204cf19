"""The one comparison every kind of element goes through: pair the elements of two releases
by key, then report each one added, removed, changed (attribute by attribute) or unknown.

A kind of element is data (`Kind`): how it is keyed and labelled, which comparator
(codegen/diff/classify.py) judges each attribute, what an added or removed one means, which
lists inside it hold elements of their own, and what it refers to (Felt-IDs, codes, actions,
dates) for the report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from codegen.diff import classify, known

IGNORED = frozenset({"source", *known.MARKERS})  # where a fact was read is no change of it


@dataclass(frozen=True)
class Child:
    attribute: str  # the list inside the element, e.g. "fields"
    kind: Kind
    segment: str = ""  # a step of the children's ids, e.g. "request"
    # Whether the element's children are known, given the element (default: as it is).
    known_in: Callable[[dict], bool] | None = None


@dataclass(frozen=True)
class Kind:
    name: str  # as the report shows it: "field", "code", "action", ...
    key: Callable[[dict], str]
    label: Callable[[dict], str]
    aspects: dict[str, str]  # dotted attribute -> comparator name (classify.COMPARATORS)
    added: str = "additive"  # classify.ADDED
    removed: str = "breaking"  # classify.REMOVED
    children: tuple[Child, ...] = ()
    ignored: frozenset[str] = frozenset()
    # (element, refs, path) -> {"felt_ids": [...], "codes": [...], "actions": [...]}
    refs: Callable[[dict, object, tuple[str, ...]], dict] | None = None
    dates: tuple[str, ...] = ()  # dotted attributes holding the element's dates


@dataclass
class Side:
    """One release's elements of a kind, and whether absence there is known."""

    elements: list[dict]
    known: bool


@dataclass
class Walk:
    refs: object  # codegen.diff.refs.Refs
    changes: list[dict] = field(default_factory=list)

    def compare(
        self,
        kind: Kind,
        old: Side,
        new: Side,
        path: tuple[str, ...] = (),
        covered: bool = False,
    ) -> None:
        """`covered`: the container was itself reported unknown, so its children unknown only
        through it are not listed again."""
        olds = _by_key(kind, old.elements)
        news = _by_key(kind, new.elements)
        for key in sorted(olds.keys() | news.keys()):
            before, after = olds.get(key), news.get(key)
            here = (*path, key)
            old_known = known.element_known(before, old.known)
            new_known = known.element_known(after, new.known)
            element = after if after is not None else before
            if not (old_known and new_known):
                explicit = any(e is not None and "known" in e for e in (before, after))
                if not covered or explicit:
                    side = "old" if not old_known else "new"
                    self._add(kind, here, element, classify.unknown_verdict(side))
                self._children(kind, before, after, old_known, new_known, here, True)
                continue
            if before is None:
                self._add(kind, here, after, classify.ADDED[kind.added](after))
                continue
            if after is None:
                self._add(kind, here, before, classify.REMOVED[kind.removed](before))
                continue
            self._attributes(kind, before, after, here)
            self._children(kind, before, after, True, True, here, False)

    def _attributes(self, kind: Kind, before: dict, after: dict, path: tuple[str, ...]) -> None:
        unknown = known.unknown_attributes(before) | known.unknown_attributes(after)
        skipped = IGNORED | kind.ignored | {child.attribute for child in kind.children}
        aspects = dict(kind.aspects)
        for name in sorted((before.keys() | after.keys()) - skipped):
            if not any(a == name or a.startswith(f"{name}.") for a in aspects):
                aspects[name] = "unlisted"
        for aspect, comparator in sorted(aspects.items()):
            old_value, new_value = _get(before, aspect), _get(after, aspect)
            if any(_covers(u, aspect) for u in unknown):
                in_old = any(_covers(u, aspect) for u in known.unknown_attributes(before))
                side = "old" if in_old else "new"
                verdict = (classify.UNKNOWN, f"not known in the {side} release", "unknown")
                self._add(kind, path, after, verdict, aspect, old_value, new_value, before)
            elif old_value != new_value:
                if comparator == "unlisted":
                    verdict = (
                        classify.BREAKING,
                        "an attribute this diff does not know: taken as breaking",
                        "changed",
                    )
                else:
                    verdict = classify.COMPARATORS[comparator](old_value, new_value, before, after)
                self._add(kind, path, after, verdict, aspect, old_value, new_value, before)

    def _children(self, kind, before, after, old_known, new_known, path, covered) -> None:
        for child in kind.children:
            olds = (before or {}).get(child.attribute) or []
            news = (after or {}).get(child.attribute) or []
            old_in = old_known and (
                child.known_in is None or before is None or child.known_in(before)
            )
            new_in = new_known and (
                child.known_in is None or after is None or child.known_in(after)
            )
            here = (*path, child.segment) if child.segment else path
            self.compare(child.kind, Side(olds, old_in), Side(news, new_in), here, covered)

    def _add(
        self,
        kind: Kind,
        path: tuple[str, ...],
        element: dict,
        verdict: tuple[str, str, str],
        aspect: str | None = None,
        old=None,
        new=None,
        before: dict | None = None,
    ) -> None:
        cls, reason, change = verdict
        refs = kind.refs(element, self.refs, path) if kind.refs else {}
        dates = set()
        for source in (before, element):
            for attribute in kind.dates:
                value = _get(source or {}, attribute)
                if isinstance(value, str) and value[:1].isdigit():
                    dates.add(value)
        self.changes.append(
            {
                "class": cls,
                "kind": kind.name,
                "id": "/".join(path),
                "label": kind.label(element),
                "change": change,
                "aspect": aspect,
                "old": old,
                "new": new,
                "reason": reason,
                "felt_ids": sorted(set(refs.get("felt_ids", ())) - {None, ""}),
                "codes": sorted(set(refs.get("codes", ()))),
                "actions": sorted(set(refs.get("actions", ()))),
                "dates": sorted(dates),
            }
        )


def _covers(unknown: str, aspect: str) -> bool:
    return aspect == unknown or aspect.startswith(f"{unknown}.")


def _by_key(kind: Kind, elements: list[dict]) -> dict[str, dict]:
    keyed: dict[str, dict] = {}
    for element in elements:
        keyed.setdefault(str(kind.key(element)), element)
    return keyed


def _get(element: dict, dotted: str):
    value: object = element
    for part in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value
