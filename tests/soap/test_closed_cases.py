"""A closed case over real HTTP: what the emulator takes after an afslutning.

- A tilbudstilknytning of a closed case can be corrected by its Id (§5.1 line 2327: data can be
  revised; §6.1.4 a-b judge a tilknytning against the afslutning): the business rules decide,
  on both sides of their boundary (4-TILB on 1-AFSL, and one day after it).
- One afslutning per kontaktforløb (§6.1.5, lines 2600-2604): a second one for the same stored
  anmodning is refused, its correction by Id is not. The same AfslutBehandling with a new
  Anmodning sent twice is two kontaktforløb; nothing states that a borger may not have two
  with the same anmodningsdato, so both are accepted (PROVENANCE D44).
"""

from __future__ import annotations

import datetime as dt

import pytest

from soap.conftest import TODAY, generated_module
from soap.test_lifecycle import report

soap = generated_module("smdb.soap")
cases = generated_module("smdb.soap.cases")
validation = generated_module("smdb.validation")


def _closed(url: str, case) -> tuple[int, list[int], int]:
    """The whole case reported and closed: (anmodning id, tilknytning ids, afslutning id)."""
    anm_id, _, tilb_ids = report(url, case)
    anmodning = case.Anmodning.model_copy(update={"Id": anm_id})
    afsl_id = soap.IndsaetDataClient(url).AfslutBehandling(
        Anmodning=anmodning, Afslutning=case.Afslutning
    )
    return anm_id, tilb_ids, afsl_id


def _day(value: dt.date, days: int) -> dt.date:
    return value + dt.timedelta(days=days)


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
def test_a_tilknytning_is_corrected_by_its_id_before_and_after_the_afslutning(serve, case, closed):
    url = serve(kommune=101)
    if closed:
        _, tilb_ids, _ = _closed(url, case)
    else:
        _, _, tilb_ids = report(url, case)
    first = case.Tilbudstilknytninger[0]
    corrected = first.model_copy(
        update={"Id": tilb_ids[0], "BehandlingIntensitetKode": "02"}  # 01 -> 02
    )
    ivaer_id = (
        soap.HentDataClient(url)
        .HentTilbudstilknytning(TilbudstilknytningId=tilb_ids[0])
        .Tilbudstilknytning.IvaerksaettelseId
    )
    answer = soap.IndsaetDataClient(url).IndsaetTilbudstilknytning(
        IvaerksaettelseId=ivaer_id, Tilbudstilknytning=corrected
    )
    assert answer == tilb_ids[0]
    stored = soap.HentDataClient(url).HentTilbudstilknytning(TilbudstilknytningId=tilb_ids[0])
    assert stored.Tilbudstilknytning.BehandlingIntensitetKode == "02"


@pytest.mark.parametrize("days", [0, 1], ids=["on-1-AFSL", "after-1-AFSL"])
def test_a_correction_after_the_afslutning_is_judged_by_the_business_rules(serve, case, days):
    """4-TILB moved to 1-AFSL is accepted; one day later the rules of §6.1.4/§6.1.5 refuse
    it, with exactly the errors `smdb.validation` finds in the corrected case."""
    url = serve(kommune=101)
    _, tilb_ids, _ = _closed(url, case)
    hent = soap.HentDataClient(url)
    stored = hent.HentTilbudstilknytning(TilbudstilknytningId=tilb_ids[0]).Tilbudstilknytning
    end = _day(case.Afslutning.BehandlingAfsluttetDato, days)
    corrected = case.Tilbudstilknytninger[0].model_copy(
        update={"Id": tilb_ids[0], "TilbudTilknyttetBehandlingSlutDato": end}
    )
    expected = case.model_copy(
        update={"Tilbudstilknytninger": [corrected, *case.Tilbudstilknytninger[1:]]}
    )
    errors = {
        v.rule
        for v in validation.validate(
            expected.model_dump(mode="json"), today=dt.date.fromisoformat(TODAY)
        )
        if v.severity == "error"
    }
    assert bool(errors) == bool(days), errors  # the boundary is the rules', not ours
    ind = soap.IndsaetDataClient(url)
    if not days:
        assert (
            ind.IndsaetTilbudstilknytning(
                IvaerksaettelseId=stored.IvaerksaettelseId, Tilbudstilknytning=corrected
            )
            == tilb_ids[0]
        )
        now = hent.HentTilbudstilknytning(TilbudstilknytningId=tilb_ids[0]).Tilbudstilknytning
        assert now.TilbudTilknyttetBehandlingSlutDato == end
        return
    with pytest.raises(soap.SoapFault) as raised:
        ind.IndsaetTilbudstilknytning(
            IvaerksaettelseId=stored.IvaerksaettelseId, Tilbudstilknytning=corrected
        )
    assert {b.Kode for b in raised.value.beskeder} == errors
    now = hent.HentTilbudstilknytning(TilbudstilknytningId=tilb_ids[0]).Tilbudstilknytning
    assert now.TilbudTilknyttetBehandlingSlutDato == stored.TilbudTilknyttetBehandlingSlutDato


