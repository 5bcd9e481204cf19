"""Every date-control point of the spec, for each of its effects, on the day before and on the
day itself, through `validate()` and through `smdb validate`'s exit status.

The points, their effects and what they apply to come from the canonical spec (read from
datostyring.csv, the forms' validity and the code lists' age limits), never from a list
here: moving a date by one day in the sources must turn a test red.
"""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from conftest import ROOT, generated_module
from test_validate_cli import BASE_CASE, smdb

CANONICAL = json.loads((ROOT / "spec" / "canonical" / "2026-01-01.json").read_text("utf-8"))
DAY = dt.timedelta(days=1)
BASE = json.loads(BASE_CASE.read_text(encoding="utf-8"))
BASE_ANM = dt.date.fromisoformat(BASE["Anmodning"]["BehandlingAnmodningDato"])
REPORTED = dt.date(2026, 11, 1)  # the day of reporting, unless a point is keyed on it


def points(*effects: str) -> list[dict]:
    return [p for p in CANONICAL["date_control"] if p["effect"] in effects and p["date"]]


def field_of(felt_id: str) -> tuple[dict, dict]:
    for form in CANONICAL["forms"]:
        for field in form["fields"]:
            if field.get("felt_id") == felt_id:
                return form, field
    raise KeyError(felt_id)


def codelist(name: str) -> dict:
    return next(c for c in CANONICAL["codelists"] if c["name"] == name)


def rules_change_points() -> list[dt.date]:
    return sorted(dt.date.fromisoformat(p["date"]) for p in points("rules-change"))


def _move(form: dict, offset: dt.timedelta) -> None:
    for key, value in form.items():
        if isinstance(value, str) and len(value) == 10 and value[4] == "-":
            form[key] = (dt.date.fromisoformat(value) + offset).isoformat()


def shifted(anm: dt.date) -> dict:
    """The base case with every date moved so that its 2-ANM is `anm` (its own dates keep their
    distances); the age, computed from the CPR number, is left for SMDB to compute."""
    case = copy.deepcopy(BASE)
    for form in (case["Anmodning"], case["Ivaerksaettelse"], case["Afslutning"]):
        _move(form, anm - BASE_ANM)
    for tilbud in case["Tilbudstilknytninger"]:
        _move(tilbud, anm - BASE_ANM)
    case["Ivaerksaettelse"]["PersonIvaerksatBehandlingAlderKvantitet"] = None
    return case


def late(case: dict, ivaer: dt.date) -> dict:
    """The case iværksat on `ivaer`, its later forms moved along, the lægesamtale held two days
    after 2-ANM: more than 14 days after 2-ANM, 4-IVÆR is asked (§6.1.3)."""
    anm = dt.date.fromisoformat(case["Anmodning"]["BehandlingAnmodningDato"])
    iv = case["Ivaerksaettelse"]
    offset = ivaer - dt.date.fromisoformat(iv["IvaerksatBehandlingDato"])
    for form in (iv, case["Afslutning"], *case["Tilbudstilknytninger"]):
        _move(form, offset)
    iv["LaegesamtaleAfholdtDato"] = (anm + 2 * DAY).isoformat()
    iv["IvaerksatBehandlingDageSidenAnmodningKvantitet"] = (ivaer - anm).days
    return case


@pytest.fixture(scope="module")
def validation():
    return generated_module("smdb.validation")


def verdicts(validation, case: dict, today: dt.date = REPORTED, strict: bool = False):
    return validation.validate(case, today=today, strict=strict)


def exit_status(tmp_path, case: dict, today: dt.date = REPORTED, strict: bool = False) -> int:
    path = tmp_path / f"case-{len(list(tmp_path.iterdir()))}.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    args = ["validate", "--today", today.isoformat(), *(["--strict"] if strict else []), str(path)]
    result = smdb(*args)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode


def test_the_shifted_base_case_is_clean_on_every_point():
    """The cases below differ from a clean case only in what each point decides."""
    validation = generated_module("smdb.validation")
    for day in {dt.date.fromisoformat(p["date"]) for p in points(*EFFECTS)}:
        for anm in (day - DAY, day):
            found = [v for v in verdicts(validation, shifted(anm), strict=True)]
            assert all(v.severity == "notice" for v in found), (anm, found)


