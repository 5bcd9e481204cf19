"""The emulator's actions: what SMDB does with each request, over `store.Store`.

Every insert is checked as a vendor checks it locally (`smdb.validation.validate`, against the
borger's other stored cases in the myndighed), plus what only a server can check: the
lifecycle order (ANM -> IVÆR -> TILB... -> AFSL), references and deletions by Id (deleting
"bagfra" in the order of §5.1's flow, `_facts.DELETION_FLOW`), the tilbud register, and that
an update does not move the anmodningsdato across the 2019 sanering (`_facts.SANERING`). A
rejection raises `Rejected` with DST-style messages (`Besked`: rule id, Danish text, Felt-IDs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

from ..soap import results as _results
from ..soap.results import Besked, Land, Svar, Tilbud
from ..validation import validate
from ._facts import (
    DELETION_FLOW,
    FORM_TITLES,
    OPERATIONS,
    RETIRED,
    SANERING,
    SERVER_CHECKS,
    SLOTS,
)
from .store import Store

if TYPE_CHECKING:  # the models load with the first action that needs them
    from pydantic import BaseModel

    from .. import models


class Rejected(Exception):
    def __init__(self, *beskeder: Besked):
        self.beskeder = list(beskeder)
        super().__init__("; ".join(b.Tekst or "" for b in beskeder))


def _besked(kode: str, tekst: str, felt_id: str = "") -> Besked:
    return Besked(FeltId=felt_id or None, Kode=kode, Tekst=tekst)


def _server(check: str, key: str, **values: Any) -> Rejected:
    """A rejection by one of the server checks, its message filled in with `values`."""
    text, felt_id = SERVER_CHECKS[check][key]
    return Rejected(_besked(check, text.format(**values), felt_id or ""))


def _not_found(what: str, form_id: Any) -> Rejected:
    return _server("SMDB-SERVER-ID", "not-found", what=what, id=form_id)


def _dump(model: BaseModel) -> dict[str, Any]:
    data: dict[str, Any] = model.model_dump(mode="json", exclude_none=True)
    return data


class Context:
    """One request: the store (inside its transaction), the caller's myndighed and the seed."""

    def __init__(self, store: Store, kommune: int, seed: dict[str, Any], today: dt.date) -> None:
        self.store = store
        self.kommune = kommune
        self.seed = seed
        self.today = today

    # -- reading ----------------------------------------------------------------------------

    def form(
        self, form: str, form_id: int | None, what: str
    ) -> tuple[str, int, int | None, dict[str, Any]]:
        if form_id is None:
            raise _server("SMDB-SERVER-ID", "missing-id", what=what)
        found = self.store.get(form_id, self.kommune)
        if found is None or found[0] != form:
            raise _not_found(what, form_id)
        return found

    def cases_of(self, cpr: str | None) -> list[dict[str, Any]]:
        return [self.store.case(i) for i in self.store.case_ids(self.kommune, cpr)]

    # -- checking ---------------------------------------------------------------------------

    def check(self, case: dict[str, Any], anmodning_id: int | None) -> None:
        cpr = case["Anmodning"].get("PersonIdentifikator")
        others = [
            self.store.case(i) for i in self.store.case_ids(self.kommune, cpr) if i != anmodning_id
        ]
        errors = [
            v for v in validate(case, today=self.today, other_cases=others) if v.severity == "error"
        ]
        if errors:
            raise Rejected(*(_besked(v.rule, v.message_da, ",".join(v.felt_ids)) for v in errors))

    def anmodning(
        self, anmodning: models.AnmodningSkema | None
    ) -> tuple[int | None, dict[str, Any]]:
        """The case an insert belongs to: an existing anmodning by Id, or a new one."""
        if anmodning is None:
            raise _lifecycle("missing", what="Anmodning")
        if anmodning.KommuneKode != self.kommune:  # neither a new case nor a moved one
            raise _server(
                "SMDB-SERVER-MYNDIGHED", "other", kode=anmodning.KommuneKode, myndighed=self.kommune
            )
        if anmodning.Id is not None:
            _, anmodning_id, _, stored = self.form("Anmodning", anmodning.Id, "Anmodning")
            case = self.store.case(anmodning_id)
            new = {**_dump(anmodning), "Id": anmodning_id}
            self._same_side_of_sanering(stored, new)
            case["Anmodning"] = new
            return anmodning_id, case
        return None, {"Anmodning": _dump(anmodning)}

    def _same_side_of_sanering(self, stored: dict[str, Any], new: dict[str, Any]) -> None:
        before = stored.get("BehandlingAnmodningDato")
        after = new.get("BehandlingAnmodningDato")
        if (
            before
            and after
            and (
                (dt.date.fromisoformat(before) < SANERING)
                != (dt.date.fromisoformat(after) < SANERING)
            )
        ):
            raise _server("SMDB-SERVER-SANERING", "moved", sanering=SANERING)

    def save(self, case: dict[str, Any], anmodning_id: int | None, *changed: str) -> dict[str, int]:
        """Store the checked case's `changed` forms (new ones get their Ids); their Ids."""
        anm = case["Anmodning"]
        cpr = anm.get("PersonIdentifikator") or ""
        if anmodning_id is None:
            anmodning_id = self.store.insert("Anmodning", anm, kommune=self.kommune, cpr=cpr)
        elif "Anmodning" in changed:
            self.store.update("Anmodning", anmodning_id, anm)
        ids = {"Anmodning": anmodning_id}
        ivaer: dict[str, Any] | None = case.get("Ivaerksaettelse")
        forms: list[tuple[str, dict[str, Any]]] = [
            (f, case[f]) for f in ("Ivaerksaettelse", "Afslutning") if f in changed
        ]
        if "Tilbudstilknytning" in changed:
            forms += [
                ("Tilbudstilknytning", t)
                for t in case["Tilbudstilknytninger"]
                if t.get("Id") is None or t.get("changed")
            ]
        for form, data in forms:
            data.pop("changed", None)
            if data.get("Id") is None:
                data["Id"] = self.store.insert(
                    form,
                    data,
                    kommune=self.kommune,
                    cpr=cpr,
                    anmodning_id=anmodning_id,
                    ivaerksaettelse_id=ivaer["Id"]
                    if form == "Tilbudstilknytning" and ivaer
                    else None,
                )
            else:
                self.store.update(form, data["Id"], data)
            ids[form] = data["Id"]
        return ids


