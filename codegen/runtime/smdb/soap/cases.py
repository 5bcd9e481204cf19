"""Whole cases over the wire: report a case document form by form in §1.2's order, fetching
first so that stored Ids are known, and read a myndighed's cases back in the same shape.

    from smdb.soap.cases import Exchange
    exchange = Exchange("http://127.0.0.1:8080")          # or "preprod"
    answers = exchange.send(case)                        # one Answer per form
    cases = exchange.fetch(active=True)                  # case documents (dicts)

Sending a case: the stored anmodning of the same borger and anmodningsdato is fetched
(HentAnmodninger) with its iværksættelse and tilknytninger, and the case's forms take their
Ids, so that a form sent again is an update, not a second case. Then IndsaetIvaerksaettelse,
each IndsaetTilbudstilknytning, and AfslutBehandling. The kravspec has no IndsaetAnmodning
action (PROVENANCE D1): an anmodning travels with its iværksættelse or afslutning. Fetching:
there is no action that reads an afslutning by itself (§1.2.1), so a closed case fetched by CPR
comes without it; HentAktiveKontaktForloebIMyndighed returns the active cases whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from .. import models
from .client import HentDataClient, IndsaetDataClient
from .errors import SoapFault

T = TypeVar("T")


@dataclass(frozen=True)
class Answer:
    """SMDB's answer to one form: accepted with its Id, or rejected with DST's messages."""

    form: str
    accepted: bool
    id: int | None = None
    beskeder: list[Any] = field(default_factory=list)


class Exchange:
    def __init__(self, endpoint: str, **options: Any):
        self.hent = HentDataClient(endpoint, **options)
        self.indsaet = IndsaetDataClient(endpoint, **options)

    def close(self) -> None:
        self.hent.close()
        self.indsaet.close()

    def __enter__(self) -> Exchange:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- sending ------------------------------------------------------------------------------

    def send(self, case: models.Kontaktforloeb) -> list[Answer]:
        case = self._with_stored_ids(case)
        answers: list[Answer] = []
        anmodning = case.Anmodning
        if case.Ivaerksaettelse is not None:
            answer = self._insert(
                "Ivaerksaettelse",
                self.indsaet.IndsaetIvaerksaettelse,
                Anmodning=anmodning,
                Ivaerksaettelse=case.Ivaerksaettelse,
            )
            answers.append(answer)
            if not answer.accepted:
                return answers
            stored = _answered(self.hent.HentIvaerksaettelse(IvaerksaettelseId=answer.id))
            ivaerksaettelse = _answered(stored.Ivaerksaettelse)
            anmodning = anmodning.model_copy(update={"Id": ivaerksaettelse.AnmodningId})
            for tilknytning in case.Tilbudstilknytninger or []:
                answers.append(
                    self._insert(
                        "Tilbudstilknytning",
                        self.indsaet.IndsaetTilbudstilknytning,
                        IvaerksaettelseId=answer.id,
                        Tilbudstilknytning=tilknytning,
                    )
                )
            if not all(a.accepted for a in answers):
                return answers
        if case.Afslutning is not None:
            answers.append(
                self._insert(
                    "Afslutning",
                    self.indsaet.AfslutBehandling,
                    Anmodning=anmodning,
                    Afslutning=case.Afslutning,
                )
            )
        if not answers:
            answers.append(
                Answer(
                    "Anmodning",
                    False,
                    beskeder=[
                        "En anmodning alene kan ikke indberettes: den sendes med "
                        "iværksættelsen eller afslutningen (der er ingen "
                        "IndsaetAnmodning-action)."
                    ],
                )
            )
        return answers

    @staticmethod
    def _insert(form: str, action: Callable[..., Any], **params: Any) -> Answer:
        try:
            return Answer(form, True, id=action(**params))
        except SoapFault as fault:
            return Answer(form, False, beskeder=fault.beskeder or [fault.message])

    def _with_stored_ids(self, case: models.Kontaktforloeb) -> models.Kontaktforloeb:
        """The case with the Ids of its forms already stored in SMDB (fetched first)."""
        anm = case.Anmodning
        if anm is None or anm.Id is not None or anm.PersonIdentifikator is None:
            return case
        stored = [
            a
            for a in self.hent.HentAnmodninger(
                PersonIdentifikator=anm.PersonIdentifikator, KommuneKode=anm.KommuneKode
            )
            or []
            if a.BehandlingAnmodningDato == anm.BehandlingAnmodningDato
        ]
        if not stored:
            return case
        found = self._case(stored[-1])
        update: dict[str, Any] = {"Anmodning": anm.model_copy(update={"Id": stored[-1].Id})}
        for name in ("Ivaerksaettelse", "Afslutning"):
            mine, theirs = getattr(case, name), found.get(name)
            if mine is not None and theirs is not None and mine.Id is None:
                update[name] = mine.model_copy(update={"Id": theirs.Id})
        if case.Tilbudstilknytninger:
            theirs = {
                (t.TilbudId, t.TilbudTilknyttetBehandlingStartDato): t.Id
                for t in found.get("Tilbudstilknytninger", [])
            }
            update["Tilbudstilknytninger"] = [
                t
                if t.Id is not None
                else t.model_copy(
                    update={"Id": theirs.get((t.TilbudId, t.TilbudTilknyttetBehandlingStartDato))}
                )
                for t in case.Tilbudstilknytninger
            ]
        return case.model_copy(update=update)

    # -- fetching -----------------------------------------------------------------------------

    def fetch(
        self, *, cpr: str | None = None, active: bool = False, kommune: int | None = None
    ) -> list[dict[str, Any]]:
        """The myndighed's cases as case documents (JSON-ready dicts)."""
        if active:
            svar = _answered(self.hent.HentAktiveKontaktForloebIMyndighed(KommuneKode=kommune))
            if not svar.ok:
                raise SoapFault(
                    "HentAktiveKontaktForloebIMyndighed", "", "ikke hentet", svar.Beskeder
                )
            cases = [
                c.model_dump(mode="json", exclude_none=True) for c in svar.KontaktforloebListe or []
            ]
            return [
                c
                for c in cases
                if cpr is None or c.get("Anmodning", {}).get("PersonIdentifikator") == cpr
            ]
        anmodninger = self.hent.HentAnmodninger(PersonIdentifikator=cpr, KommuneKode=kommune)
        return [_document(self._case(a)) for a in anmodninger or []]

    def _case(self, anmodning: models.AnmodningSkema) -> dict[str, Any]:
        case: dict[str, Any] = {"Anmodning": anmodning}
        ivaer = _answered(self.hent.HentIvaerksaettelseForAnmodning(AnmodningId=anmodning.Id))
        if ivaer.ok and ivaer.Ivaerksaettelse is not None:
            case["Ivaerksaettelse"] = ivaer.Ivaerksaettelse
            tilb = _answered(
                self.hent.HentTilbudstilknytningForIvaerksaettelse(
                    IvaerksaettelseId=ivaer.Ivaerksaettelse.Id
                )
            )
            if tilb.TilbudstilknytningListe:
                case["Tilbudstilknytninger"] = tilb.TilbudstilknytningListe
        return case


def _answered(value: T | None) -> T:
    """An answer SMDB always gives (a svar, the form asked for); none is a broken answer."""
    if value is None:
        raise SoapFault("", "", "SMDB's answer lacks an element it always holds", [])
    return value


def _document(case: dict[str, Any]) -> dict[str, Any]:
    return {
        key: [v.model_dump(mode="json", exclude_none=True) for v in value]
        if isinstance(value, list)
        else value.model_dump(mode="json", exclude_none=True)
        for key, value in case.items()
    }
