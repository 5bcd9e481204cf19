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

IGNORED = frozenset({"source", known.MARKER})  # where a fact was read is no change of it


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
    # How the release's knowledge names it: (kind, its item key from the element's path),
    # e.g. ("field", "Anmodning.KommuneKode"), for the reason given for what is not known.
    knowledge: tuple[str, Callable[[tuple[str, ...]], str]] | None = None


@dataclass
class Side:
    """One release's elements of a kind, whether absence there is known, and why not."""

    elements: list[dict]
    known: bool
    why: str = ""  # the release's reason for not knowing the container (its section)


@dataclass
class Walk:
    refs: object  # codegen.diff.refs.Refs
    old: known.Knowledge
    new: known.Knowledge
    changes: list[dict] = field(default_factory=list)

    def compare(
        self,
        kind: Kind,
        old: Side,
        new: Side,
        path: tuple[str, ...] = (),
        covered: bool = False,
    ) -> None:
        """`covered`: the container was itself reported unknown, so its elements unknown only
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
                # An element that says itself it is not known is listed; one only inside a
                # container reported unknown is not.
                own = old.known and new.known
                if own or not covered:
                    side, why = self._unknown_side(kind, here, before, old, new, old_known)
                    self._add(kind, here, element, classify.unknown_verdict(side, why))
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

    def _unknown_side(self, kind, path, before, old: Side, new: Side, old_known: bool):
        side, container, knowledge = (
            ("old", old, self.old) if not old_known else ("new", new, self.new)
        )
        if not container.known:
            return side, container.why
        return side, self._why(knowledge, kind, path, known.EXISTENCE)

    def _why(self, knowledge: known.Knowledge, kind: Kind, path, attribute: str) -> str:
        if kind.knowledge is None:
            return ""
        name, item = kind.knowledge
        return knowledge.why(name, item(path), attribute.split(".")[0])

    def _attributes(self, kind: Kind, before: dict, after: dict, path: tuple[str, ...]) -> None:
        old_unknown, new_unknown = known.unknown_attributes(before), known.unknown_attributes(after)
        if before == after and not (old_unknown or new_unknown):
            return  # the common case, at C speed
        skipped = IGNORED | kind.ignored | {child.attribute for child in kind.children}
        aspects = dict(kind.aspects)
        listed = {aspect.split(".")[0] for aspect in aspects}
        for name in sorted((before.keys() | after.keys()) - skipped - listed):
            aspects[name] = "unlisted"
        not_known: dict[str, list[str]] = {}  # side -> attributes, reported as one entry
        whys: dict[str, list[str]] = {}
        for aspect, comparator in sorted(aspects.items()):
            old_value, new_value = _get(before, aspect), _get(after, aspect)
            in_old = old_unknown and any(known.covers(u, aspect) for u in old_unknown)
            if in_old or (new_unknown and any(known.covers(u, aspect) for u in new_unknown)):
                side, knowledge = ("old", self.old) if in_old else ("new", self.new)
                name = aspect.split(".")[0]
                if name not in not_known.setdefault(side, []):
                    not_known[side].append(name)
                why = self._why(knowledge, kind, path, aspect)
                if why and why not in whys.setdefault(side, []):
                    whys[side].append(why)
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
        for side, names in sorted(not_known.items()):
            verdict = classify.unknown_verdict(side, "; ".join(whys.get(side, ())), attribute=True)
            self._add(kind, path, after, verdict, before=before, attributes=names)

    def _children(self, kind, before, after, old_known, new_known, path, covered) -> None:
        for child in kind.children:
            sides = []
            for element, element_known, knowledge in (
                (before, old_known, self.old),
                (after, new_known, self.new),
            ):
                holds = element_known and _holds_known(child, element)
                why = "" if holds else self._why(knowledge, kind, path, child.attribute)
                sides.append(Side((element or {}).get(child.attribute) or [], holds, why))
            here = (*path, child.segment) if child.segment else path
            self.compare(child.kind, *sides, here, covered)

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
        attributes: list[str] | None = None,
    ) -> None:
        """`attributes`: those not known, for an entry reporting them."""
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
                "label": kind.label(element) or "",
                "change": change,
                "aspect": aspect,
                "attributes": attributes or [],
                "old": old,
                "new": new,
                "reason": reason,
                "felt_ids": sorted(set(refs.get("felt_ids", ())) - {None, ""}),
                "codes": sorted(set(refs.get("codes", ()))),
                "actions": sorted(set(refs.get("actions", ()))),
                "dates": sorted(dates),
            }
        )


def _holds_known(child: Child, element: dict | None) -> bool:
    """Whether the list `child.attribute` of an element is known (absent element: yes)."""
    if element is None:
        return True
    if child.attribute in known.unknown_attributes(element):
        return False
    return child.known_in is None or bool(child.known_in(element))


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