def _lifecycle(key: str, **values: Any) -> Rejected:
    return _server("SMDB-SERVER-LIVSFORLOEB", key, **values)


# --- IndsaetData -----------------------------------------------------------------------------


def IndsaetIvaerksaettelse(
    ctx: Context,
    Anmodning: models.AnmodningSkema | None = None,
    Ivaerksaettelse: BaseModel | None = None,
) -> int:
    anmodning_id, case = ctx.anmodning(Anmodning)
    if Ivaerksaettelse is None:
        raise _lifecycle("missing", what="Iværksættelse")
    new = _dump(Ivaerksaettelse)
    stored = case.get("Ivaerksaettelse")
    if stored is not None and new.get("Id") != stored["Id"]:
        raise _lifecycle("already-started")
    if stored is None and new.get("Id") is not None:
        raise _not_found("Iværksættelse", new["Id"])
    if case.get("Afslutning") is not None and stored is None:
        raise _lifecycle("closed-no-start")
    case["Ivaerksaettelse"] = new
    ctx.check(case, anmodning_id)
    return ctx.save(case, anmodning_id, "Anmodning", "Ivaerksaettelse")["Ivaerksaettelse"]


def IndsaetTilbudstilknytning(
    ctx: Context, IvaerksaettelseId: int | None = None, Tilbudstilknytning: BaseModel | None = None
) -> int:
    _, anmodning_id, _, _ = ctx.form("Ivaerksaettelse", IvaerksaettelseId, "Iværksættelse")
    if Tilbudstilknytning is None:
        raise _lifecycle("missing", what="Tilbudstilknytning")
    case = ctx.store.case(anmodning_id)
    new = _dump(Tilbudstilknytning)
    # A closed case takes no new tilknytning, but its data may be revised (§5.1 line 2327,
    # §6.1.4 a-b): a correction by Id is judged by the business rules like any other.
    if case.get("Afslutning") is not None and new.get("Id") is None:
        raise _lifecycle("closed-no-tilknytning")
    if new.get("TilbudId") not in ctx.seed["tilbud_ids"]:
        raise _server("SMDB-SERVER-TILBUD", "unknown", tilbud=new.get("TilbudId"))
    tilknytninger = case.setdefault("Tilbudstilknytninger", [])
    if new.get("Id") is None:
        tilknytninger.append(new)
    else:
        index = next((i for i, t in enumerate(tilknytninger) if t["Id"] == new["Id"]), None)
        if index is None:
            raise _not_found("Tilbudstilknytning", new["Id"])
        tilknytninger[index] = {**new, "IvaerksaettelseId": IvaerksaettelseId}
    ctx.check(case, anmodning_id)
    if new.get("Id") is not None:
        tilknytninger[index]["changed"] = True  # the one to write (the check has read it)
    return ctx.save(case, anmodning_id, "Tilbudstilknytning")["Tilbudstilknytning"]


