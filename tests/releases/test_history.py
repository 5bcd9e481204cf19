"""What the releases know together: a code's validity dated across releases, and unknown
never read as "unchanged"."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from codegen.build import build_spec
from codegen.history import History

OLD, NEW = dt.date(2025, 7, 1), dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def specs():
    return build_spec("2025-07-01"), build_spec("2026-01-01")


def _edit_code(spec, codelist: str, code: str, change):
    lists = []
    for cl in spec.codelists:
        codes = tuple(change(c) if (cl.name, c.code) == (codelist, code) else c for c in cl.codes)
        lists.append(dataclasses.replace(cl, codes=tuple(c for c in codes if c is not None)))
    return dataclasses.replace(spec, codelists=tuple(lists))


def test_a_code_in_both_releases_is_known_in_force_from_the_older(specs):
    history = History.of(list(specs))
    assert history.releases == ("2025-07-01", "2026-01-01")
    assert set(history.in_force_since.values()) == {OLD}
    assert history.ended == {}


def test_a_code_only_in_the_newest_is_known_from_the_newest(specs):
    old, new = specs
    old = _edit_code(old, "BehandlingTidligereKode", "99", lambda c: None)
    history = History.of([old, new])
    assert history.in_force_since[("BehandlingTidligereKode", "99")] == NEW
    assert history.in_force_since[("BehandlingTidligereKode", "01")] == OLD


def test_a_code_whose_existence_is_unknown_is_not_dated_back(specs):
    old, new = specs
    old = _edit_code(
        old,
        "BehandlingTidligereKode",
        "02",
        lambda c: dataclasses.replace(c, unknown=("existence",)),
    )
    history = History.of([old, new])
    assert history.in_force_since[("BehandlingTidligereKode", "02")] == NEW


def test_a_code_the_newer_release_dropped_has_its_end(specs):
    old, new = specs
    new = _edit_code(new, "BehandlingTidligereKode", "02", lambda c: None)
    history = History.of([old, new])
    (ended,) = history.ended["BehandlingTidligereKode"]
    assert ended.code == "02" and ended.validity.valid_to == NEW
    assert ended.text_da is None  # its 2025 text is unknown: not carried over as a fact
    # Known in force from the first release of the run that lists it, as the others.
    assert history.in_force_since[("BehandlingTidligereKode", "02")] == OLD
    assert history.release_of(OLD) == "2025-07-01"


def test_the_order_of_the_specs_does_not_matter(specs):
    assert History.of(list(specs)) == History.of(list(reversed(specs)))
