"""The `smdb.codelists` emitter: the generated module against the canonical spec, and its
behaviour (validity boundaries, ages, normalisation, several periods) on small hand-built specs.
"""

from __future__ import annotations

import ast
import datetime as dt
import importlib.util
import itertools
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT

from codegen.build import build_spec
from codegen.datecontrol import former_codes
from codegen.emitters import codelists as emitter
from codegen.emitters.context import EmitContext
from codegen.history import History
from codegen.model import NOT_STATED, Code, CodeList, DateValue, Release, Spec, Validity
from codegen.spec_json import spec_document

GENERATED = ROOT / "generated" / "python"
MODULE_PATH = GENERATED / "smdb" / "codelists.py"
CANONICAL = ROOT / "spec" / "canonical" / "2026-01-01.json"
_counter = itertools.count()


def load_module(path: Path) -> ModuleType:
    """Import a generated file by path, under a fresh name (nothing is installed)."""
    name = f"_generated_codelists_{next(_counter)}"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def code(
    value: str,
    text: str,
    position: int,
    valid_from: DateValue = NOT_STATED,
    valid_to: DateValue = None,
    **extra,
) -> Code:
    return Code(
        code=value,
        text_da=text,
        position=position,
        option_number=extra.pop("option_number", position),
        validity=Validity(valid_from, valid_to),
        **extra,
    )


def make_spec(*codelists: CodeList) -> Spec:
    release = Release(id="2030-01-01", effective=dt.date(2030, 1, 1), kravspec="test", sources=())
    return Spec(release=release, forms=(), codelists=codelists, date_control=(), services=())


def render(spec: Spec, releases: History | None = None) -> str:
    files = emitter.emit(EmitContext(spec=spec, document=spec_document(spec), releases=releases))
    assert list(files) == ["python/smdb/codelists.py"]
    return files["python/smdb/codelists.py"]


def emit_and_load(tmp_path: Path, *codelists: CodeList) -> ModuleType:
    path = tmp_path / "codelists.py"
    path.write_text(render(make_spec(*codelists)), encoding="utf-8")
    return load_module(path)


@pytest.fixture(scope="module")
def generated() -> ModuleType:
    return load_module(MODULE_PATH)


@pytest.fixture(scope="module")
def canonical() -> list[dict]:
    return json.loads(CANONICAL.read_text(encoding="utf-8"))["codelists"]


VALID_FROM, VALID_TO = dt.date(2019, 7, 1), dt.date(2025, 7, 1)


@pytest.fixture
def dated(tmp_path) -> ModuleType:
    """A list with one dated code (2019-07-01 up to, not including, 2025-07-01)."""
    return emit_and_load(
        tmp_path,
        CodeList(
            name="TestKode",
            codes=(
                code("01", "Altid", 1),
                code("02", "Dateret", 2, VALID_FROM, VALID_TO),
                code("04", "Åben start", 3, None, None),
            ),
            missing_codes=("03",),
        ),
    )


# The generated module against the canonical spec

FORMER = former_codes(build_spec("2026-01-01"))


def test_old_options_come_from_date_control():
    assert {
        "BehandlingGarantiOverskredeAarsagKode": (("03",), dt.date(2019, 7, 1)),
        "BehandlingFormaalKode": (("03",), dt.date(2019, 7, 1)),
    } == FORMER


def test_every_code_of_every_list_is_a_member_in_display_order(generated, canonical):
    assert sorted(generated.CODELISTS) == sorted(c["name"] for c in canonical)
    for codelist in canonical:
        cls = generated.CODELISTS[codelist["name"]]
        assert cls.__name__ == codelist["name"]
        assert getattr(generated, codelist["name"]) is cls
        codes = sorted(codelist["codes"], key=lambda c: c["position"])
        # After the listed codes: the old options known from date control (§6.3), no text.
        old, until = FORMER.get(codelist["name"], ((), None))
        assert [m.value for m in cls] == [c["code"] for c in codes] + list(old)
        assert [m.name for m in cls] == [
            f"KODE_{c}" for c in [c["code"] for c in codes] + list(old)
        ]
        assert tuple(codelist["missing_codes"]) == cls.MISSING_CODES
        for code in old:
            member = cls(code)
            assert (member.text_da, member.valid_to, member.valid_from_stated) == (
                None,
                until,
                False,
            )
        for member, expected in zip(list(cls)[: len(codes)], codes, strict=True):
            assert member == expected["code"]
            assert member.text_da == expected["text_da"]
            assert member.option_number == expected["option_number"]
            assert (member.min_age, member.max_age) == (expected["min_age"], expected["max_age"])
            validity = expected["validity"]
            assert member.valid_from_stated == (validity["valid_from"] != "not-stated")
            for attribute in ("valid_from", "valid_to"):
                value = validity[attribute]
                stated = None if value in (None, "not-stated") else dt.date.fromisoformat(value)
                assert getattr(member, attribute) == stated
            assert len(member.periods) == 1


