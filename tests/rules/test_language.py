"""The rule language (spec/rules/README.md): the loader, the translator and the engine.

Rules here are written in the test (a scratch rules folder), loaded against the real spec,
compiled by the validation emitter and executed as a module next to the generated package.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types

import pytest
import yaml
from conftest import ROOT, generated_module

from codegen.build import build_spec
from codegen.emitters import validation as validation_emitter
from codegen.emitters.context import EmitContext
from codegen.errors import SourceError
from codegen.rules.examples import ExampleError, apply_changes
from codegen.rules.loader import load_rules
from codegen.rules.model import Examples


@pytest.fixture(scope="module", autouse=True)
def generated_package():
    generated_module("smdb")  # the compiled rules import smdb._engine


BASE = json.loads((ROOT / "spec" / "rules" / "examples" / "base-case.json").read_text("utf-8"))
TODAY = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def spec():
    return dataclasses.replace(build_spec("2026-01-01"), rules=())


@pytest.fixture(scope="module")
def engine():
    return generated_module("smdb._engine")


def rule(**values) -> dict:
    """A rule mapping with harmless defaults."""
    data = {
        "id": "SMDB-IVÆR-T",
        "title_en": "A test rule",
        "section": "6.1.3",
        "felt_ids": ["44-IVÆR"],
        "severity": "error",
        "basis": "stated",
        "cites": ["2399-2401"],
        "context": "case",
        "check": "True",
        "message_da": "Fejl.",
        "message_en": "Error.",
        "examples": {"valid": [{}], "invalid": [{}]},
    }
    data.update(values)
    return {key: value for key, value in data.items() if value is not ...}


def write(tmp_path, *rules: dict, text: str | None = None, name: str = "r.yaml"):
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    body = (
        text
        if text is not None
        else yaml.safe_dump(list(rules), allow_unicode=True, sort_keys=False)
    )
    (folder / name).write_text(body, encoding="utf-8")
    return folder


def load(tmp_path, spec, *rules: dict, text: str | None = None):
    return load_rules(write(tmp_path, *rules, text=text), spec, tmp_path)


def compile_module(spec, rules) -> types.ModuleType:
    spec = dataclasses.replace(spec, rules=tuple(rules))
    context = EmitContext(spec=spec, document={})
    text = validation_emitter.emit(context)[context.module_path("validation")]
    module = types.ModuleType("scratch_validation")
    exec(compile(text, "scratch_validation.py", "exec"), module.__dict__)
    return module


def module_of(tmp_path, spec, *rules: dict) -> types.ModuleType:
    return compile_module(spec, load(tmp_path, spec, *rules))


def violations(module, changes: dict | None = None, **context):
    case = apply_changes(BASE, list((changes or {}).items()))
    context.setdefault("today", TODAY)
    return module.validate(case, **context)


def refused(tmp_path, spec, *needles: str, **values) -> SourceError:
    with pytest.raises(SourceError) as info:
        load(tmp_path, spec, rule(**values))
    error = info.value
    assert error.file.endswith("r.yaml") and isinstance(error.line, int), str(error)
    for needle in needles:
        assert needle in str(error), str(error)
    return error


# --- the whitelisted constructs -------------------------------------------------------------

HOLDS_ON_BASE = [
    # literals and comparisons
    'Anmodning.BehandlingTidligereKode == "01"',
    'Anmodning.BehandlingTidligereKode != "02"',
    "Anmodning.KommuneKode == 101",
    "Ivaerksaettelse.PersonEllerPartnerHarBoernUnder18Indikator == True",
    "Ivaerksaettelse.PersonHovedstofAngivelseIkkeMuligIndikator == False",
    "Ivaerksaettelse.LaegesamtaleIkkeAfholdtAarsagTidsfristOverskredetKode is None",
    "Afslutning is not None",
    'Anmodning.BehandlingTidligereKode in ("01", "99")',
    'Anmodning.BehandlingTidligereKode not in ("02", "99")',
    '"22" in Ivaerksaettelse.HenvisningPaaOpfordringAfListe',
    '"99" not in Ivaerksaettelse.HenvisningPaaOpfordringAfListe',
    'Anmodning.BehandlingAnmodningDato == date("2026-02-02")',
    'Anmodning.BehandlingAnmodningDato < date("2026-02-03")',
    "Anmodning.BehandlingAnmodningDato <= Ivaerksaettelse.IvaerksatBehandlingDato",
    "Ivaerksaettelse.IvaerksatBehandlingDato > Anmodning.BehandlingAnmodningDato",
    "Afslutning.BehandlingAfsluttetDato >= Ivaerksaettelse.IvaerksatBehandlingDato",
    'date("2026-01-01") < Anmodning.BehandlingAnmodningDato < date("2026-03-01")',
    # operators
    "Anmodning.KommuneKode + 1 == 102",
    "Anmodning.KommuneKode - 1 == 100",
    "-1 < 0",
    "True and not False",
    "False or Anmodning.KommuneKode == 101",
    '("a" if Anmodning.KommuneKode == 101 else "b") == "a"',
    # functions
    "filled(Anmodning.PersonIdentifikator)"
    " and not filled(Ivaerksaettelse.BehandlingGarantiOverskredeAarsagKode)",
    "filled(Ivaerksaettelse.HenvisningPaaOpfordringAfListe)",
    "days(Anmodning.BehandlingAnmodningDato, Ivaerksaettelse.IvaerksatBehandlingDato) == 3",
    'add_days(Anmodning.BehandlingAnmodningDato, 3) == date("2026-02-05")',
    'add_days(Anmodning.BehandlingAnmodningDato, -2) == date("2026-01-31")',
    'birth_date(Anmodning.PersonIdentifikator) == date("1990-03-15")',
    "age_on(Anmodning.PersonIdentifikator, Anmodning.BehandlingAnmodningDato) == 35",
    "valid_cpr(Anmodning.PersonIdentifikator)",
    "is_kommune(Anmodning.KommuneKode)",
    'in_force("BehandlingTidligereKode", Anmodning.BehandlingTidligereKode, today)',
    'code_known("HenvisningPaaOpfordringAfListe", Ivaerksaettelse.HenvisningPaaOpfordringAfListe)',
    'not code_known("BehandlingTidligereKode", "07")',
    'mask_cpr(Anmodning.PersonIdentifikator) == "150390-****"',
    # lists and comprehensions
    "len(Tilbudstilknytninger) == 2",
    'any(t.BehandlingTypeKode == "04" for t in Tilbudstilknytninger)',
    "all(t.TilbudId is not None for t in Tilbudstilknytninger if t.TilbudId)",
    'len([t for t in Tilbudstilknytninger if t.BehandlingTypeKode == "01"]) == 1',
    "max(t.TilbudTilknyttetBehandlingSlutDato for t in Tilbudstilknytninger)"
    " == Afslutning.BehandlingAfsluttetDato",
    "min(t.TilbudTilknyttetBehandlingStartDato for t in Tilbudstilknytninger)"
    " == Ivaerksaettelse.IvaerksatBehandlingDato",
    "max(Anmodning.BehandlingAnmodningDato, Ivaerksaettelse.IvaerksatBehandlingDato)"
    " == Ivaerksaettelse.IvaerksatBehandlingDato",
    "max_parallel(Tilbudstilknytninger) == 2",
    'all(k in ("01", "22") for k in Ivaerksaettelse.HenvisningPaaOpfordringAfListe)',
    # a comparison inside a comprehension's iterable (where the null rule is a call)
    "len([t for t in [u for u in Tilbudstilknytninger if u.TilbudId > 4711]]) == 1",
    "len([u for u in [v for v in Tilbudstilknytninger if v.TilbudId + 1 > 4712]]) == 1",
]


@pytest.mark.parametrize("expression", HOLDS_ON_BASE)
def test_whitelisted_construct_holds_on_the_base_case(tmp_path, spec, expression):
    module = module_of(tmp_path, spec, rule(check=expression))
    assert violations(module) == [], expression


@pytest.mark.parametrize(
    "expression",
    [
        'Anmodning.BehandlingTidligereKode == "02"',
        "Anmodning.KommuneKode + 1 == 101",
        "len(Tilbudstilknytninger) == 0",
        "max_parallel(Tilbudstilknytninger) == 1",
        "not valid_cpr(Anmodning.PersonIdentifikator)",
        'all(t.BehandlingTypeKode == "01" for t in Tilbudstilknytninger)',
    ],
)
def test_whitelisted_construct_fails_on_the_base_case(tmp_path, spec, expression):
    module = module_of(tmp_path, spec, rule(check=expression))
    assert [v.rule for v in violations(module)] == ["SMDB-IVÆR-T"], expression


def test_when_gates_the_check_and_path_is_the_first_field_checked(tmp_path, spec):
    module = module_of(
        tmp_path,
        spec,
        rule(
            when="Ivaerksaettelse.PersonEllerPartnerHarBoernUnder18Indikator == True",
            check="filled(Ivaerksaettelse.BoernErTilknyttetHusstandenIndikator)",
            felt_ids=["44-IVÆR", "45-IVÆR"],
        ),
    )
    assert violations(module) == []
    change = {"Ivaerksaettelse.BoernErTilknyttetHusstandenIndikator": None}
    (found,) = violations(module, change)
    assert found.path == "Ivaerksaettelse.BoernErTilknyttetHusstandenIndikator"
    assert found.felt_ids == ("44-IVÆR", "45-IVÆR")
    assert (found.severity, found.message_da, found.message_en) == ("error", "Fejl.", "Error.")
    change["Ivaerksaettelse.PersonEllerPartnerHarBoernUnder18Indikator"] = False
    assert violations(module, change) == []


def test_tilbud_context_reports_each_item(tmp_path, spec):
    module = module_of(
        tmp_path,
        spec,
        rule(
            id="SMDB-TILB-T",
            felt_ids=["1-TILB"],
            context="tilbud",
            check="t.TilbudId < 4712",
        ),
    )
    (found,) = violations(module)
    assert found.path == "Tilbudstilknytninger[1].TilbudId"
    change = {"Tilbudstilknytninger.0.TilbudId": 5000}
    assert [v.path for v in violations(module, change)] == [
        "Tilbudstilknytninger[0].TilbudId",
        "Tilbudstilknytninger[1].TilbudId",
    ]


def test_field_context_folds_metadata_and_formats_messages(tmp_path, spec):
    module = module_of(
        tmp_path,
        spec,
        rule(
            id="SMDB-FELT-T",
            felt_ids=[],
            context="field",
            select="field.maximum is not None and field.felt_id == '18-IVÆR'",
            when="form_present and value is not None",
            check="value <= field.maximum - 19",
            message_da="{felt_id} ({variable}) er {value}.",
            message_en="{felt_id} {variable} {value}",
        ),
    )
    found = violations(module)
    assert [v.path for v in found] == [
        "Ivaerksaettelse.IllegalHeroinDageIndtagetSenesteMaanedKvantitet",
        "Ivaerksaettelse.CannabisDageIndtagetSenesteMaanedKvantitet",
    ]
    assert found[0].message_da == "18-IVÆR (IllegalHeroinDageIndtagetSenesteMaanedKvantitet) er 20."
    assert found[0].felt_ids == ("18-IVÆR",)
    assert violations(module, {"Ivaerksaettelse": None}) == []


def test_field_context_covers_every_tilbudstilknytning(tmp_path, spec):
    module = module_of(
        tmp_path,
        spec,
        rule(
            id="SMDB-FELT-T",
            felt_ids=[],
            context="field",
            select="field.datatype == 'date' and field.form == 'Tilbudstilknytning'",
            check="value is None or value < date('2026-06-01')",
            message_da="{variable}",
            message_en="{variable}",
        ),
    )
    assert [v.path for v in violations(module)] == [
        "Tilbudstilknytninger[1].TilbudTilknyttetBehandlingSlutDato"
    ]


def test_reading_context_sees_problems(tmp_path, spec):
    module = module_of(
        tmp_path,
        spec,
        rule(
            id="SMDB-FELT-T",
            felt_ids=[],
            context="reading",
            when='problem.kind in ("type", "unknown")',
            check="False",
            message_da="{path}: {value} ({expected})",
            message_en="{path}",
        ),
    )
    found = violations(module, {"Anmodning.KommuneKode": "101", "Afslutning.Foo": 1})
    assert [(v.path, v.message_da, v.felt_ids) for v in found] == [
        ("Anmodning.KommuneKode", 'Anmodning.KommuneKode: "101" (integer)', ("8-ANM",)),
        ("Afslutning.Foo", "Afslutning.Foo: 1 (no such key)", ()),
    ]


def test_other_cases_and_active_cases(tmp_path, spec):
    module = module_of(
        tmp_path,
        spec,
        rule(
            id="SMDB-SAG-T",
            felt_ids=["8-ANM"],
            check="not any(sag.Anmodning.KommuneKode == Anmodning.KommuneKode "
            "for sag in active_cases(other_cases))",
        ),
    )
    open_case = apply_changes(BASE, [("Afslutning", None)])
    assert violations(module, other_cases=[BASE]) == []
    assert [v.rule for v in violations(module, other_cases=[open_case])] == ["SMDB-SAG-T"]
    elsewhere = apply_changes(open_case, [("Anmodning.KommuneKode", 147)])
    assert violations(module, other_cases=[elsewhere]) == []
    case = apply_changes(BASE, [])
    assert module.validate(case, today=TODAY, other_cases=[case]) == []  # itself: skipped


def test_applies_window_is_decided_by_the_anmodningsdato(tmp_path, spec):
    module = module_of(
        tmp_path, spec, rule(check="False", applies={"from": "2025-07-01", "to": None})
    )
    assert len(violations(module)) == 1
    assert violations(module, {"Anmodning.BehandlingAnmodningDato": "2025-06-30"}) == []
    # Without a 2-ANM, the rules in force today apply.
    no_date = {"Anmodning.BehandlingAnmodningDato": None}
    assert len(violations(module, no_date, today=dt.date(2025, 7, 1))) == 1
    assert violations(module, no_date, today=dt.date(2025, 6, 30)) == []
    assert [r.id for r in module.rules_on(dt.date(2025, 6, 30))] == []


# --- null semantics --------------------------------------------------------------------------

NO_CPR = {"Anmodning.PersonIdentifikator": None, "Ivaerksaettelse.IvaerksatBehandlingDato": None}


@pytest.mark.parametrize(
    "expression",
    [
        "Ivaerksaettelse.IvaerksatBehandlingDato < Anmodning.BehandlingAnmodningDato",
        "Ivaerksaettelse.IvaerksatBehandlingDato >= today",
        "days(Anmodning.BehandlingAnmodningDato, Ivaerksaettelse.IvaerksatBehandlingDato) > 99",
        "Ivaerksaettelse.PersonIvaerksatBehandlingAlderKvantitet + 1 > 99",
        "age_on(Anmodning.PersonIdentifikator, today) > 200",
        "valid_cpr(Anmodning.PersonIdentifikator)",
        "is_kommune(Ivaerksaettelse.PersonIvaerksatBehandlingAlderKvantitet)",
        'in_force("BehandlingFormaalKode", Ivaerksaettelse.BehandlingFormaalKode, today)',
        "birth_date(Anmodning.PersonIdentifikator)",  # a check of None holds
        "max(t.TilbudId for t in Tilbudstilknytninger if t.TilbudId > 9999)",
    ],
)
def test_a_missing_value_cannot_fail_a_rule_about_values(tmp_path, spec, expression):
    module = module_of(tmp_path, spec, rule(check=expression))
    changes = {**NO_CPR, "Ivaerksaettelse.PersonIvaerksatBehandlingAlderKvantitet": None}
    assert violations(module, {**changes, "Ivaerksaettelse.BehandlingFormaalKode": None}) == []


def test_null_rule_details(tmp_path, spec):
    # A missing list: `in` is False, `not in` True, len 0, iteration empty.
    for expression, holds in [
        ('"01" in Ivaerksaettelse.HenvisningPaaOpfordringAfListe', False),
        ('"01" not in Ivaerksaettelse.HenvisningPaaOpfordringAfListe', True),
        ("len(Ivaerksaettelse.HenvisningPaaOpfordringAfListe) == 0", True),
        ('all(k == "01" for k in Ivaerksaettelse.HenvisningPaaOpfordringAfListe)', True),
        # The pitfall the README warns of: the negation of a comparison with None is False.
        ("not (Afslutning.BehandlingAfsluttetDato < Anmodning.BehandlingAnmodningDato)", False),
        ("Afslutning.BehandlingAfsluttetDato == None", True),
        ("Afslutning.BehandlingAfsluttetDato != Anmodning.BehandlingAnmodningDato", True),
    ]:
        module = module_of(tmp_path, spec, rule(check=expression))
        changes = {"Ivaerksaettelse.HenvisningPaaOpfordringAfListe": None, "Afslutning": None}
        found = violations(module, changes)
        assert (found == []) is holds, expression
    # A `when` of None does not hold.
    module = module_of(
        tmp_path, spec, rule(when="Afslutning.BehandlingAfsluttetDato", check="False")
    )
    assert violations(module, {"Afslutning": None}) == []


# Inside a comprehension's iterable a comparison is a call of the engine (_lt, _le, _gt, _ge):
# strict or not as written, and a comparison with None holds, on either side.
@pytest.mark.parametrize(
    ("condition", "count", "no_id"),
    [
        ("u.TilbudId < 4712", 1, False),
        ("u.TilbudId <= 4712", 2, False),
        ("u.TilbudId > 4711", 1, False),
        ("u.TilbudId >= 4711", 2, False),
        ("u.TilbudId < 0", 1, True),
        ("u.TilbudId <= 0", 1, True),
        ("u.TilbudId > 9999", 1, True),
        ("u.TilbudId >= 9999", 1, True),
        ("9999 < u.TilbudId", 1, True),
        ("9999 <= u.TilbudId", 1, True),
        ("0 > u.TilbudId", 1, True),
        ("0 >= u.TilbudId", 1, True),
    ],
)
def test_comparisons_in_a_comprehensions_iterable(tmp_path, spec, condition, count, no_id):
    check = f"len([t for t in [u for u in Tilbudstilknytninger if {condition}]]) == {count}"
    module = module_of(tmp_path, spec, rule(check=check))
    changes = {"Tilbudstilknytninger.0.TilbudId": None} if no_id else {}
    assert violations(module, changes) == [], check


# --- refused constructs ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expression", "needle"),
    [
        ("__import__('os')", "unknown function '__import__'"),
        ("eval('1')", "unknown function 'eval'"),
        ("open('x')", "unknown function 'open'"),
        ("foo(1)", "unknown function 'foo'"),
        ("(lambda: True)()", "not a function"),
        ("lambda: True", "a lambda"),
        ("today.year == 2026", "attribute access on a non-form"),
        ("Anmodning.KommuneKode.real == 1", "attribute access on a non-form"),
        ("Tilbudstilknytninger.TilbudId == 1", "attribute access on a non-form"),
        ("Anmodning.__class__ is None", "has no field '__class__'"),
        ("Anmodning.Foo is None", "has no field 'Foo'"),
        ("Tilbudstilknytninger[0] is None", "subscripting"),
        ("{1: 2} is None", "a dict"),
        ("[1, 2] is None", "a list literal"),
        ("f'{today}' is None", "an f-string"),
        ("(x := 1) == 1", "assignment expression"),
        ("1.5 > 1", "literal 1.5"),
        ("Anmodning.KommuneKode * 2 == 2", "only + and -"),
        ("unknown_name == 1", "unknown name 'unknown_name'"),
        ("Anmodning.BehandlingAnmodningDato >= '2019-07-01'", 'date("YYYY-MM-DD")'),
        ("Anmodning.BehandlingTidligereKode == 1", "never true"),
        (
            'Anmodning.BehandlingTidligereKode == "07"',
            "'07' is not a code of BehandlingTidligereKode",
        ),
        ('Anmodning.BehandlingTidligereKode in ("01", "42")', "'42' is not a code"),
        ("Anmodning.KommuneKode is 5", "only allowed with None"),
        ("filled(x=1)", "no keyword argument"),
        ("filled(*Tilbudstilknytninger)", "unpacking"),
        ("any(t for t in Tilbudstilknytninger for u in Tilbudstilknytninger)", "only one `for`"),
        ("any(Anmodning for Anmodning in Tilbudstilknytninger)", "reserved name"),
        ("any(_x for _x in Tilbudstilknytninger)", "reserved name"),
        ("import os", "not a Python expression"),
        ('in_force("NoSuchList", "01", today)', "no code list 'NoSuchList'"),
        (
            'in_force("BehandlingFormaalKode", Anmodning.BehandlingTidligereKode, today)',
            "holds codes of",
        ),
        ("valid_cpr(Anmodning.KommuneKode)", "valid_cpr() needs string"),
        ("days(Anmodning.BehandlingAnmodningDato, 5)", "days() needs date"),
        ("Anmodning.BehandlingAnmodningDato + 1", "add_days"),
        ('date("2026-02-30") is None', "not a date"),
        ("len(t for t in Tilbudstilknytninger)", "no generator"),
        ("(t for t in Tilbudstilknytninger)", "only allowed as the argument"),
        ("filled", "must be called"),
        ("field.datatype == 'date'", "unknown name 'field'"),
        ("Afslutning < Anmodning", "compares dates"),
    ],
)
def test_refused_construct_names_rule_file_line_and_construct(tmp_path, spec, expression, needle):
    error = refused(tmp_path, spec, "SMDB-IVÆR-T", "check:", needle, check=expression)
    assert error.line > 1


def test_refusal_points_at_the_line_inside_a_block_expression(tmp_path, spec):
    text = (
        "- id: SMDB-IVÆR-T\n"
        "  title_en: t\n"
        '  section: "6.1.3"\n'
        "  felt_ids: [44-IVÆR]\n"
        "  severity: error\n"
        "  basis: stated\n"
        '  cites: ["2399"]\n'
        "  context: case\n"
        "  check: |\n"
        "    filled(Anmodning.KommuneKode)\n"
        "    and __import__('os')\n"
        "  message_da: x\n"
        "  message_en: x\n"
        "  examples: {valid: [{}], invalid: [{}]}\n"
    )
    with pytest.raises(SourceError) as info:
        load(tmp_path, spec, text=text)
    assert info.value.line == 11 and "__import__" in str(info.value)


def test_select_may_only_use_field_metadata(tmp_path, spec):
    refused(
        tmp_path,
        spec,
        "select",
        "may only use `field`",
        id="SMDB-FELT-T",
        context="field",
        felt_ids=[],
        select="Anmodning.KommuneKode == 1",
    )
    refused(
        tmp_path,
        spec,
        "field metadata has no 'colour'",
        id="SMDB-FELT-T",
        context="field",
        felt_ids=[],
        select="field.colour == 1",
    )


def test_context_names_are_not_visible_elsewhere(tmp_path, spec):
    refused(tmp_path, spec, "unknown name 't'", check="t.TilbudId == 1")
    refused(tmp_path, spec, "unknown name 'value'", check="value == 1")
    refused(
        tmp_path,
        spec,
        "unknown name 'problem'",
        id="SMDB-FELT-T",
        felt_ids=[],
        context="field",
        select="True",
        check="problem.kind == 'x'",
    )


# --- loader errors ------------------------------------------------------------------------------


def test_loader_errors_name_file_and_line(tmp_path, spec):
    refused(tmp_path, spec, "missing key(s): check", check=...)
    refused(tmp_path, spec, "unknown key 'chek'", chek="True")
    refused(tmp_path, spec, "unknown prefix 'XYZ'", id="SMDB-XYZ-1")
    refused(tmp_path, spec, "must read SMDB-<prefix>-<name>", id="IVÆR-45")
    refused(tmp_path, spec, "severity must be one of", severity="fatal")
    refused(tmp_path, spec, "context must be one of", context="form")
    refused(tmp_path, spec, "Felt-ID '99-IVÆR' is not in the spec", felt_ids=["99-IVÆR"])
    refused(tmp_path, spec, "listed twice", felt_ids=["44-IVÆR", "44-IVÆR"])
    refused(tmp_path, spec, "at least one Felt-ID", felt_ids=[])
    refused(
        tmp_path,
        spec,
        "applies.from 2026-02-01 is not a date-control point on 2-ANM",
        applies={"from": "2026-02-01", "to": None},
    )
    refused(
        tmp_path,
        spec,
        "applies.from must be before applies.to",
        applies={"from": "2025-07-01", "to": "2019-07-01"},
    )
    refused(
        tmp_path,
        spec,
        "examples.invalid must list at least one",
        examples={"valid": [{}], "invalid": []},
    )
    refused(tmp_path, spec, "exactly the keys valid and invalid", examples={"valid": [{}]})
    refused(tmp_path, spec, "placeholder {value} is not offered", message_en="{value}")
    refused(tmp_path, spec, "select is only for context field", select="True")
    refused(
        tmp_path, spec, "missing key(s): select", id="SMDB-FELT-T", context="field", felt_ids=[]
    )
    refused(tmp_path, spec, "SMDB-FELT- rules have context field", id="SMDB-FELT-T")
    refused(tmp_path, spec, "context field is for", context="field", select="True")
    refused(tmp_path, spec, "SMDB-SAG- rules, and only they, use other_cases", id="SMDB-SAG-T")
    refused(tmp_path, spec, "SMDB-SAG- rules, and only they", check="len(other_cases) == 0")
    refused(
        tmp_path,
        spec,
        "the case has no 'Afslutningen'",
        examples={"valid": [{"Afslutningen.X": 1}], "invalid": [{}]},
    )
    refused(
        tmp_path,
        spec,
        "has no field 'Dato'",
        examples={"valid": [{"Afslutning.Dato": 1}], "invalid": [{}]},
    )
    refused(
        tmp_path,
        spec,
        "unknown setting '$idag'",
        examples={"valid": [{"$idag": "2026-01-01"}], "invalid": [{}]},
    )


def test_example_that_does_not_fit_the_base_case(tmp_path, spec):
    folder = write(
        tmp_path,
        rule(examples={"valid": [{}], "invalid": [{"Tilbudstilknytninger.5.TilbudId": 1}]}),
    )
    (folder / "examples").mkdir()
    (folder / "examples" / "base-case.json").write_text(json.dumps(BASE), encoding="utf-8")
    with pytest.raises(SourceError, match=r"invalid\[0\].*index 5 out of range") as info:
        load_rules(folder, spec, tmp_path)
    assert info.value.line is not None


def test_duplicate_id_across_files(tmp_path, spec):
    write(tmp_path, rule(), name="a.yaml")
    folder = write(tmp_path, rule(), name="b.yaml")
    with pytest.raises(SourceError, match="used twice") as info:
        load_rules(folder, spec, tmp_path)
    assert info.value.file.endswith("b.yaml") and info.value.line == 1


def test_yaml_errors_and_duplicate_keys(tmp_path, spec):
    with pytest.raises(SourceError, match="not valid YAML") as info:
        load(tmp_path, spec, text="- id: [unclosed\n  check: x\n")
    assert info.value.line is not None
    with pytest.raises(SourceError, match="'check' is given twice") as info:
        load(tmp_path, spec, text=yaml.safe_dump([rule()], sort_keys=False) + "  check: False\n")
    assert info.value.line is not None
    with pytest.raises(SourceError, match="a list of rules"):
        load(tmp_path, spec, text="id: SMDB-IVÆR-T\n")


def test_no_rules_folder_means_no_rules(tmp_path, spec):
    assert load_rules(tmp_path / "nowhere", spec, tmp_path) == ()


def test_felt_ids_of_forms_whose_fields_are_not_stated(tmp_path, spec):
    rules = load(
        tmp_path,
        spec,
        rule(id="SMDB-DATO-T", felt_ids=["1-INDS", "1-YDEL", "Indskrivning", "KvalHep"]),
    )
    assert rules[0].felt_ids == ("1-INDS", "1-YDEL", "Indskrivning", "KvalHep")
    refused(tmp_path, spec, "'1-ANMX' is not in the spec", felt_ids=["1-ANMX"])


def test_rule_model_keeps_the_source(tmp_path, spec):
    (loaded,) = load(
        tmp_path, spec, rule(examples={"valid": [{"$today": dt.date(2026, 1, 2)}], "invalid": [{}]})
    )
    assert loaded.source.file.endswith("r.yaml") and loaded.source.place == "line 1"
    assert loaded.examples.valid[0].changes[0].value == "2026-01-02"  # YAML dates -> JSON form
    assert loaded.function_name == "SMDB_IVÆR_T"


def test_generation_fails_without_both_kinds_of_examples(tmp_path, spec):
    (loaded,) = load(tmp_path, spec, rule())
    broken = dataclasses.replace(loaded, examples=Examples(valid=loaded.examples.valid, invalid=()))
    with pytest.raises(ValueError, match="at least one valid and one invalid example"):
        compile_module(spec, [broken])


def test_generation_fails_when_a_function_is_missing(tmp_path, spec):
    (loaded,) = load(tmp_path, spec, rule())
    with pytest.raises(ValueError, match="0 check functions SMDB_IVÆR_T"):
        validation_emitter.check_complete("x = 1\n", (loaded,))


# --- examples ------------------------------------------------------------------------------------


def test_apply_changes():
    case = apply_changes(
        BASE,
        [
            ("Afslutning", None),
            ("Afslutning.BehandlingAfsluttetDato", "2026-07-01"),
            ("Tilbudstilknytninger.-1.TilbudId", 1),
            ("Tilbudstilknytninger+", {"TilbudId": 2}),
            ("Ivaerksaettelse.HenvisningPaaOpfordringAfListe+", "99"),
        ],
    )
    assert case["Afslutning"] == {"BehandlingAfsluttetDato": "2026-07-01"}
    assert [t["TilbudId"] for t in case["Tilbudstilknytninger"]] == [4711, 1, 2]
    assert case["Ivaerksaettelse"]["HenvisningPaaOpfordringAfListe"] == ["01", "22", "99"]
    assert BASE["Afslutning"] is not None  # the base case is not changed
    with pytest.raises(ExampleError, match="not an index"):
        apply_changes(BASE, [("Tilbudstilknytninger.x.TilbudId", 1)])
    with pytest.raises(ExampleError, match="can only append to a list"):
        apply_changes(BASE, [("Anmodning.KommuneKode+", 1)])


# --- the engine's primitives ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cpr", "born"),
    [
        ("0101001234", dt.date(1900, 1, 1)),  # 7th digit 0-3: 1900-1999
        ("3112993999", dt.date(1999, 12, 31)),
        ("0101364234", dt.date(2036, 1, 1)),  # 4 and 9: 2000-2036, 1937-1999
        ("0101374234", dt.date(1937, 1, 1)),
        ("0101369234", dt.date(2036, 1, 1)),
        ("0101379234", dt.date(1937, 1, 1)),
        ("0101575234", dt.date(2057, 1, 1)),  # 5-8: 2000-2057, 1858-1899
        ("0101588234", dt.date(1858, 1, 1)),
        ("2902004234", dt.date(2000, 2, 29)),
        ("2902001234", None),  # 1900 was no leap year
        ("6101901234", None),  # replacement number (erstatningspersonnummer): day + 60
        ("0113901234", None),
        ("150390-1234", None),
        ("150390123", None),
        ("15039O1234", None),
        ("１５０３９０１２３４", None),  # not ASCII digits
        (1503901234, None),
    ],
)
def test_cpr(engine, cpr, born):
    assert engine.birth_date(cpr) == born
    assert engine.valid_cpr(cpr) is (born is not None)


def test_cpr_age_and_mask(engine):
    assert engine.valid_cpr(None) is True
    assert engine.age_on("1503901234", dt.date(2026, 3, 14)) == 35
    assert engine.age_on("1503901234", dt.date(2026, 3, 15)) == 36
    assert engine.age_on("1503901234", None) is None
    assert engine.mask_cpr("1503901234") == "150390-****"
    assert engine.mask_cpr("150390-1234") == "150390-****"
    assert engine.mask_text("CPR 1503901234 og 150390 1234, 2026-02-02") == (
        "CPR 150390-**** og 150390-****, 2026-02-02"
    )


def test_kommune_from_the_spec(engine, spec):
    codes = {m.code for m in spec.municipalities}
    assert all(engine.is_kommune(code) for code in codes)
    assert not engine.is_kommune(411) and not engine.is_kommune("101")
    assert engine.is_kommune(None) is True


def test_codes(engine):
    assert engine.code_known("BehandlingTidligereKode", "01")
    assert engine.code_known(None, "01") and engine.code_known("BehandlingTidligereKode", None)
    assert not engine.code_known("BehandlingTidligereKode", "1")
    assert engine.code_known("HenvisningPaaOpfordringAfListe", ["01", "99"])
    # A gap of the list's sequence is known to have existed (D7, D28); "88" never was a code.
    assert engine.code_known("HenvisningPaaOpfordringAfListe", ["01", "03"])
    assert not engine.code_known("HenvisningPaaOpfordringAfListe", ["01", "88"])
    day = dt.date(2026, 2, 2)
    aarsag = "BehandlingGarantiOverskredeAarsagKode"
    assert engine.in_force(aarsag, "05", day, 18) and not engine.in_force(aarsag, "05", day, 17)
    assert engine.in_force(aarsag, "06", day, 17) and not engine.in_force(aarsag, "06", day, 18)
    assert engine.in_force(aarsag, "05", day) is True  # no age: not judged
    assert not engine.in_force(aarsag, "05", day, 0)  # age 0 is an age (a newborn's case)
    assert engine.in_force(aarsag, "03", day) is False  # an old option: not in force in 2026
    assert engine.in_force(aarsag, "77", day) is False  # not in the list
    # §6.3: 4-IVÆR's old options are in force for a case with 2-ANM before 2019-07-01.
    assert engine.in_force(aarsag, "03", dt.date(2019, 6, 30)) is True
    assert engine.in_force(aarsag, "03", dt.date(2019, 7, 1)) is False
    # 31-IVÆR kept its codes: its gaps are no old options.
    assert not engine.in_force("HenvisningPaaOpfordringAfListe", "03", dt.date(2018, 1, 1))
    assert engine.in_force(aarsag, None, day) and engine.in_force(aarsag, "03", None)


def test_dates_and_lists(engine):
    assert engine.days(dt.date(2026, 2, 2), dt.date(2026, 2, 16)) == 14
    assert engine.days(None, dt.date(2026, 2, 16)) is None
    assert engine.add_days(dt.date(2026, 2, 2), -2) == dt.date(2026, 1, 31)
    assert engine.add_days(dt.date.max, 1) is None
    assert engine.add_days(None, 3) is None and engine.add_days(dt.date(2026, 2, 2), None) is None
    assert engine.filled(0) and engine.filled(False) and not engine.filled("")
    assert not engine.filled([]) and not engine.filled(None)

    def tilbud(start, end=None):
        return {
            "S": start and dt.date.fromisoformat(start),
            "E": end and dt.date.fromisoformat(end),
        }

    parallel = engine.max_parallel
    assert parallel([], "S", "E") == 0
    assert parallel([tilbud("2026-01-01")], "S", "E") == 1
    # Half-open (the default, spec/rules/definitions/overlap.yaml): ending on the day the next
    # starts is no overlap; a one-day tilbud is open on its day.
    assert parallel([tilbud("2026-01-01", "2026-01-10"), tilbud("2026-01-10")], "S", "E") == 1
    assert parallel([tilbud("2026-01-01", "2026-01-10"), tilbud("2026-01-09")], "S", "E") == 2
    one_day = tilbud("2026-01-05", "2026-01-05")
    assert parallel([tilbud("2026-01-01", "2026-01-10"), one_day], "S", "E") == 2
    assert parallel([tilbud("2026-01-01", "2026-01-05"), one_day], "S", "E") == 1
    # ... and switches like a longer one (D24): it ends on the day the next starts, or starts
    # on the day the previous ends; two one-day tilbud on one day may follow each other.
    assert parallel([one_day, tilbud("2026-01-05", "2026-01-10")], "S", "E") == 1
    assert parallel([one_day, tilbud("2026-01-05")], "S", "E") == 1
    assert parallel([one_day, dict(one_day)], "S", "E") == 1
    two_around = [tilbud("2026-01-01", "2026-01-10"), tilbud("2026-01-04"), one_day]
    assert parallel(two_around, "S", "E") == 3
    assert parallel([tilbud("2026-01-05", "2026-01-06"), one_day], "S", "E") == 1
    assert parallel([tilbud("2026-01-05", "2026-01-06"), tilbud("2026-01-05")], "S", "E") == 2
    assert parallel([one_day, tilbud("2026-01-05", "2026-01-06")], "S", "E", True) == 2
    # With the end day included, ending on the day the next starts overlaps that day.
    both = [tilbud("2026-01-01", "2026-01-10"), tilbud("2026-01-10")]
    assert parallel(both, "S", "E", True) == 2
    assert parallel([tilbud("2026-01-01", "2026-01-09"), tilbud("2026-01-10")], "S", "E", True) == 1
    # An open end is open for ever; no start is never open.
    assert parallel([tilbud("2026-01-01"), tilbud("2030-01-01", "2030-01-02")], "S", "E") == 2
    assert parallel([tilbud(None, "2026-01-10"), tilbud("2026-01-01")], "S", "E") == 1
    assert parallel([tilbud("2026-01-10", "2026-01-01"), tilbud("2026-01-05")], "S", "E") == 1
    # 9999-12-31, the last day a date can hold (some systems' "open"), does not overflow.
    assert parallel([tilbud("2026-01-01", "9999-12-31"), tilbud("2030-01-01")], "S", "E") == 2
    assert parallel([tilbud("2026-01-01", "9999-12-31"), tilbud("2030-01-01")], "S", "E", True) == 2


def test_today_must_be_a_date(tmp_path, spec):
    module = module_of(tmp_path, spec, rule())
    assert violations(module, today="2026-11-01") == []
    with pytest.raises(TypeError, match="today must be a date"):
        violations(module, today=20261101)
