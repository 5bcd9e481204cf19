"""The emulator rejects with exactly what `smdb validate` says, for each family of rules;
concurrent requests keep the one-active-case rule; the security hooks are a real seam."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from soap.conftest import generated_module

soap = generated_module("smdb.soap")
validation = generated_module("smdb.validation")
TODAY = dt.date(2026, 11, 1)


def _json(model) -> dict:
    return model.model_dump(mode="json", exclude_none=True)


def _expected(case: dict) -> list[tuple]:
    found = validation.validate(case, today=TODAY)
    return [(v.rule, v.message_da, ",".join(v.felt_ids)) for v in found if v.severity == "error"]


def _got(fault) -> list[tuple]:
    return [(b.Kode, b.Tekst, b.FeltId or "") for b in fault.beskeder]


FAMILIES = {  # kravspec section: (form, field, bad value, a rule id that must be among them)
    "6.1.1 felter": ("Anmodning", "BehandlingTidligereKode", "77", "SMDB-FELT-KODE-UKENDT"),
    "6.1.3 iværksættelse": (
        "Ivaerksaettelse",
        "BoernErTilknyttetHusstandenIndikator",
        None,
        "SMDB-IVÆR-45",
    ),
    "6.1.4 tilbud": (
        "Tilbudstilknytning",
        "TilbudTilknyttetBehandlingStartDato",
        dt.date(2026, 2, 4),
        None,
    ),
    "6.1.5 afslutning": ("Afslutning", "BehandlingAfsluttetDato", dt.date(2026, 2, 3), None),
}


@pytest.mark.parametrize("family", FAMILIES)
def test_each_rule_family_is_rejected_as_validate_words_it(emulator_url, case, family):
    form, name, value, rule = FAMILIES[family]
    ind = soap.IndsaetDataClient(emulator_url)
    hent = soap.HentDataClient(emulator_url)
    anm, ivaer = case.Anmodning, case.Ivaerksaettelse
    if form in ("Anmodning", "Ivaerksaettelse"):
        bad = getattr(case, form).model_copy(update={name: value})
        anm, ivaer = (bad, ivaer) if form == "Anmodning" else (anm, bad)
        local = {"Anmodning": _json(anm), "Ivaerksaettelse": _json(ivaer)}
        with pytest.raises(soap.SoapFault) as raised:
            ind.IndsaetIvaerksaettelse(Anmodning=anm, Ivaerksaettelse=ivaer)
    else:
        ivaer_id = ind.IndsaetIvaerksaettelse(Anmodning=anm, Ivaerksaettelse=ivaer)
        local = {"Anmodning": _json(anm), "Ivaerksaettelse": _json(ivaer)}
        tilb = case.Tilbudstilknytninger[0]
        if form == "Tilbudstilknytning":
            tilb = tilb.model_copy(update={name: value})
            local["Tilbudstilknytninger"] = [_json(tilb)]
            with pytest.raises(soap.SoapFault) as raised:
                ind.IndsaetTilbudstilknytning(IvaerksaettelseId=ivaer_id, Tilbudstilknytning=tilb)
        else:
            ind.IndsaetTilbudstilknytning(IvaerksaettelseId=ivaer_id, Tilbudstilknytning=tilb)
            local["Tilbudstilknytninger"] = [_json(tilb)]
            afsl = case.Afslutning.model_copy(update={name: value})
            local["Afslutning"] = _json(afsl)
            anm_id = hent.HentIvaerksaettelse(
                IvaerksaettelseId=ivaer_id
            ).Ivaerksaettelse.AnmodningId
            with pytest.raises(soap.SoapFault) as raised:
                ind.AfslutBehandling(
                    Anmodning=anm.model_copy(update={"Id": anm_id}), Afslutning=afsl
                )
    expected = _expected(local)
    assert expected and _got(raised.value) == expected
    assert rule is None or rule in {kode for kode, _, _ in expected}


def test_concurrent_inserts_all_kept_and_one_active_case_per_borger(emulator_url, case):
    accepted, refused = [], []
    lock = threading.Lock()

    def insert(cpr: str) -> None:
        anm = case.Anmodning.model_copy(update={"PersonIdentifikator": cpr})
        with soap.IndsaetDataClient(emulator_url) as ind:
            try:
                ivaer_id = ind.IndsaetIvaerksaettelse(
                    Anmodning=anm, Ivaerksaettelse=case.Ivaerksaettelse
                )
                with lock:
                    accepted.append((cpr, ivaer_id))
            except soap.SoapFault as fault:
                with lock:
                    refused.append((cpr, [b.Kode for b in fault.beskeder]))

    cprs = [f"150390{n:04d}" for n in range(16)] + ["1503909999"] * 8  # 8 race for one borger
    threads = [threading.Thread(target=insert, args=(cpr,)) for cpr in cprs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(accepted) == 17 and len({i for _, i in accepted}) == 17
    assert refused == [("1503909999", ["SMDB-SAG-AKTIV"])] * 7
    active = soap.HentDataClient(emulator_url).HentAktiveKontaktForloebIMyndighed()
    assert len(active.KontaktforloebListe) == 17


class Signer:
    """A stand-in for #11's signer: marks the envelope and refuses unmarked answers."""

    def __init__(self, refuse_answers: bool = False):
        self.refuse_answers = refuse_answers
        self.seen: list[str] = []

    def outgoing(self, envelope: bytes, *, action: str, url: str):
        self.seen.append(action)
        return envelope.replace(
            b"<s:Body>", b"<s:Header><Signed>147</Signed></s:Header><s:Body>"
        ), {"X-Test": "1"}

    def incoming(self, envelope: bytes, *, action: str, request: bytes) -> None:
        assert b"<Signed>147</Signed>" in request  # the request as sent, signed
        if self.refuse_answers:
            raise soap.SecurityError(action, "the answer is not signed")


