"""The generated clients against the emulator over real HTTP: a whole case lifecycle, v1 and v0,
rejections worded as `smdb validate` words them, deletion and re-creation, a vendor change."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from soap.conftest import generated_module

soap = generated_module("smdb.soap")
validation = generated_module("smdb.validation")


def clients(url: str, version: str = "v1"):
    return soap.IndsaetDataClient(url, version=version), soap.HentDataClient(url, version=version)


def report(url: str, case, version: str = "v1") -> tuple[int, int, list[int]]:
    """ANM+IVÆR, each TILB, AFSL: (anmodning id, iværksættelse id, tilknytning ids)."""
    ind, hent = clients(url, version)
    ivaer_id = ind.IndsaetIvaerksaettelse(
        Anmodning=case.Anmodning, Ivaerksaettelse=case.Ivaerksaettelse
    )
    anm_id = hent.HentIvaerksaettelse(IvaerksaettelseId=ivaer_id).Ivaerksaettelse.AnmodningId
    tilb_ids = [
        ind.IndsaetTilbudstilknytning(IvaerksaettelseId=ivaer_id, Tilbudstilknytning=t)
        for t in case.Tilbudstilknytninger
    ]
    return anm_id, ivaer_id, tilb_ids


@pytest.mark.parametrize("version", ["v1", "v0"])
def test_full_lifecycle_with_parallel_tilknytninger(emulator_url, case, version):
    ind, hent = clients(emulator_url, version)
    anm_id, ivaer_id, tilb_ids = report(emulator_url, case, version)
    assert len(set(tilb_ids)) == 2
    active = hent.HentAktiveKontaktForloebIMyndighed(KommuneKode=101)
    assert active.ok and len(active.KontaktforloebListe) == 1
    stored = active.KontaktforloebListe[0]
    assert stored.Ivaerksaettelse.HenvisningPaaOpfordringAfListe == ["01", "22"]
    assert [t.TilbudId for t in stored.Tilbudstilknytninger] == [4711, 4712]
    anmodning = case.Anmodning.model_copy(update={"Id": anm_id})
    afsl_id = ind.AfslutBehandling(Anmodning=anmodning, Afslutning=case.Afslutning)
    assert afsl_id > max(tilb_ids)
    assert hent.HentAktiveKontaktForloebIMyndighed(KommuneKode=101).KontaktforloebListe == []
    found = hent.HentTilbudstilknytningForIvaerksaettelse(IvaerksaettelseId=ivaer_id)
    assert [t.Id for t in found.TilbudstilknytningListe] == tilb_ids
    assert hent.HentAnmodning(AnmodningId=anm_id).Anmodning.PersonIdentifikator == "1503901234"


def test_async_client_reports_and_fetches(emulator_url, case):
    async def run():
        async with (
            soap.AsyncIndsaetDataClient(emulator_url) as ind,
            soap.AsyncHentDataClient(emulator_url) as hent,
        ):
            ivaer_id = await ind.IndsaetIvaerksaettelse(
                Anmodning=case.Anmodning, Ivaerksaettelse=case.Ivaerksaettelse
            )
            return await hent.HentIvaerksaettelse(IvaerksaettelseId=ivaer_id)

    svar = asyncio.run(run())
    assert (
        svar.ok
        and svar.Ivaerksaettelse.IvaerksatBehandlingDato
        == case.Ivaerksaettelse.IvaerksatBehandlingDato
    )


def test_rule_rejection_carries_the_validators_rule_felt_ids_and_message(emulator_url, case):
    bad = case.Ivaerksaettelse.model_copy(update={"BoernErTilknyttetHusstandenIndikator": None})
    local = {
        "Anmodning": case.Anmodning.model_dump(mode="json", exclude_none=True),
        "Ivaerksaettelse": bad.model_dump(mode="json", exclude_none=True),
    }
    found = validation.validate(local, today=dt.date(2026, 11, 1))
    expected = [v for v in found if v.severity == "error"]
    assert expected
    ind, hent = clients(emulator_url)
    with pytest.raises(soap.SoapFault) as raised:
        ind.IndsaetIvaerksaettelse(Anmodning=case.Anmodning, Ivaerksaettelse=bad)
    got = [(b.Kode, b.Tekst, b.FeltId) for b in raised.value.beskeder]
    assert got == [(v.rule, v.message_da, ",".join(v.felt_ids)) for v in expected]
    assert raised.value.action == "IndsaetIvaerksaettelse"
    assert hent.HentAnmodninger(PersonIdentifikator="1503901234") == []  # nothing stored


def test_second_active_case_for_the_borger_is_refused(emulator_url, case):
    ind, _ = clients(emulator_url)
    report(emulator_url, case)
    with pytest.raises(soap.SoapFault) as raised:
        ind.IndsaetIvaerksaettelse(Anmodning=case.Anmodning, Ivaerksaettelse=case.Ivaerksaettelse)
    assert [b.Kode for b in raised.value.beskeder] == ["SMDB-SAG-AKTIV"]


def test_lifecycle_order_and_references(emulator_url, case):
    ind, hent = clients(emulator_url)
    with pytest.raises(soap.SoapFault) as raised:  # no such iværksættelse
        ind.IndsaetTilbudstilknytning(
            IvaerksaettelseId=999, Tilbudstilknytning=case.Tilbudstilknytninger[0]
        )
    assert raised.value.beskeder[0].Kode == "SMDB-SERVER-ID"
    anm_id, ivaer_id, _ = report(emulator_url, case)
    unknown = case.Tilbudstilknytninger[0].model_copy(update={"TilbudId": 99999})
    with pytest.raises(soap.SoapFault) as raised:
        ind.IndsaetTilbudstilknytning(IvaerksaettelseId=ivaer_id, Tilbudstilknytning=unknown)
    assert raised.value.beskeder[0].Kode == "SMDB-SERVER-TILBUD"
    anmodning = case.Anmodning.model_copy(update={"Id": anm_id})
    ind.AfslutBehandling(Anmodning=anmodning, Afslutning=case.Afslutning)
    with pytest.raises(soap.SoapFault) as raised:  # after AFSL, no TILB
        ind.IndsaetTilbudstilknytning(
            IvaerksaettelseId=ivaer_id, Tilbudstilknytning=case.Tilbudstilknytninger[0]
        )
    assert raised.value.beskeder[0].Kode == "SMDB-SERVER-LIVSFORLOEB"
    assert not hent.HentAnmodning(AnmodningId=123456).ok


def test_update_may_not_move_anmodningsdato_across_the_sanering(emulator_url, case):
    ind, _ = clients(emulator_url)
    anm_id, ivaer_id, _ = report(emulator_url, case)
    moved = case.Anmodning.model_copy(
        update={"Id": anm_id, "BehandlingAnmodningDato": dt.date(2019, 6, 1)}
    )
    same = case.Ivaerksaettelse.model_copy(update={"Id": ivaer_id})
    with pytest.raises(soap.SoapFault) as raised:
        ind.IndsaetIvaerksaettelse(Anmodning=moved, Ivaerksaettelse=same)
    assert [(b.Kode, b.FeltId) for b in raised.value.beskeder] == [
        ("SMDB-SERVER-SANERING", "2-ANM")
    ]


def test_delete_backwards_then_recreate(emulator_url, case):
    ind, hent = clients(emulator_url)
    anm_id, ivaer_id, tilb_ids = report(emulator_url, case)
    refused = ind.SletIvaerksaettelse(IvaerksaettelseId=ivaer_id)  # tilknytninger first (§5.1)
    assert not refused.ok and refused.Beskeder[0].Kode == "SMDB-SERVER-LIVSFORLOEB"
    for tilb_id in tilb_ids:
        assert ind.SletTilbudsTilknytning(TilbudstilknytningId=tilb_id).ok
    assert ind.SletIvaerksaettelse(IvaerksaettelseId=ivaer_id).ok
    assert ind.SletAnmodning(AnmodningId=anm_id).ok
    assert hent.HentAnmodninger(PersonIdentifikator="1503901234") == []
    anm_id2, _, _ = report(emulator_url, case)  # re-created, a new Id
    assert anm_id2 != anm_id
    assert ind.SletHeltForloeb(AnmodningId=anm_id2).ok
    assert hent.HentAktiveKontaktForloebIMyndighed(KommuneKode=101).KontaktforloebListe == []


def test_vendor_change_takes_over_active_cases(emulator_url, case):
    report(emulator_url, case)  # the old vendor
    _, hent = clients(emulator_url)  # the new vendor's system, starting empty
    taken = hent.HentAktiveKontaktForloebIMyndighed(KommuneKode=101).KontaktforloebListe
    assert len(taken) == 1
    ind, _ = clients(emulator_url)
    afsl_id = ind.AfslutBehandling(Anmodning=taken[0].Anmodning, Afslutning=case.Afslutning)
    assert hent.HentAktiveKontaktForloebIMyndighed(KommuneKode=101).KontaktforloebListe == []
    assert afsl_id > 0


def test_other_myndighed_and_retired_forms_are_refused(emulator_url, case):
    ind, hent = clients(emulator_url)
    other = case.Anmodning.model_copy(update={"KommuneKode": 147})
    with pytest.raises(soap.SoapFault) as raised:
        ind.IndsaetIvaerksaettelse(Anmodning=other, Ivaerksaettelse=case.Ivaerksaettelse)
    assert raised.value.beskeder[0].FeltId == "8-ANM"
    assert hent.HentAktiveKontaktForloebIMyndighed(KommuneKode=147).Succes is False
    from lxml import etree

    with pytest.raises(soap.SoapFault) as raised:
        ind.IndsaetKvalHep(KvalHep=etree.fromstring("<KvalHep><Id>1</Id></KvalHep>"))
    assert raised.value.beskeder[0].Kode == "SMDB-SERVER-UDGAAET"


def test_seed_lists_and_tokentest(emulator_url):
    _, hent = clients(emulator_url)
    assert 4711 in {t.TilbudId for t in hent.HentAlleTilbud()}
    assert ("DK", "Danmark") in {(land.Kode, land.Navn) for land in hent.HentLandeliste()}
    token = soap.TokenTestClient(emulator_url, version="v0")
    assert token.Echo(Tekst="hej") == "hej"
    assert token.WhoAmI() == "Myndighed 101"
    with pytest.raises(soap.SoapFault):
        token.Throw()