def AfslutBehandling(
    ctx: Context,
    Anmodning: models.AnmodningSkema | None = None,
    Afslutning: BaseModel | None = None,
) -> int:
    anmodning_id, case = ctx.anmodning(Anmodning)
    if Afslutning is None:
        raise _lifecycle("missing", what="Afslutning")
    new = _dump(Afslutning)
    stored = case.get("Afslutning")
    if stored is not None and new.get("Id") != stored["Id"]:
        raise _lifecycle("already-closed")
    if stored is None and new.get("Id") is not None:
        raise _not_found("Afslutning", new["Id"])
    case["Afslutning"] = new
    ctx.check(case, anmodning_id)
    return ctx.save(case, anmodning_id, "Anmodning", "Afslutning")["Afslutning"]


def _retired(form: str) -> Callable[..., int]:
    def insert(ctx: Context, **_params: Any) -> int:
        raise _server("SMDB-SERVER-UDGAAET", "retired", form=form, reason=RETIRED[form])

    return insert


IndsaetKvalHep = _retired("KvalHep")
IndsaetIndskrivning = _retired("Indskrivning")
IndsaetYdelse = _retired("Ydelse")
AfslutIndskrivning = _retired("Udskrivning")
IndsaetAsi = _retired("Asi")


def later_forms(case: dict[str, Any], form: str) -> list[str]:
    """The forms after `form` in §5.1's flow that `case` holds: they are deleted first."""
    later = DELETION_FLOW[DELETION_FLOW.index(form) + 1 :]
    return [f for f in later if case.get(SLOTS[f][0])]


def _delete(form: str, what: str) -> Callable[..., Svar]:
    def delete(ctx: Context, **params: int | None) -> Svar:
        form_id = next(iter(params.values()), None)
        _, anmodning_id, _, _ = ctx.form(form, form_id, what)
        assert form_id is not None  # form() refuses a missing id
        blocked = later_forms(ctx.store.case(anmodning_id), form)
        if blocked:
            names = [f"”{FORM_TITLES[f]}”" for f in blocked]
            listed = ", ".join(names[:-1]) + " og " + names[-1] if names[:-1] else names[0]
            raise _lifecycle("delete-order", what=what, blocked=listed)
        ctx.store.delete(form_id)
        return Svar(Beskeder=[], Succes=True)

    return delete


SletAnmodning = _delete("Anmodning", "Anmodningen")
SletIvaerksaettelse = _delete("Ivaerksaettelse", "Iværksættelsen")
SletTilbudsTilknytning = _delete("Tilbudstilknytning", "Tilbudstilknytningen")


def SletHeltForloeb(ctx: Context, AnmodningId: int | None = None) -> Svar:
    _, anmodning_id, _, _ = ctx.form("Anmodning", AnmodningId, "Anmodningen")
    ctx.store.delete_case(anmodning_id)
    return Svar(Beskeder=[], Succes=True)


def SletKvalHep(ctx: Context, KvalHepId: int | None = None) -> Svar:
    raise _not_found("KvalHep", KvalHepId)


# --- HentData --------------------------------------------------------------------------------


def _by_id(form: str, what: str, svar: str, key: str) -> Callable[..., Svar]:
    def fetch(ctx: Context, **params: int | None) -> Svar:
        form_id = next(iter(params.values()), None)
        _, _, _, data = ctx.form(form, form_id, what)
        answer: Svar = getattr(_results, svar)(
            Beskeder=[], Succes=True, **{key: _model(form, data)}
        )
        return answer

    return fetch


def _model(form: str, data: dict[str, Any]) -> Any:
    """The form's model (its class found by name at run time, so typed by the caller)."""
    from .. import models

    model: type[BaseModel] = getattr(models, form + "Skema")
    return model.model_validate(data)


HentAnmodning = _by_id("Anmodning", "Anmodning", "HentAnmodningSvar", "Anmodning")
HentIvaerksaettelse = _by_id(
    "Ivaerksaettelse", "Iværksættelse", "HentIvaerksaettelseSvar", "Ivaerksaettelse"
)
HentTilbudstilknytning = _by_id(
    "Tilbudstilknytning", "Tilbudstilknytning", "HentTilbudstilknytningSvar", "Tilbudstilknytning"
)