@pytest.mark.parametrize(
    "form", ["Anmodning", "Ivaerksaettelse", "Tilbudstilknytning", "Afslutning"]
)
def test_every_form_of_a_closed_case_can_be_sent_again_by_its_id(serve, case, form):
    """The family: after the afslutning each form is still a correction by its Id (§5.1),
    answered with that Id, and the case stays one."""
    url = serve(kommune=101)
    anm_id, ivaer_id, tilb_ids = report(url, case)
    anmodning = case.Anmodning.model_copy(update={"Id": anm_id})
    ind = soap.IndsaetDataClient(url)
    afsl_id = ind.AfslutBehandling(Anmodning=anmodning, Afslutning=case.Afslutning)
    ivaerksaettelse = case.Ivaerksaettelse.model_copy(update={"Id": ivaer_id})
    if form in ("Anmodning", "Ivaerksaettelse"):  # the anmodning travels with a form (D1)
        answer = ind.IndsaetIvaerksaettelse(Anmodning=anmodning, Ivaerksaettelse=ivaerksaettelse)
        assert answer == ivaer_id
    elif form == "Tilbudstilknytning":
        again = case.Tilbudstilknytninger[1].model_copy(update={"Id": tilb_ids[1]})
        answer = ind.IndsaetTilbudstilknytning(IvaerksaettelseId=ivaer_id, Tilbudstilknytning=again)
        assert answer == tilb_ids[1]
    else:
        afslutning = case.Afslutning.model_copy(update={"Id": afsl_id})
        assert ind.AfslutBehandling(Anmodning=anmodning, Afslutning=afslutning) == afsl_id
    hent = soap.HentDataClient(url)
    assert len(hent.HentAnmodninger(PersonIdentifikator=case.Anmodning.PersonIdentifikator)) == 1
    assert hent.HentAktiveKontaktForloebIMyndighed(KommuneKode=101).KontaktforloebListe == []


def test_a_new_tilknytning_after_the_afslutning_is_still_refused(serve, case):
    url = serve(kommune=101)
    _, tilb_ids, _ = _closed(url, case)
    ivaer_id = (
        soap.HentDataClient(url)
        .HentTilbudstilknytning(TilbudstilknytningId=tilb_ids[0])
        .Tilbudstilknytning.IvaerksaettelseId
    )
    with pytest.raises(soap.SoapFault) as raised:
        soap.IndsaetDataClient(url).IndsaetTilbudstilknytning(
            IvaerksaettelseId=ivaer_id, Tilbudstilknytning=case.Tilbudstilknytninger[1]
        )
    assert [b.Kode for b in raised.value.beskeder] == ["SMDB-SERVER-LIVSFORLOEB"]


def _not_started(case):
    """The case closed without iværksættelse (§6.1.2: only anmodning and afslutning)."""
    return case.model_copy(update={"Ivaerksaettelse": None, "Tilbudstilknytninger": []})