def test_known_lists_and_members(generated):
    assert generated.BehandlingFormaalKode.KODE_01 == "01"
    assert generated.BehandlingTidligereKode.KODE_99.text_da == "Uoplyst"
    danish = generated.CODELISTS["PersonPsykiskFunktionsnedsættelseKode"]
    assert danish is generated.PersonPsykiskFunktionsnedsættelseKode
    assert str(danish.KODE_01) == "01" and f"{danish.KODE_01}" == "01"
    assert generated.PersonAktueltHovedstofKode.MISSING_CODES == ("01", "03", "05", "09", "10")
    assert generated.BehandlingFormaalKode.MISSING_CODES == ("03",)


def test_codes_with_unstated_start_are_in_force_any_day(generated):
    cls = generated.BehandlingFormaalKode
    listed = [m for m in cls if m.text_da is not None]
    for day in (dt.date(1990, 1, 1), dt.date(2026, 1, 1), dt.date(2100, 12, 31)):
        assert [m for m in cls.valid_on(day) if m.text_da is not None] == listed
    assert cls.KODE_01.valid_from is None and not cls.KODE_01.valid_from_stated
    # 6-IVÆR's old option (§6.3) is in force only before the sanering.
    assert cls.KODE_03 in cls.valid_on(dt.date(1990, 1, 1))
    assert cls.KODE_03 not in cls.valid_on(dt.date(2026, 1, 1))


@pytest.mark.parametrize("age", [17, 18])
def test_4_ivaer_age_dependent_options(generated, age):
    cls = generated.BehandlingGarantiOverskredeAarsagKode
    day = dt.date(2026, 2, 2)
    adult, minor = cls.KODE_05, cls.KODE_06
    assert (adult.min_age, adult.max_age, minor.min_age, minor.max_age) == (18, None, None, 17)
    allowed, refused = (adult, minor) if age >= 18 else (minor, adult)
    options = cls.valid_on(day, age=age)
    assert allowed in options and refused not in options
    in_force = [m for m in cls if m is not refused and m.in_force(day)]
    assert options == in_force  # still in display order
    assert cls.lookup(allowed.value, on=day, age=age) is allowed
    assert cls.lookup(allowed.value, age=age) is allowed
    with pytest.raises(generated.CodeNotInForceError) as caught:
        cls.lookup(refused.value, on=day, age=age)
    message = str(caught.value)
    assert cls.__name__ in message and f"'{refused.value}'" in message
    assert f"age {age}" in message and "2026-02-02" in message
    assert ("18 and over" if refused is adult else "17 and under") in message
    assert caught.value.age == age
    # Without an age, both options are offered.
    assert {adult, minor} <= set(cls.valid_on(day))


@pytest.mark.parametrize("given", ["5", 5, " 05", "05 ", " 5 "])
def test_lookup_normalises_codes(generated, given):
    cls = generated.BehandlingGarantiOverskredeAarsagKode
    assert cls.lookup(given) is cls.KODE_05
    assert cls.normalise_code(given) == "05"


@pytest.mark.parametrize("given", ["005", "5a", "", 105])
def test_lookup_of_codes_that_do_not_normalise_to_a_member(generated, given):
    with pytest.raises(generated.UnknownCodeError):
        generated.BehandlingGarantiOverskredeAarsagKode.lookup(given)


@pytest.mark.parametrize("given", [True, 5.0, None, b"05"])
def test_lookup_refuses_other_types(generated, given):
    with pytest.raises(TypeError):
        generated.BehandlingGarantiOverskredeAarsagKode.lookup(given)


def test_unknown_code(generated):
    cls = generated.HenvisningPaaOpfordringAfListe  # 31-IVÆR: 03 is a gap, no old option
    with pytest.raises(generated.UnknownCodeError) as caught:
        cls.lookup(3)
    error = caught.value
    assert isinstance(error, LookupError) and isinstance(error, ValueError)
    assert isinstance(error, generated.CodeError)
    assert not isinstance(error, generated.CodeNotInForceError)
    assert "HenvisningPaaOpfordringAfListe" in str(error) and "'03'" in str(error)
    assert "absent from the list's sequence" in str(error)  # 03 is a missing code
    assert (error.codelist, error.code) == ("HenvisningPaaOpfordringAfListe", 3)
    with pytest.raises(generated.UnknownCodeError, match="codes: 01, 02, 04, 18,"):
        cls.lookup("77")


