"""The emulator's lifecycle checks on both sides of every lifecycle state, over real HTTP: each
Slet action against each state of the case (refused while a later form of §5.1's order is
stored, allowed once none is), and each new form inserted before and after an afslutning.

The states, the order and the forms come from the spec (service facts' `manual_deletion.flow`,
the WSDL plan's actions, the store's case slots), not from hand-written lists: an emulator
allowing one deletion out of order, or one insert after an afslutning, fails a test here.
"""

from __future__ import annotations

import itertools
import json
import re

import pytest

from soap.conftest import ROOT, generated_module

soap = generated_module("smdb.soap")
codec = generated_module("smdb.soap._codec")
store = generated_module("smdb.emulator.store")
service = generated_module("smdb.emulator.service")
facts = generated_module("smdb.emulator._facts")

SPEC = json.loads((ROOT / "spec" / "canonical" / "2026-01-01.json").read_text(encoding="utf-8"))
FLOW = SPEC["service_facts"]["manual_deletion"]["flow"]  # §5.1: deleted latest first
assert SPEC["service_facts"]["manual_deletion"]["order"] == "latest-first"
FIRST, LAST = FLOW[0], FLOW[-1]  # the Anmodning opens a case, the Afslutning closes it
CHECKS = {c["id"]: c for c in SPEC["service_facts"]["server_checks"]}
OPERATIONS = codec.SERVICES["IndsaetData"]["v1"][1]
# The Slet action of each form of the flow: the one named after it, taking its Id.
SLET = {
    form: op.name
    for form in FLOW
    for op in OPERATIONS.values()
    if op.name.lower() == f"slet{form}".lower() and [c.name for c in op.params] == [f"{form}Id"]
}
MANY = {form for form, (_, many) in store.SLOTS.items() if many}
# Every state a case can be in: the first form, any of the others, a form listed only after
# its parent (a Tilbudstilknytning needs an Iværksættelse: its insert names one).
PARENT: dict[str, str] = {}
for _op in OPERATIONS.values():
    for _form in (c.type for c in _op.params if c.kind == "model" and c.type in FLOW):
        for _ref in (c.name.removesuffix("Id") for c in _op.params if c.kind == "int"):
            if _ref in FLOW:
                PARENT[_form] = _ref
STATES = [
    (FIRST, *rest)
    for size in range(len(FLOW))
    for rest in itertools.combinations(FLOW[1:], size)
    if all(PARENT.get(f) in (None, FIRST, *rest) for f in rest)
]


def _pattern(check: str, key: str) -> re.Pattern:
    text = next(m["text_da"] for m in CHECKS[check]["messages"] if m["key"] == key)
    return re.compile(re.sub(r"\\\{[^}]*\\\}", ".+", re.escape(text)))


DELETE_ORDER = _pattern("SMDB-SERVER-LIVSFORLOEB", "delete-order")


def test_the_families_come_from_the_spec():
    assert SLET and set(SLET) < set(FLOW) and FIRST in SLET
    assert PARENT == {"Tilbudstilknytning": "Ivaerksaettelse"}
    assert (FIRST,) in STATES and tuple(FLOW) in STATES and len(STATES) == 6


def test_the_emulator_deletes_in_the_spec_flow():
    """The emulator's order is the canonical spec's `manual_deletion.flow`, generated into its
    facts, and its messages name the forms by their titles in the spec."""
    assert tuple(FLOW) == facts.DELETION_FLOW
    titles = {f["name"]: f["title_da"] for f in SPEC["forms"]}
    assert {form: titles[form] for form in FLOW} == facts.FORM_TITLES


@pytest.mark.parametrize(
    ("flow", "blocked"),
    [
        (tuple(FLOW), True),  # §5.1: the afslutning is the latest, deleted first
        (("Anmodning", "Ivaerksaettelse", "Afslutning", "Tilbudstilknytning"), False),
    ],
    ids=["spec-flow", "afslutning-before-tilknytning"],
)
def test_the_flow_in_the_facts_decides_what_blocks_a_deletion(
    serve, case, monkeypatch, flow, blocked
):
    """The same closed case and the same SletTilbudsTilknytning over HTTP: refused under the
    spec's flow, allowed when the facts put the afslutning before the tilknytning. A blocker
    written into the code instead of read from the facts fails one of the two."""
    monkeypatch.setattr(service, "DELETION_FLOW", flow)
    url = serve(kommune=101)  # in this process: it acts on the patched facts
    ids = build(url, case, tuple(FLOW))
    answer = soap.IndsaetDataClient(url).SletTilbudsTilknytning(
        TilbudstilknytningId=ids["Tilbudstilknytning"][0]
    )
    assert answer.ok is not blocked, answer.Beskeder
    if blocked:
        assert DELETE_ORDER.fullmatch(answer.Beskeder[0].Tekst)
        assert f"”{facts.FORM_TITLES[LAST]}”" in answer.Beskeder[0].Tekst
    assert _stored(url, "Tilbudstilknytning", ids["Tilbudstilknytning"][0]) is blocked


def test_a_refusal_names_every_later_form_the_case_holds(serve, case):
    url = serve(kommune=101)
    ids = build(url, case, tuple(FLOW))
    answer = soap.IndsaetDataClient(url).SletAnmodning(AnmodningId=ids[FIRST][0])
    text = answer.Beskeder[0].Tekst
    assert [f for f in FLOW if f"”{facts.FORM_TITLES[f]}”" in text] == FLOW[1:], text


