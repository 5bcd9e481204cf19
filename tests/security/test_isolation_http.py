"""Each myndighed sees only its own: kommune 147, with its own valid token and signature, can
neither read, change nor delete kommune 101's case, by any action (over real HTTP)."""

from __future__ import annotations

import json

import pytest
from soap.conftest import BASE_CASE, generated_module

# Actions that hold no per-myndighed data: the retired forms (nothing can be stored), the
# shared registers, and TokenTest.
NOT_PER_MYNDIGHED = {
    "HentAlleTilbud",
    "HentLandeliste",
    "HentYdelsespakker",
    "HentIndskrivninger",
    "HentYdelser",
    "HentKvalHep",
    "HentAsiForMyndighed",
    "HentAsiForTilbud",
    "HentKvalHepMedId",
    "SletKvalHep",
    "IndsaetKvalHep",
    "IndsaetIndskrivning",
    "IndsaetYdelse",
    "AfslutIndskrivning",
    "IndsaetAsi",
}


@pytest.fixture
def stored(secure_emulator):
    """Kommune 101's active case (anmodning, iværksættelse, tilbudstilknytninger), as stored."""
    data = json.loads(BASE_CASE.read_text(encoding="utf-8"))
    data.pop("Afslutning")
    case = generated_module("smdb.models").Kontaktforloeb.model_validate(data)
    hook = secure_emulator.hook("101")
    with generated_module("smdb.soap.cases").Exchange(
        secure_emulator.url, hook=hook, retries=0
    ) as exchange:
        assert all(a.accepted for a in exchange.send(case))
        [snapshot] = exchange.fetch()
    return case, snapshot


def _ids(snapshot):
    return (
        snapshot["Anmodning"]["Id"],
        snapshot["Ivaerksaettelse"]["Id"],
        snapshot["Tilbudstilknytninger"][0]["Id"],
    )


def _attempts(case, snapshot):
    """Action -> its parameters aimed at kommune 101's case."""
    anm, ivaer, tilb = _ids(snapshot)
    cpr = case.Anmodning.PersonIdentifikator
    models = generated_module("smdb.models")
    own_anmodning = case.Anmodning.model_copy(update={"Id": anm})
    afslutning = models.AfslutningSkema.model_validate(
        json.loads(BASE_CASE.read_text(encoding="utf-8"))["Afslutning"]
    )
    tilknytning = case.Tilbudstilknytninger[0]
    return {
        "HentAnmodning": {"AnmodningId": anm},
        "HentIvaerksaettelse": {"IvaerksaettelseId": ivaer},
        "HentIvaerksaettelseForAnmodning": {"AnmodningId": anm},
        "HentTilbudstilknytning": {"TilbudstilknytningId": tilb},
        "HentTilbudstilknytningForIvaerksaettelse": {"IvaerksaettelseId": ivaer},
        "HentAnmodninger": {"PersonIdentifikator": cpr},
        "HentIvaerksaettelser": {"PersonIdentifikator": cpr},
        "HentTilbudstilknytninger": {"PersonIdentifikator": cpr},
        "HentAktiveKontaktForloebIMyndighed": {},
        "IndsaetIvaerksaettelse": {
            "Anmodning": own_anmodning,
            "Ivaerksaettelse": case.Ivaerksaettelse.model_copy(update={"Id": ivaer}),
        },
        "IndsaetTilbudstilknytning": {
            "IvaerksaettelseId": ivaer,
            "Tilbudstilknytning": tilknytning,
        },
        "AfslutBehandling": {"Anmodning": own_anmodning, "Afslutning": afslutning},
        "SletTilbudsTilknytning": {"TilbudstilknytningId": tilb},
        "SletIvaerksaettelse": {"IvaerksaettelseId": ivaer},
        "SletAnmodning": {"AnmodningId": anm},
        "SletHeltForloeb": {"AnmodningId": anm},
    }


def _client(secure_emulator, action: str, kommune: str):
    service = "HentData" if action.startswith("Hent") else "IndsaetData"
    return secure_emulator.client(service, kommune)


