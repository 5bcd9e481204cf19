"""The emulator's own server checks (ids `SMDB-SERVER-*`, PROVENANCE E1) are the spec's: the
generated table is exactly `service_facts.server_checks`, and a rejection over HTTP carries the
spec's text, filled in, with its Felt-ID."""

from __future__ import annotations

import json

import pytest

from soap.conftest import ROOT, generated_module

soap = generated_module("smdb.soap")
service = generated_module("smdb.emulator.service")
SPEC = json.loads((ROOT / "spec" / "canonical" / "2026-01-01.json").read_text(encoding="utf-8"))
CHECKS = {c["id"]: c for c in SPEC["service_facts"]["server_checks"]}


def _message(check: str, key: str) -> dict:
    return next(m for m in CHECKS[check]["messages"] if m["key"] == key)


def test_the_emulators_server_checks_are_exactly_the_specs():
    from_spec = {
        check_id: {m["key"]: (m["text_da"], m["felt_id"]) for m in check["messages"]}
        for check_id, check in CHECKS.items()
    }
    assert from_spec == service.SERVER_CHECKS
    assert {c["basis"] for c in CHECKS.values()} == {"inferred"}
    assert all("E1" in c["cites"] for c in CHECKS.values())


def test_a_server_rejection_carries_the_specs_text_and_felt_id(emulator_url, case):
    ind = soap.IndsaetDataClient(emulator_url)
    ivaer_id = ind.IndsaetIvaerksaettelse(
        Anmodning=case.Anmodning, Ivaerksaettelse=case.Ivaerksaettelse
    )
    unknown = case.Tilbudstilknytninger[0].model_copy(update={"TilbudId": 99999})
    with pytest.raises(soap.SoapFault) as raised:
        ind.IndsaetTilbudstilknytning(IvaerksaettelseId=ivaer_id, Tilbudstilknytning=unknown)
    tilbud = _message("SMDB-SERVER-TILBUD", "unknown")
    assert [(b.Kode, b.Tekst, b.FeltId) for b in raised.value.beskeder] == [
        ("SMDB-SERVER-TILBUD", tilbud["text_da"].format(tilbud=99999), tilbud["felt_id"])
    ]
    other = case.Anmodning.model_copy(update={"KommuneKode": 147})
    with pytest.raises(soap.SoapFault) as raised:
        ind.IndsaetIvaerksaettelse(Anmodning=other, Ivaerksaettelse=case.Ivaerksaettelse)
    myndighed = _message("SMDB-SERVER-MYNDIGHED", "other")
    assert [(b.Kode, b.Tekst, b.FeltId) for b in raised.value.beskeder] == [
        (
            "SMDB-SERVER-MYNDIGHED",
            myndighed["text_da"].format(kode=147, myndighed=101),
            myndighed["felt_id"],
        )
    ]
    assert raised.value.beskeder[0].Tekst == "KommuneKode 147 er ikke din myndighed (101)."