EFFECTS = ("options-change", "fields-end", "form-ends", "rules-change")


# --- options-change on 2-ANM: the old options of a list, in force before the day -----------


OPTIONS = [
    (point["id"], felt_id, code)
    for point in points("options-change")
    for felt_id in point["applies_to"]
    if point["basis"] == "2-ANM"
    for code in codelist(field_of(felt_id)[1]["codelist"])["missing_codes"]
]


@pytest.mark.parametrize(("point_id", "felt_id", "code"), OPTIONS)
def test_an_old_option_is_in_force_until_the_sanering(
    validation, tmp_path, point_id, felt_id, code
):
    point = next(p for p in CANONICAL["date_control"] if p["id"] == point_id)
    day = dt.date.fromisoformat(point["date"])
    form, field = field_of(felt_id)
    for anm, refused in ((day - DAY, False), (day, True)):
        case = shifted(anm)
        case[form["name"]][field["variable"]] = code
        if field["display_condition_da"]:  # 4-IVÆR: asked only after 14 days
            late(case, anm + 15 * DAY)
        found = [v for v in verdicts(validation, case, strict=True) if felt_id in v.felt_ids]
        assert bool(found) is refused, (anm, found)
        assert exit_status(tmp_path, case, strict=True) == int(refused), anm


@pytest.mark.parametrize(("point_id", "felt_id"), sorted({(p, f) for p, f, _ in OPTIONS}))
def test_a_code_no_list_had_is_an_error_only_from_the_sanering(
    validation, tmp_path, point_id, felt_id
):
    """Before the sanering the old options are not listed (§6.3): "never a code" is our
    inference there, a warning (D28); from the day on, an error."""
    point = next(p for p in CANONICAL["date_control"] if p["id"] == point_id)
    day = dt.date.fromisoformat(point["date"])
    form, field = field_of(felt_id)
    listed = {c["code"] for c in codelist(field["codelist"])["codes"]}
    known = listed | set(codelist(field["codelist"])["missing_codes"])
    never = next(f"{n:02d}" for n in range(98, 0, -1) if f"{n:02d}" not in known)
    for anm, severity in ((day - DAY, "warning"), (day, "error")):
        case = shifted(anm)
        case[form["name"]][field["variable"]] = never
        if field["display_condition_da"]:
            late(case, anm + 15 * DAY)
        found = {v.severity for v in verdicts(validation, case) if felt_id in v.felt_ids}
        assert found == {severity}, (anm, found)
        assert exit_status(tmp_path, case) == int(severity == "error"), anm


# --- the end of a form: on 2-ANM (fields-end) or on the day of reporting (form-ends) ---------


ENDED = [form for form in CANONICAL["forms"] if form["validity"]["valid_to"]]


@pytest.mark.parametrize("form", ENDED, ids=[f["name"] for f in ENDED])
def test_a_form_is_refused_from_its_end(validation, tmp_path, form):
    day = dt.date.fromisoformat(form["validity"]["valid_to"])
    keyed_on_today = form["date_basis"] == "indberetningsdato"
    for before, refused in ((day - DAY, False), (day, True)):
        if keyed_on_today:  # a case wholly before the day, reported on either day
            case, today = shifted(day - 200 * DAY), before
        else:
            case, today = shifted(before), REPORTED
        case[form["name"]] = {"Id": 7}
        found = [
            v for v in verdicts(validation, case, today, strict=True) if v.path == form["name"]
        ]
        assert bool(found) is refused and all(v.severity == "error" for v in found), found
        assert exit_status(tmp_path, case, today, strict=True) == int(refused), before
        if refused:  # stated for every case, or inferred: an error only under strict
            lenient = {
                v.severity for v in verdicts(validation, case, today) if v.path == form["name"]
            }
            basis = {v.basis for v in found}
            assert lenient == ({"error"} if basis == {"stated"} else {"warning"}), basis
            assert exit_status(tmp_path, case, today) == int(basis == {"stated"})