def build(url: str, case, state: tuple[str, ...]) -> dict[str, list[int]]:
    """A case holding exactly the forms of `state` (inserted in lifecycle order, an
    Iværksættelse deleted again when the state has none): the Ids of each form."""
    ind, hent = soap.IndsaetDataClient(url), soap.HentDataClient(url)
    ids: dict[str, list[int]] = {}
    anmodning = case.Anmodning
    if "Ivaerksaettelse" in state or state == (FIRST,):
        ivaer_id = ind.IndsaetIvaerksaettelse(
            Anmodning=anmodning, Ivaerksaettelse=case.Ivaerksaettelse
        )
        anm_id = hent.HentIvaerksaettelse(IvaerksaettelseId=ivaer_id).Ivaerksaettelse.AnmodningId
        ids = {FIRST: [anm_id], "Ivaerksaettelse": [ivaer_id]}
        anmodning = anmodning.model_copy(update={"Id": anm_id})
    if "Tilbudstilknytning" in state:
        ids["Tilbudstilknytning"] = [
            ind.IndsaetTilbudstilknytning(
                IvaerksaettelseId=ids["Ivaerksaettelse"][0], Tilbudstilknytning=t
            )
            for t in case.Tilbudstilknytninger
        ]
    if "Ivaerksaettelse" not in state and "Ivaerksaettelse" in ids:
        assert ind.SletIvaerksaettelse(IvaerksaettelseId=ids.pop("Ivaerksaettelse")[0]).ok
    if LAST in state:
        ids[LAST] = [ind.AfslutBehandling(Anmodning=anmodning, Afslutning=case.Afslutning)]
        if FIRST not in ids:
            found = hent.HentAnmodninger(PersonIdentifikator=case.Anmodning.PersonIdentifikator)
            ids[FIRST] = [found[0].Id]
    assert set(ids) == set(state)
    return ids


def _stored(url: str, form: str, form_id: int) -> bool | None:
    """Whether the form is stored (None: no Hent action reads it by its Id)."""
    hent = soap.HentDataClient(url)
    if not hasattr(hent, f"Hent{form}"):
        return None
    return getattr(hent, f"Hent{form}")(**{f"{form}Id": form_id}).ok


@pytest.mark.parametrize(
    ("state", "form"),
    [(state, form) for state in STATES for form in state if form in SLET],
    ids=lambda v: "+".join(v) if isinstance(v, tuple) else f"Slet {v}",
)
def test_each_slet_action_against_each_state(serve, case, state, form):
    url = serve(kommune=101)
    ids = build(url, case, state)
    later = [f for f in FLOW[FLOW.index(form) + 1 :] if f in state]
    answer = getattr(soap.IndsaetDataClient(url), SLET[form])(**{f"{form}Id": ids[form][0]})
    if later:  # §5.1: the latest first
        assert not answer.ok, f"{SLET[form]} allowed while {later} is stored"
        assert [b.Kode for b in answer.Beskeder] == ["SMDB-SERVER-LIVSFORLOEB"]
        assert DELETE_ORDER.fullmatch(answer.Beskeder[0].Tekst), answer.Beskeder[0].Tekst
        assert _stored(url, form, ids[form][0]) is True
    else:
        assert answer.ok, (SLET[form], state, answer.Beskeder)
        assert _stored(url, form, ids[form][0]) is False
    for other in state:  # no other form was touched
        if other != form:
            assert _stored(url, other, ids[other][0]) in (True, None), other


def test_deleting_backwards_through_the_whole_flow_empties_the_case(serve, case):
    url = serve(kommune=101)
    ids = build(url, case, tuple(f for f in FLOW if f != LAST))
    ind = soap.IndsaetDataClient(url)
    for form in reversed(FLOW):
        for form_id in ids.get(form, []):
            assert getattr(ind, SLET[form])(**{f"{form}Id": form_id}).ok, form
    hent = soap.HentDataClient(url)
    assert hent.HentAnmodninger(PersonIdentifikator=case.Anmodning.PersonIdentifikator) == []


# The inserts of a new form, each action named by the form it adds.
INSERTS = {
    c.type: op.name
    for op in OPERATIONS.values()
    for c in op.params
    if c.kind == "model" and c.type in FLOW[1:]
}


def _insert_new(url: str, case, ids: dict, form: str):
    ind = soap.IndsaetDataClient(url)
    anmodning = case.Anmodning.model_copy(update={"Id": ids[FIRST][0]})
    if form == "Tilbudstilknytning":
        return ind.IndsaetTilbudstilknytning(
            IvaerksaettelseId=ids["Ivaerksaettelse"][0],
            # the first starts on the iværksættelse's day; the last may stand beside the others
            Tilbudstilknytning=case.Tilbudstilknytninger[-1 if form in ids else 0],
        )
    return getattr(ind, INSERTS[form])(Anmodning=anmodning, **{form: getattr(case, form)})


@pytest.mark.parametrize(
    ("state", "form"),
    [(state, form) for state in STATES for form in INSERTS if PARENT.get(form) in (None, *state)],
    ids=lambda v: "+".join(v) if isinstance(v, tuple) else f"new {v}",
)
def test_each_new_form_before_and_after_an_afslutning(serve, case, state, form):
    url = serve(kommune=101)
    ids = build(url, case, state)
    closed = LAST in state
    duplicate = form in state and form not in MANY  # one per case: corrected by its Id
    if closed or duplicate:
        with pytest.raises(soap.SoapFault) as raised:
            _insert_new(url, case, ids, form)
        assert [b.Kode for b in raised.value.beskeder] == ["SMDB-SERVER-LIVSFORLOEB"]
        if closed and not duplicate:
            assert "afslut" in raised.value.beskeder[0].Tekst
    else:
        assert _insert_new(url, case, ids, form) > max(max(v) for v in ids.values())