def test_error_hierarchy(generated):
    assert issubclass(generated.CodeError, ValueError)
    assert issubclass(generated.UnknownCodeError, generated.CodeError)
    assert issubclass(generated.UnknownCodeError, LookupError)
    assert issubclass(generated.CodeNotInForceError, generated.CodeError)
    assert not issubclass(generated.CodeNotInForceError, generated.UnknownCodeError)


def test_module_imports_neither_codegen_nor_heavy_packages():
    script = (
        "import sys\n"
        f"sys.path.insert(0, {str(GENERATED)!r})\n"
        "import smdb.codelists\n"
        "print(sorted(m for m in ('codegen', 'pydantic', 'lxml', 'jinja2', 'typing')"
        " if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
    imports = set()
    for node in ast.walk(ast.parse(MODULE_PATH.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imports |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imports.add(node.module.split(".")[0])
    assert imports == {"__future__", "datetime", "enum", "typing"}  # typing: TYPE_CHECKING only


def test_generated_file_is_current_and_tidy(generated):
    from codegen.build import build_spec

    spec = build_spec("2026-01-01")
    text = render(spec, History.of([build_spec("2025-07-01"), spec]))  # as `make generate`
    assert MODULE_PATH.read_text(encoding="utf-8") == text, "run `smdbgen generate`"
    assert text.startswith("# Generated by smdbgen from spec/canonical/2026-01-01.json")
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert not [n for n, line in enumerate(text.splitlines(), 1) if line != line.rstrip()]
    assert "\t" not in text
    compile(text, str(MODULE_PATH), "exec")
    for cls in generated.CODELISTS.values():
        assert cls.__doc__ and "exclusive" in cls.__doc__
        for member in cls:
            assert f"``{member.value}``" in cls.__doc__
    for name in ("valid_on", "lookup", "normalise_code", "period_on", "in_force", "allows_age"):
        assert getattr(generated.CodeEnum, name).__doc__
    assert "exclusive" in generated.__doc__


def test_output_is_deterministic_and_escapes_texts(tmp_path):
    tricky = 'Tekst med "citat", \\ og """ og \'enkelt\''
    codelists = (
        CodeList(name="AKode", codes=(code("02", "B", 1), code("01", "A", 2))),
        CodeList(name="BKode", codes=(code("01", tricky, 1),)),
    )
    first = render(make_spec(*codelists))
    assert first == render(make_spec(*codelists))
    # Member names derive from the codes, in display order.
    members = re.findall(r"^    (KODE_\w+) = \($", first, re.MULTILINE)
    assert members == ["KODE_02", "KODE_01", "KODE_01"]
    module = emit_and_load(tmp_path, *codelists)
    assert module.BKode.KODE_01.text_da == tricky
    assert f"``01`` (option 1): {tricky}" in module.BKode.__doc__
    assert list(module.CODELISTS) == ["AKode", "BKode"]


# Validity boundaries, on a hand-built spec


@pytest.mark.parametrize(
    ("day", "in_force"),
    [
        (VALID_FROM - dt.timedelta(days=1), False),
        (VALID_FROM, True),
        (VALID_TO - dt.timedelta(days=1), True),
        (VALID_TO, False),  # valid_to is exclusive
    ],
)
def test_validity_boundaries(dated, day, in_force):
    cls = dated.TestKode
    member = cls.KODE_02
    assert (member.valid_from, member.valid_to) == (VALID_FROM, VALID_TO)
    assert member.valid_from_stated
    assert member.in_force(day) is in_force
    expected = [cls.KODE_01, cls.KODE_02, cls.KODE_04] if in_force else [cls.KODE_01, cls.KODE_04]
    assert cls.valid_on(day) == expected
    assert cls.valid_on(dt.datetime.combine(day, dt.time(23, 59))) == expected
    if in_force:
        assert cls.lookup("02", on=day) is member
        assert cls.lookup(2, on=day, age=40) is member
    else:
        with pytest.raises(dated.CodeNotInForceError) as caught:
            cls.lookup("2", on=day)
        message = str(caught.value)
        assert "TestKode" in message and "'02'" in message and day.isoformat() in message
        assert "from 2019-07-01, until 2025-07-01 (exclusive)" in message
        assert caught.value.on == day
    assert cls.lookup("02") is member  # no date: no validity check


def test_open_and_unstated_starts(dated):
    cls = dated.TestKode
    assert cls.KODE_01.valid_from is None and not cls.KODE_01.valid_from_stated
    assert cls.KODE_04.valid_from is None and cls.KODE_04.valid_from_stated
    assert cls.KODE_01.valid_to is None and cls.KODE_01.valid_to_stated
    assert cls.MISSING_CODES == ("03",)
    with pytest.raises(dated.UnknownCodeError, match="absent from the list's sequence"):
        cls.lookup("03", on=VALID_FROM)


def test_age_limits_on_a_hand_built_list(tmp_path):
    module = emit_and_load(
        tmp_path,
        CodeList(
            name="AlderKode",
            codes=(
                code("01", "Alle", 1),
                code("02", "Voksen", 2, min_age=18),
                code("03", "Ung", 3, min_age=12, max_age=17),
            ),
        ),
    )
    cls, day = module.AlderKode, dt.date(2026, 1, 1)
    assert [m.value for m in cls.valid_on(day, age=11)] == ["01"]
    assert [m.value for m in cls.valid_on(day, age=12)] == ["01", "03"]
    assert [m.value for m in cls.valid_on(day, age=17)] == ["01", "03"]
    assert [m.value for m in cls.valid_on(day, age=18)] == ["01", "02"]
    with pytest.raises(module.CodeNotInForceError, match="only for ages 12 to 17"):
        cls.lookup("03", age=18)
    with pytest.raises(TypeError):
        cls.valid_on(day, age=-1)


def test_a_code_with_several_periods_is_one_member(tmp_path):
    change = dt.date(2022, 1, 1)
    module = emit_and_load(
        tmp_path,
        CodeList(
            name="SkiftKode",
            codes=(
                code("01", "Gammel tekst", 1, VALID_FROM, change, option_number=1),
                code("02", "Anden", 2, NOT_STATED, None, option_number=2),
                code("01", "Ny tekst", 3, change, VALID_TO, option_number=3, min_age=18),
            ),
        ),
    )
    cls = module.SkiftKode
    member = cls.KODE_01
    assert list(cls) == [cls.KODE_02, cls.KODE_01]  # the latest row's display position
    assert [p.text_da for p in member.periods] == ["Gammel tekst", "Ny tekst"]
    assert [(p.valid_from, p.valid_to) for p in member.periods] == [
        (VALID_FROM, change),
        (change, VALID_TO),
    ]
    assert member.text_da == "Ny tekst" and member.option_number == 3
    assert (member.valid_from, member.valid_to) == (VALID_FROM, VALID_TO)
    before, last_old = VALID_FROM - dt.timedelta(days=1), change - dt.timedelta(days=1)
    assert cls.valid_on(before) == [cls.KODE_02]
    assert cls.valid_on(VALID_FROM) == [member, cls.KODE_02]  # the old row came first
    assert cls.valid_on(last_old) == [member, cls.KODE_02]
    assert cls.valid_on(change) == [cls.KODE_02, member]
    assert cls.valid_on(VALID_TO) == [cls.KODE_02]
    assert member.text_on(last_old) == "Gammel tekst" and member.text_on(change) == "Ny tekst"
    assert member.text_on(VALID_TO) is None
    # Ages follow the period in force: the old period had no limit.
    assert member in cls.valid_on(last_old, age=10)
    assert member not in cls.valid_on(change, age=10)
    assert cls.lookup("1", on=last_old, age=10) is member
    with pytest.raises(module.CodeNotInForceError, match="age 18 and over"):
        cls.lookup("1", on=change, age=10)
    with pytest.raises(module.CodeNotInForceError) as caught:
        cls.lookup("01", on=VALID_TO)
    assert (
        "from 2019-07-01, until 2022-01-01 (exclusive); from 2022-01-01, until 2025-07-01 "
        "(exclusive)" in str(caught.value)
    )
    with pytest.raises(module.CodeNotInForceError):
        cls.lookup("01", on=before)


def test_overlapping_periods_are_refused():
    spec = make_spec(
        CodeList(
            name="DobbeltKode",
            codes=(code("01", "A", 1, VALID_FROM, None), code("01", "B", 2, VALID_TO, None)),
        )
    )
    with pytest.raises(ValueError, match="'DobbeltKode': code '01' has overlapping validity"):
        render(spec)


@pytest.mark.parametrize("name", ["class", "Period", "CodeEnum", "Ikke-et-navn", "ﬁKode"])
def test_unusable_class_names_are_refused(name):
    with pytest.raises(ValueError, match="not usable as a Python class name"):
        render(make_spec(CodeList(name=name, codes=(code("01", "A", 1),))))