def test_another_myndighed_can_neither_read_change_nor_delete(secure_emulator, stored):
    case, snapshot = stored
    errors = generated_module("smdb.soap.errors")
    attempts = _attempts(case, snapshot)
    soap = generated_module("smdb.soap._codec")
    every = {
        name for service in ("HentData", "IndsaetData") for name in soap.SERVICES[service]["v1"][1]
    }
    assert every - NOT_PER_MYNDIGHED == set(attempts)  # every action that touches cases
    outcomes = {}
    for action, params in attempts.items():
        client = _client(secure_emulator, action, "147")
        try:
            result = getattr(client, action)(**params)
        except errors.SoapFault as fault:
            outcomes[action] = "refused"
            assert "findes ikke" in str(fault) or "myndighed" in str(fault), (action, fault)
            continue
        if isinstance(result, list):  # a search: 147 finds nothing of 101's
            outcomes[action] = result or "empty"
        elif hasattr(result, "KontaktforloebListe"):
            outcomes[action] = result if result.KontaktforloebListe else "empty"
        else:  # Slet*: an answer that did not succeed
            outcomes[action] = "refused" if result.Succes is False else result
    assert all(o in ("refused", "empty") for o in outcomes.values()), outcomes
    # kommune 101's case is exactly as it was
    with generated_module("smdb.soap.cases").Exchange(
        secure_emulator.url, hook=secure_emulator.hook("101"), retries=0
    ) as exchange:
        assert exchange.fetch() == [snapshot]


def test_naming_another_myndighed_is_refused(secure_emulator, stored):
    case, snapshot = stored
    errors = generated_module("smdb.soap.errors")
    hent = secure_emulator.client("HentData", "147")
    svar = hent.HentAktiveKontaktForloebIMyndighed(KommuneKode=101)
    assert svar.Succes is False and not svar.KontaktforloebListe
    assert "ikke din myndighed" in svar.Beskeder[0].Tekst
    with pytest.raises(errors.SoapFault, match="ikke din myndighed"):
        hent.HentAnmodninger(
            PersonIdentifikator=case.Anmodning.PersonIdentifikator, KommuneKode=101
        )
    # a new case reported in 101's name, and 101 moving its own case to 147
    indsaet_147 = secure_emulator.client("IndsaetData", "147")
    with pytest.raises(errors.SoapFault, match="ikke din myndighed"):
        indsaet_147.IndsaetIvaerksaettelse(
            Anmodning=case.Anmodning, Ivaerksaettelse=case.Ivaerksaettelse
        )
    anm, ivaer, _ = _ids(snapshot)
    moved = case.Anmodning.model_copy(update={"Id": anm, "KommuneKode": 147})
    with pytest.raises(errors.SoapFault, match="ikke din myndighed"):
        secure_emulator.client("IndsaetData", "101").IndsaetIvaerksaettelse(
            Anmodning=moved, Ivaerksaettelse=case.Ivaerksaettelse.model_copy(update={"Id": ivaer})
        )
    assert secure_emulator.emulator.store.case_ids(147) == []
    assert len(secure_emulator.emulator.store.case_ids(101)) == 1


def test_the_owner_still_can(secure_emulator, stored):
    """The same attempts by kommune 101 itself succeed (so the refusals above are isolation)."""
    _, snapshot = stored
    anm, ivaer, tilb = _ids(snapshot)
    hent = secure_emulator.client("HentData", "101")
    assert hent.HentAnmodning(AnmodningId=anm).Anmodning.Id == anm
    assert hent.HentIvaerksaettelse(IvaerksaettelseId=ivaer).Ivaerksaettelse.Id == ivaer
    assert hent.HentTilbudstilknytning(TilbudstilknytningId=tilb).Tilbudstilknytning.Id == tilb
    assert len(hent.HentAktiveKontaktForloebIMyndighed().KontaktforloebListe) == 1
    indsaet = secure_emulator.client("IndsaetData", "101")
    assert indsaet.SletHeltForloeb(AnmodningId=anm).Succes is True
    assert secure_emulator.rows() == 0