def test_the_form_ends_agree_with_the_date_control_points():
    """Each form's end is a date-control point that ends it (datostyring.csv and the
    workbook's 'Gyldig til' are two sources of one fact)."""
    ends = {name: p["date"] for p in points("form-ends", "fields-end") for name in p["applies_to"]}
    assert {f["name"]: f["validity"]["valid_to"] for f in ENDED} == ends


# --- rules-change on 2-ANM: which rules govern, and how sure we are ------------------------


@pytest.mark.parametrize("point", points("rules-change"), ids=lambda p: p["id"])
def test_a_change_of_rules_decides_notice_and_severity(validation, tmp_path, point, request):
    day = dt.date.fromisoformat(point["date"])
    certain = rules_change_points()[-1]
    notices = [r for r in CANONICAL["rules"] if r["severity"] == "notice"]

    def notices_on(anm: dt.date) -> set[str]:
        def inside(rule):
            start, end = rule["applies"]["valid_from"], rule["applies"]["valid_to"]
            return (start is None or anm.isoformat() >= start) and (
                end is None or anm.isoformat() < end
            )

        return {r["id"] for r in notices if inside(r)}

    seen = []
    for anm in (day - DAY, day):
        case = shifted(anm)
        case["Ivaerksaettelse"]["BoernErTilknyttetHusstandenIndikator"] = None  # a stated rule
        found = verdicts(validation, case)
        assert {v.rule for v in found if v.severity == "notice"} == notices_on(anm)
        broken = {v.severity for v in found if "45-IVÆR" in v.felt_ids}
        expected = "error" if anm >= certain else "warning"
        assert broken == {expected}, (anm, found)
        assert exit_status(tmp_path, case) == int(expected == "error"), anm
        assert exit_status(tmp_path, case, strict=True) == 1
        seen.append(notices_on(anm))
    assert seen[0] != seen[1]  # the point changes which notice a case gets


# --- the ages of 4-IVÆR's options (options-by-age): on the 18th birthday --------------------


def age_limits() -> list[tuple[str, str, int, bool]]:
    """(variable, code, age, allowed from that birthday on) from the code lists' limits."""
    found = []
    for point in CANONICAL["date_control"]:
        if point["effect"] != "options-by-age":
            continue
        for felt_id in point["applies_to"]:
            _, field = field_of(felt_id)
            for code in codelist(field["codelist"])["codes"]:
                if code.get("min_age") is not None:
                    found.append((field["variable"], code["code"], code["min_age"], True))
                if code.get("max_age") is not None:
                    found.append((field["variable"], code["code"], code["max_age"] + 1, False))
    return found


def cpr_born(day: dt.date) -> str:
    """A CPR number of one born on `day` (2000-2036: 7th digit 4)."""
    assert 2000 <= day.year <= 2036
    return f"{day:%d%m%y}4321"


@pytest.mark.parametrize("born", [dt.date(2008, 3, 10), dt.date(2008, 2, 29)], ids=str)
@pytest.mark.parametrize(("variable", "code", "age", "allowed_from"), age_limits())
def test_an_age_limit_changes_on_the_birthday(
    validation, tmp_path, variable, code, age, allowed_from, born
):
    # The birthday in the year of the age; for one born on 29 February, 1 March (D34).
    try:
        birthday = born.replace(year=born.year + age)
    except ValueError:
        birthday = dt.date(born.year + age, 3, 1)
    assert birthday >= rules_change_points()[-1]
    for ivaer, allowed in ((birthday - DAY, not allowed_from), (birthday, allowed_from)):
        case = late(shifted(ivaer - 20 * DAY), ivaer)
        case["Anmodning"]["PersonIdentifikator"] = cpr_born(born)
        case["Ivaerksaettelse"][variable] = code
        case["Ivaerksaettelse"]["HovedstofFoersteBrugAlderKvantitet"] = 15  # not above the age
        found = [v for v in verdicts(validation, case) if v.severity != "notice"]
        assert all(v.severity == "error" for v in found), found
        assert bool(found) is not allowed, (ivaer, found)
        assert all("23-IVÆR" in v.felt_ids for v in found), found
        assert exit_status(tmp_path, case) == int(not allowed), ivaer