def test_the_same_afslutning_with_a_new_anmodning_twice_is_two_kontaktforloeb(serve, case):
    """D44: not refused on a guess. Each call makes its own anmodning and afslutning."""
    url = serve(kommune=101)
    closed = _not_started(case)
    ind, hent = soap.IndsaetDataClient(url), soap.HentDataClient(url)
    first = ind.AfslutBehandling(Anmodning=closed.Anmodning, Afslutning=closed.Afslutning)
    second = ind.AfslutBehandling(Anmodning=closed.Anmodning, Afslutning=closed.Afslutning)
    assert second != first
    stored = hent.HentAnmodninger(PersonIdentifikator=case.Anmodning.PersonIdentifikator)
    assert len({a.Id for a in stored}) == 2
    assert {a.BehandlingAnmodningDato for a in stored} == {case.Anmodning.BehandlingAnmodningDato}


def test_an_afslutning_with_a_new_anmodning_leaves_the_active_case_open(serve, case):
    """D44 too: closing without the anmodning's Id closes no stored case; it is a new, closed
    kontaktforløb beside the active one, which stays active (and is listed as such)."""
    url = serve(kommune=101)
    anm_id, _, _ = report(url, case)
    ind, hent = soap.IndsaetDataClient(url), soap.HentDataClient(url)
    ind.AfslutBehandling(Anmodning=case.Anmodning, Afslutning=case.Afslutning)
    active = hent.HentAktiveKontaktForloebIMyndighed(KommuneKode=101).KontaktforloebListe
    assert [c.Anmodning.Id for c in active] == [anm_id]
    assert len(hent.HentAnmodninger(PersonIdentifikator=case.Anmodning.PersonIdentifikator)) == 2


def test_a_second_afslutning_of_the_same_kontaktforloeb_is_refused(serve, case):
    """§6.1.5, stated: the stored anmodning (by its Id) with a new afslutning is refused, the
    same afslutning by its Id is a correction."""
    url = serve(kommune=101)
    closed = _not_started(case)
    ind, hent = soap.IndsaetDataClient(url), soap.HentDataClient(url)
    afsl_id = ind.AfslutBehandling(Anmodning=closed.Anmodning, Afslutning=closed.Afslutning)
    (stored,) = hent.HentAnmodninger(PersonIdentifikator=case.Anmodning.PersonIdentifikator)
    anmodning = closed.Anmodning.model_copy(update={"Id": stored.Id})
    with pytest.raises(soap.SoapFault) as raised:
        ind.AfslutBehandling(Anmodning=anmodning, Afslutning=closed.Afslutning)
    assert [b.Kode for b in raised.value.beskeder] == ["SMDB-SERVER-LIVSFORLOEB"]
    assert [b.FeltId for b in raised.value.beskeder] == ["1-AFSL"]
    correction = closed.Afslutning.model_copy(
        update={
            "Id": afsl_id,
            "BehandlingAfsluttetDato": _day(closed.Afslutning.BehandlingAfsluttetDato, -1),
        }
    )
    assert ind.AfslutBehandling(Anmodning=anmodning, Afslutning=correction) == afsl_id
    assert len(hent.HentAnmodninger(PersonIdentifikator=case.Anmodning.PersonIdentifikator)) == 1


def test_smdb_send_of_a_closed_case_twice_makes_no_second_case(serve, case):
    """What D44 relies on: `smdb send` fetches first and reports to the stored case of the
    same borger and anmodningsdato (E5), so a resent case is no second kontaktforløb."""
    url = serve(kommune=101)
    closed = _not_started(case)
    with cases.Exchange(url) as exchange:
        assert all(a.accepted for a in exchange.send(closed))
        (again,) = exchange.send(closed)
    # It cannot learn the afslutning's Id (no HentAfslutning, E4): the resent afslutning is
    # refused as a second one of the stored kontaktforløb, not stored as a new case.
    assert not again.accepted
    assert [b.Kode for b in again.beskeder] == ["SMDB-SERVER-LIVSFORLOEB"]
    stored = soap.HentDataClient(url).HentAnmodninger(
        PersonIdentifikator=case.Anmodning.PersonIdentifikator
    )
    assert len(stored) == 1