def HentIvaerksaettelseForAnmodning(
    ctx: Context, AnmodningId: int | None = None
) -> _results.HentIvaerksaettelseForAnmodningSvar:
    _, anmodning_id, _, _ = ctx.form("Anmodning", AnmodningId, "Anmodning")
    data = ctx.store.case(anmodning_id).get("Ivaerksaettelse")
    if data is None:
        raise _server("SMDB-SERVER-ID", "not-started")
    return _results.HentIvaerksaettelseForAnmodningSvar(
        Beskeder=[], Succes=True, Ivaerksaettelse=_model("Ivaerksaettelse", data)
    )


def HentTilbudstilknytningForIvaerksaettelse(
    ctx: Context, IvaerksaettelseId: int | None = None
) -> _results.HentTilbudstilknytningForIvaerksaettelseSvar:
    _, anmodning_id, _, _ = ctx.form("Ivaerksaettelse", IvaerksaettelseId, "Iværksættelse")
    items = ctx.store.case(anmodning_id).get("Tilbudstilknytninger", [])
    return _results.HentTilbudstilknytningForIvaerksaettelseSvar(
        Beskeder=[],
        Succes=True,
        TilbudstilknytningListe=[_model("Tilbudstilknytning", t) for t in items],
    )


def HentKvalHepMedId(ctx: Context, KvalHepId: int | None = None) -> NoReturn:
    raise _not_found("KvalHep", KvalHepId)


def _case_model(case: dict[str, Any]) -> models.Kontaktforloeb:
    from .. import models

    return models.Kontaktforloeb.model_validate(case)


def HentAktiveKontaktForloebIMyndighed(
    ctx: Context, KommuneKode: int | None = None
) -> _results.HentAktiveKontaktForloebIMyndighedSvar:
    _own(ctx, KommuneKode)
    cases = [c for c in ctx.cases_of(None) if "Afslutning" not in c]
    return _results.HentAktiveKontaktForloebIMyndighedSvar(
        Beskeder=[], Succes=True, KontaktforloebListe=[_case_model(c) for c in cases]
    )


def _own(ctx: Context, kommune: int | None) -> None:
    if kommune is not None and kommune != ctx.kommune:
        raise _server("SMDB-SERVER-MYNDIGHED", "other", kode=kommune, myndighed=ctx.kommune)


def _per_borger(form: str, key: str, many: bool = False) -> Callable[..., list[BaseModel]]:
    def fetch(
        ctx: Context, PersonIdentifikator: str | None = None, KommuneKode: int | None = None
    ) -> list[BaseModel]:
        _own(ctx, KommuneKode)
        found: list[dict[str, Any]] = []
        for case in ctx.cases_of(PersonIdentifikator):
            value = case.get(key)
            if many:
                found.extend(value or [])
            elif value is not None:
                found.append(value)
        return [_model(form, d) for d in found]

    return fetch


HentAnmodninger = _per_borger("Anmodning", "Anmodning")
HentIvaerksaettelser = _per_borger("Ivaerksaettelse", "Ivaerksaettelse")
HentTilbudstilknytninger = _per_borger("Tilbudstilknytning", "Tilbudstilknytninger", many=True)


def _nothing(ctx: Context, **params: Any) -> list[Any]:
    """Retired forms: the emulator holds none (they cannot be inserted). Another myndighed's
    KommuneKode is refused all the same (PROVENANCE E7)."""
    _own(ctx, params.get("KommuneKode"))
    return []


HentIndskrivninger = HentYdelser = HentKvalHep = HentAsiForMyndighed = HentAsiForTilbud = _nothing
HentYdelsespakker = _nothing


def HentAlleTilbud(ctx: Context) -> list[Tilbud]:
    return list(ctx.seed["tilbud"])


def HentLandeliste(ctx: Context) -> list[Land]:
    return list(ctx.seed["lande"])


# --- TokenTest -------------------------------------------------------------------------------


def Echo(ctx: Context, Tekst: str | None = None) -> str | None:
    return Tekst


def Throw(ctx: Context) -> None:
    raise _server("SMDB-SERVER-THROW", "thrown")


def WhoAmI(ctx: Context) -> str:
    return f"Myndighed {ctx.kommune}"


# One function above per action of the spec (a KeyError at import names one missing).
ACTIONS: dict[str, Callable[..., Any]] = {name: globals()[name] for name in OPERATIONS}