class Verifier:
    def verify(self, envelope: bytes, *, action: str, headers) -> int:
        if b"<Signed>147</Signed>" not in envelope or headers.get("x-test") != "1":
            raise soap.SecurityError(action, "usigneret forespørgsel")
        return 147


def test_security_hooks_sign_verify_and_name_the_myndighed(serve, case):
    url = serve(hook=Verifier())
    signer = Signer()
    assert soap.TokenTestClient(url, hook=signer).WhoAmI() == "Myndighed 147"
    assert signer.seen == ["http://smdb.dst.dk/api/external/v1/ISecureTokenTest/WhoAmI"]
    with pytest.raises(soap.SoapFault) as raised:  # unsigned: refused, nothing stored
        soap.IndsaetDataClient(url).IndsaetIvaerksaettelse(
            Anmodning=case.Anmodning, Ivaerksaettelse=case.Ivaerksaettelse
        )
    assert "usigneret" in raised.value.message
    own = case.Anmodning.model_copy(update={"KommuneKode": 147})
    signed = soap.HentDataClient(url, hook=signer)
    assert signed.HentAnmodninger(PersonIdentifikator=own.PersonIdentifikator) == []
    with pytest.raises(soap.SecurityError):
        soap.TokenTestClient(url, hook=Signer(refuse_answers=True)).WhoAmI()


def test_seed_files_are_replaceable_and_a_broken_one_is_named(serve, tmp_path):
    (tmp_path / "tilbud.csv").write_text(
        "TilbudId,Navn,Postnummer,KommuneKode\n55555,Mit tilbud,8000,751\n", encoding="utf-8"
    )
    (tmp_path / "lande.csv").write_text("Kode,Navn\nFI,Finland\n", encoding="utf-8")
    url = serve(seed=tmp_path)
    hent = soap.HentDataClient(url)
    assert [t.TilbudId for t in hent.HentAlleTilbud()] == [55555]
    assert [land.Navn for land in hent.HentLandeliste()] == ["Finland"]
    (tmp_path / "tilbud.csv").write_text("TilbudId,Navn\nx,y\n", encoding="utf-8")
    emulator = generated_module("smdb.emulator")
    with pytest.raises(ValueError, match=r"tilbud.csv:2"):
        emulator.load_seed(tmp_path)
