"""The emulator's Id, myndighed and sanering checks on both sides, for every action they guard,
over real HTTP: the actions come from the WSDL plan, the sanering date from the spec's date
control, so a check that compares a little too much or too little for one action fails here.
"""

from __future__ import annotations

import datetime as dt

import pytest

from soap.conftest import generated_module
from soap.test_lifecycle import report

soap = generated_module("smdb.soap")
codec = generated_module("smdb.soap._codec")
service = generated_module("smdb.emulator.service")
store = generated_module("smdb.emulator.store")

OPERATIONS = {
    op.name: (name, op)
    for name, versions in codec.SERVICES.items()
    for op in versions["v1"][1].values()
}
# Actions that name one stored form by its Id: (action, form).
BY_ID = [
    (action, op.params[0].name.removesuffix("Id"))
    for action, (_, op) in OPERATIONS.items()
    if len(op.params) == 1 and op.params[0].name.removesuffix("Id") in store.SLOTS
]
WITH_KOMMUNE = sorted(
    a for a, (_, op) in OPERATIONS.items() if "KommuneKode" in {c.name for c in op.params}
)
WITH_ANMODNING = sorted(
    a for a, (_, op) in OPERATIONS.items() if "Anmodning" in {c.name for c in op.params}
)


def call(url: str, action: str, **params) -> list:
    """The Beskeder of `action`'s refusal (a fault, or an answer with Succes false), or []."""
    service_name, _ = OPERATIONS[action]
    client = getattr(soap, f"{service_name}Client")(url)
    try:
        answer = getattr(client, action)(**params)
    except soap.SoapFault as fault:
        return fault.beskeder
    if getattr(answer, "Succes", True) is False:
        return answer.Beskeder
    return []


def test_the_families_come_from_the_plan():
    assert len(BY_ID) >= 9 and {form for _, form in BY_ID} == {
        "Anmodning",
        "Ivaerksaettelse",
        "Tilbudstilknytning",
    }
    assert len(WITH_KOMMUNE) >= 4 and WITH_ANMODNING == [
        "AfslutBehandling",
        "IndsaetIvaerksaettelse",
    ]


@pytest.mark.parametrize(("action", "form"), BY_ID, ids=[a for a, _ in BY_ID])
def test_each_action_by_id_finds_a_stored_form_and_refuses_an_unknown_id(serve, case, action, form):
    url = serve(kommune=101)
    anm_id, ivaer_id, tilb_ids = report(url, case)
    ids = {"Anmodning": anm_id, "Ivaerksaettelse": ivaer_id, "Tilbudstilknytning": tilb_ids[-1]}
    unknown = max(ids.values()) + 1
    refused = call(url, action, **{f"{form}Id": unknown})
    assert [b.Kode for b in refused] == ["SMDB-SERVER-ID"], refused
    assert str(unknown) in refused[0].Tekst
    found = call(url, action, **{f"{form}Id": ids[form]})
    assert "SMDB-SERVER-ID" not in {b.Kode for b in found}, found


@pytest.mark.parametrize("action", WITH_KOMMUNE)
def test_each_kommune_parameter_must_be_the_callers_myndighed(serve, action):
    url = serve(kommune=101)
    params = {c.name: "1503901234" for c in OPERATIONS[action][1].params if c.kind == "str"}
    refused = call(url, action, KommuneKode=147, **params)
    assert [(b.Kode, b.FeltId) for b in refused] == [("SMDB-SERVER-MYNDIGHED", "8-ANM")]
    assert call(url, action, KommuneKode=101, **params) == []
    assert call(url, action, **params) == []  # left out: the caller's


@pytest.mark.parametrize("action", WITH_ANMODNING)
def test_each_insert_must_be_for_the_callers_myndighed(serve, case, action):
    url = serve(kommune=101)
    other = case.Anmodning.model_copy(update={"KommuneKode": 147})
    form = next(c.name for c in OPERATIONS[action][1].params if c.name != "Anmodning")
    refused = call(url, action, Anmodning=other, **{form: getattr(case, form)})
    assert [(b.Kode, b.FeltId) for b in refused] == [("SMDB-SERVER-MYNDIGHED", "8-ANM")]
    assert soap.HentDataClient(url).HentAnmodninger(PersonIdentifikator="1503901234") == []


@pytest.mark.parametrize("action", WITH_ANMODNING)
@pytest.mark.parametrize("days", [-1, 0])
def test_an_update_may_not_move_the_anmodningsdato_across_the_sanering(serve, case, action, days):
    """The stored anmodningsdato is after the sanering: the day before it is across, the
    sanering day itself is not (the date is the first day of the new side)."""
    url = serve(kommune=101)
    anm_id, ivaer_id, _ = report(url, case)
    moved = case.Anmodning.model_copy(
        update={"Id": anm_id, "BehandlingAnmodningDato": service.SANERING + dt.timedelta(days)}
    )
    form = next(c.name for c in OPERATIONS[action][1].params if c.name != "Anmodning")
    value = getattr(case, form).model_copy(
        update={"Id": ivaer_id if form == "Ivaerksaettelse" else None}
    )
    kodes = [b.Kode for b in call(url, action, Anmodning=moved, **{form: value})]
    if days < 0:
        assert kodes == ["SMDB-SERVER-SANERING"]
    else:
        assert "SMDB-SERVER-SANERING" not in kodes
