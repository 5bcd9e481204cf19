"""`smdb.xml`, the generated XML (de)serialisers: WSDL-valid output, round trips, requests,
and hostile or broken input.

The generated package is imported from generated/python; strategies and expectations come
from the canonical spec, and validity from the WSDLs' own schemas (read with xmlschema, as
the WSDL importer reads them).
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import random
import traceback
from dataclasses import replace

import pytest
from conftest import ROOT, generated_module
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from xmlschema import XMLSchema10
from xmlschema.locations import SCHEMAS_DIR

from codegen.build import build_spec
from codegen.emitters import xml as xml_emitter
from codegen.emitters.context import EmitContext
from codegen.importers.wsdl import _Wsdl

RELEASE = "2026-01-01"
GENERATED = ROOT / "generated" / "python"
SOURCES = ROOT / "spec" / "sources" / RELEASE
SPEC = json.loads((ROOT / "spec" / "canonical" / f"{RELEASE}.json").read_text(encoding="utf-8"))
VERSIONS = ("v1", "v0")
CASE = "Kontaktforloeb"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
EXAMPLES = settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SERVICES = {(s["service"], s["api_version"]): s for s in SPEC["services"]}
CODELISTS = {c["name"]: [code["code"] for code in c["codes"]] for c in SPEC["codelists"]}
FORMS = {f["name"]: f for f in SPEC["forms"] if f["fields_stated"]}
FORM_NAMES = sorted(FORMS)


def wsdl_type(name: str, version: str) -> dict:
    for service in ("IndsaetData", "HentData"):
        for complex_type in SERVICES[(service, version)]["types"]:
            if complex_type["name"] == name:
                return complex_type
    raise KeyError(name)


def namespace(version: str) -> str:
    return SERVICES[("IndsaetData", version)]["namespace"]


def document(type_name: str, body: str, version: str = "v1") -> str:
    return f'<{type_name} xmlns="{namespace(version)}">{body}</{type_name}>'


# --- fixtures: the generated package and the WSDLs' schemas --------------------------------


@pytest.fixture(scope="module")
def smdb():
    """The generated `smdb` package, imported from generated/python."""
    if not (GENERATED / "smdb" / "xml.py").is_file():
        pytest.fail("generated/python/smdb/xml.py is missing: run `smdbgen generate`")
    generated_module("smdb.models")
    generated_module("smdb.xml")
    return generated_module("smdb")


@pytest.fixture(scope="module")
def schemas():
    """(service, version) -> the global XSD elements of that WSDL's embedded schemas."""
    loaded = {}
    for (service, version), spec_service in SERVICES.items():
        if service not in ("IndsaetData", "HentData"):
            continue
        path = SOURCES / f"Secure{service}-{version}.wsdl"
        meta = XMLSchema10(  # one per WSDL: the embedded schemas load into its maps
            str(SCHEMAS_DIR / "WSDL" / "wsdl.xsd"), allow="sandbox", base_url=str(SCHEMAS_DIR)
        )
        document = _Wsdl(
            io.BytesIO(path.read_bytes()),
            schema=meta,
            validation="lax",
            allow="none",
            defuse="always",
        )
        assert spec_service["namespace"] == document.target_namespace
        loaded[(service, version)] = document.schema.maps.elements
    return loaded


def assert_valid(schemas, service: str, version: str, data: bytes) -> None:
    root = etree.fromstring(data)
    element = schemas[(service, version)][root.tag]
    errors = [str(e) for e in element.iter_errors(root)]
    assert not errors, f"{root.tag} is not valid against {service} {version}:\n{errors[0]}"


def model_class(smdb, type_name: str):
    name = type_name if type_name == CASE else type_name + "Skema"
    return getattr(smdb.models, name)


# --- strategies: random valid models, from the spec ----------------------------------------

XML_CHARS = st.characters(
    min_codepoint=0x20, exclude_categories=("Cs",), exclude_characters="\ufffe\uffff"
) | st.sampled_from("\t\n\r&<>\"']")
FREE_TEXT = st.text(XML_CHARS, max_size=40) | st.sampled_from(["", " x ", "a]]>b", "æøå\r\n"])


def value_strategy(spec_field: dict | None, element: dict):
    """One element's value: from the spec's field where there is one, else its XSD type."""
    if spec_field is None:  # technical ids
        assert element["type"] == "xs:int"
        return st.integers(INT_MIN, INT_MAX)
    datatype, limits = spec_field["datatype"], spec_field["constraints"]
    codes = CODELISTS.get(spec_field["codelist"] or "")
    if spec_field["multiple"]:
        return st.lists(st.sampled_from(codes), max_size=6)
    if codes:
        return st.sampled_from(codes)
    if datatype == "integer":
        low = INT_MIN if limits["minimum"] is None else limits["minimum"]
        high = INT_MAX if limits["maximum"] is None else limits["maximum"]
        return st.integers(low, high)
    if datatype == "date":
        return st.dates()
    if datatype == "boolean":
        return st.booleans()
    text = FREE_TEXT
    if limits["max_length"]:
        text = st.text(XML_CHARS, max_size=limits["max_length"])
    if spec_field["variable"] == "PersonIdentifikator":
        text = st.from_regex(r"[0-9]{10}", fullmatch=True) | text
    return text


def form_values(form_name: str, *, full: bool = False):
    form = FORMS[form_name]
    fields = {f["variable"]: f for f in form["fields"]}
    strategies = {}
    for element in wsdl_type(form_name, "v1")["elements"]:
        value = value_strategy(fields.get(element["name"]), element)
        strategies[element["name"]] = value if full else st.none() | value
    return st.fixed_dictionaries(strategies)


def forms(smdb, form_name: str, *, full: bool = False):
    return form_values(form_name, full=full).map(model_class(smdb, form_name).model_validate)


def cases(smdb, *, full: bool = False):
    def optional(strategy):
        return strategy if full else st.none() | strategy

    return st.builds(
        smdb.models.Kontaktforloeb,
        Anmodning=forms(smdb, "Anmodning", full=full),
        Ivaerksaettelse=optional(forms(smdb, "Ivaerksaettelse", full=full)),
        Tilbudstilknytninger=st.lists(
            forms(smdb, "Tilbudstilknytning", full=full), min_size=int(full), max_size=3
        ),
        Afslutning=optional(forms(smdb, "Afslutning", full=full)),
    )


def full_form(smdb, form_name: str):
    """Every element filled in, deterministically."""
    form = FORMS[form_name]
    fields = {f["variable"]: f for f in form["fields"]}
    values = {}
    for index, element in enumerate(wsdl_type(form_name, "v1")["elements"]):
        spec_field = fields.get(element["name"])
        if spec_field is None:
            values[element["name"]] = 1000 + index
        elif spec_field["multiple"]:
            values[element["name"]] = CODELISTS[spec_field["codelist"]][:3]
        elif spec_field["codelist"]:
            values[element["name"]] = CODELISTS[spec_field["codelist"]][-1]
        else:
            values[element["name"]] = {
                "integer": spec_field["constraints"]["maximum"] or 7,
                "date": dt.date(2026, 1, 1 + index % 28),
                "boolean": index % 2 == 0,
                "string": "0101901234" if "CPR" in spec_field["question_da"] else "Tekst & <mere>",
            }[spec_field["datatype"]]
    return model_class(smdb, form_name).model_validate(values)


def full_case(smdb):
    return smdb.models.Kontaktforloeb(
        Anmodning=full_form(smdb, "Anmodning"),
        Ivaerksaettelse=full_form(smdb, "Ivaerksaettelse"),
        Tilbudstilknytninger=[full_form(smdb, "Tilbudstilknytning")] * 2,
        Afslutning=full_form(smdb, "Afslutning"),
    )


# --- the models and the WSDL agree ---------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("type_name", [*FORM_NAMES, CASE])
def test_every_wsdl_element_is_a_model_field(smdb, type_name, version):
    names = {e["name"] for e in wsdl_type(type_name, version)["elements"]}
    assert set(model_class(smdb, type_name).model_fields) == names


# --- (1) what dumps writes is valid against the WSDL's schema ------------------------------


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("form_name", FORM_NAMES)
def test_full_and_empty_forms_are_valid(smdb, schemas, form_name, version):
    for obj in (full_form(smdb, form_name), model_class(smdb, form_name)()):
        data = smdb.xml.dumps(obj, version=version)
        root = etree.fromstring(data)
        assert root.tag == f"{{{namespace(version)}}}{form_name}"
        assert_valid(schemas, "IndsaetData", version, data)
        assert_valid(schemas, "HentData", version, data)


@pytest.mark.parametrize("version", VERSIONS)
def test_full_case_is_valid(smdb, schemas, version):
    data = smdb.xml.dumps(full_case(smdb), version=version)
    assert etree.fromstring(data).tag == f"{{{namespace(version)}}}{CASE}"
    assert_valid(schemas, "HentData", version, data)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("form_name", FORM_NAMES)
def test_random_forms_are_valid(smdb, schemas, form_name, version):
    @settings(EXAMPLES, max_examples=20)
    @given(forms(smdb, form_name))
    def check(obj):
        assert_valid(schemas, "IndsaetData", version, smdb.xml.dumps(obj, version=version))

    check()


@pytest.mark.parametrize("version", VERSIONS)
def test_random_cases_are_valid(smdb, schemas, version):
    @settings(EXAMPLES, max_examples=20)
    @given(cases(smdb))
    def check(obj):
        assert_valid(schemas, "HentData", version, smdb.xml.dumps(obj, version=version))

    check()


def test_elements_in_wsdl_order_and_none_left_out(smdb):
    obj = full_form(smdb, "Afslutning").model_copy(update={"BehandlingAfsluttetStatusKode": None})
    root = etree.fromstring(smdb.xml.dumps(obj))
    expected = [e["name"] for e in wsdl_type("Afslutning", "v1")["elements"]]
    expected.remove("BehandlingAfsluttetStatusKode")
    assert [etree.QName(child).localname for child in root] == expected


def test_values_are_written_as_the_wsdl_types_say(smdb):
    models = smdb.models
    obj = models.IvaerksaettelseSkema(
        IvaerksatBehandlingDato=dt.date(2026, 1, 5),
        LaegesamtaleAfholdtIndikator=False,
        CannabisDageIndtagetSenesteMaanedKvantitet=0,
        HenvisningPaaOpfordringAfListe=["01", "04"],
    )
    v1 = etree.fromstring(smdb.xml.dumps(obj, version="v1"))
    ns, arrays = namespace("v1"), wsdl_type("ArrayOfstring", "v1")["namespace"]
    assert v1.findtext(f"{{{ns}}}IvaerksatBehandlingDato") == "2026-01-05T00:00:00"
    assert v1.findtext(f"{{{ns}}}LaegesamtaleAfholdtIndikator") == "false"
    assert v1.findtext(f"{{{ns}}}CannabisDageIndtagetSenesteMaanedKvantitet") == "0"
    items = v1.find(f"{{{ns}}}HenvisningPaaOpfordringAfListe")
    assert [(i.tag, i.text) for i in items] == [(f"{{{arrays}}}string", c) for c in ("01", "04")]
    v0 = etree.fromstring(smdb.xml.dumps(obj, version="v0"))
    assert v0.findtext(f"{{{namespace('v0')}}}HenvisningPaaOpfordringAfListe") == "01,04"
    for version in VERSIONS:
        empty = obj.model_copy(update={"HenvisningPaaOpfordringAfListe": []})
        root = etree.fromstring(smdb.xml.dumps(empty, version=version))
        element = root.find(f"{{{namespace(version)}}}HenvisningPaaOpfordringAfListe")
        assert element is not None and len(element) == 0 and not element.text
        assert smdb.xml.loads(smdb.xml.dumps(empty, version=version), version=version) == empty


def test_output_is_utf8_without_declaration(smdb):
    data = smdb.xml.dumps(smdb.models.AnmodningSkema(PersonPsykiskFunktionsnedsættelseKode="01"))
    assert data.startswith(b"<Anmodning ")
    assert "PersonPsykiskFunktionsnedsættelseKode".encode() in data


# --- (2) round trips -----------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("form_name", FORM_NAMES)
def test_forms_round_trip(smdb, form_name, version):
    @EXAMPLES
    @given(forms(smdb, form_name))
    def check(obj):
        assert smdb.xml.loads(smdb.xml.dumps(obj, version=version), version=version) == obj

    check()
    full = full_form(smdb, form_name)
    assert smdb.xml.loads(smdb.xml.dumps(full, version=version), version=version) == full


@pytest.mark.parametrize("version", VERSIONS)
def test_cases_round_trip(smdb, version):
    @settings(EXAMPLES, max_examples=30)
    @given(cases(smdb))
    def check(obj):
        assert smdb.xml.loads(smdb.xml.dumps(obj, version=version), version=version) == obj

    check()
    full = full_case(smdb)
    assert smdb.xml.loads(smdb.xml.dumps(full, version=version), version=version) == full


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("form_name", FORM_NAMES)
def test_any_order_whitespace_and_nil_read_the_same(smdb, form_name, version):
    """What the fast reader does not expect goes to the general reader: same result."""

    @settings(EXAMPLES, max_examples=25)
    @given(forms(smdb, form_name), st.randoms(use_true_random=False))
    def check(obj, rnd: random.Random):
        root = etree.fromstring(smdb.xml.dumps(obj, version=version))
        children = list(root)
        rnd.shuffle(children)
        root[:] = children
        for name, value in obj.model_dump().items():
            if value is None and rnd.random() < 0.3:  # None may also come as xsi:nil
                nil = etree.SubElement(root, f"{{{namespace(version)}}}{name}")
                nil.set(f"{{{XSI}}}nil", "true")
        etree.indent(root)
        data = etree.tostring(root, encoding="UTF-8")
        assert smdb.xml.loads(data, version=version) == obj
        assert smdb.xml.loads(data.decode(), version=version) == obj

    check()


# Texts an element may hold instead of what `dumps` wrote, by XSD type: some that the fast
# reader takes itself, some only the general reader takes, some that nobody takes.
ODD_TEXTS = {
    "xs:int": [
        "0",
        "999",
        "1000",
        "123456789",
        "1234567890",
        "2147483648",
        "-2147483649",
        "+5",
        "-1",
        "007",
        "1_0",
        "x",
        " 5",
        "\uff15",
        "",
    ],
    "xs:boolean": ["true", "false", "1", "0", "True", "yes", " true", ""],
    "xs:dateTime": [
        "2026-01-05T00:00:00",
        "2026-01-05",
        "2026-01-05T00:00:00.000",
        "x",
        "",
        "2026-02-30T00:00:00",
        "2026-01-05T00:00:00Z",
        "2026-01-05T10:00:00",
        "2026-W01-1",
    ],
    "xs:string": ["", " ", "01", "01,04", " 01 , 77 ", "x\ny", "a,b"],
}


def read_both(xml, key: str, elem) -> bool:
    """Both readers on `elem`: the fast one declines (None) or agrees with the general one,
    value for value and type for type, or raises the same error. True if it did not decline."""

    def typed(values: dict) -> dict:
        return {name: (type(value), value) for name, value in values.items()}

    try:
        expected = typed(xml._read(elem, getattr(xml, f"_CHILDREN_{key}")))
    except xml.XmlError as err:
        expected = str(err)
    try:
        got = getattr(xml, f"_fast_{key}")(elem)
    except xml.XmlError as err:
        assert str(err) == expected
        return True
    if got is None:
        return False
    assert typed(got) == expected
    return True


def mutate(root, type_name: str, version: str, rnd: random.Random) -> None:
    """Change a written document as another writer or an attacker might."""
    ns = namespace(version)
    types = {e["name"]: e["type"] for e in wsdl_type(type_name, version)["elements"]}
    for child in list(root):
        roll = rnd.random()
        texts = ODD_TEXTS.get(types.get(etree.QName(child).localname, ""))
        if roll < 0.2 and texts:
            child.text = rnd.choice(texts) or None
        elif roll < 0.25:
            child.set(f"{{{XSI}}}nil", rnd.choice(["true", "false", "1"]))
        elif roll < 0.3:
            etree.SubElement(child, f"{{{ns}}}b").text = "1"
        elif roll < 0.33:
            root.append(copy.deepcopy(child))  # a repeated element
        elif roll < 0.35:
            child.text = None
    if rnd.random() < 0.1:
        etree.SubElement(root, f"{{{ns}}}Unknown")
    if rnd.random() < 0.1:
        children = list(root)
        rnd.shuffle(children)
        root[:] = children


def check_fast_reader(smdb, type_name: str, version: str, obj, rnd: random.Random) -> None:
    key = f"{version}_{type_name}"
    written = smdb.xml.dumps(obj, version=version)
    assert read_both(smdb.xml, key, smdb.xml._parse(written)), "the fast reader declined dumps"
    root = etree.fromstring(written)
    mutate(root, type_name, version, rnd)
    read_both(smdb.xml, key, smdb.xml._parse(etree.tostring(root, encoding="UTF-8")))


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("form_name", FORM_NAMES)
def test_fast_reader_takes_what_dumps_writes_and_else_agrees(smdb, form_name, version):
    """The fast reader takes every document `dumps` writes; given anything else, it declines
    or gives what the general reader gives (the one source of error messages)."""

    @settings(EXAMPLES, max_examples=100)
    @given(forms(smdb, form_name), st.randoms(use_true_random=False))
    def check(obj, rnd: random.Random):
        check_fast_reader(smdb, form_name, version, obj, rnd)

    check()


@pytest.mark.parametrize("version", VERSIONS)
def test_fast_reader_of_cases(smdb, version):
    @settings(EXAMPLES, max_examples=30)
    @given(cases(smdb), st.randoms(use_true_random=False))
    def check(obj, rnd: random.Random):
        check_fast_reader(smdb, CASE, version, obj, rnd)

    check()


def test_ints_are_written_in_decimal(smdb):
    """Looked up or formatted, an int is written as `%d` writes it (a bool too, as 1 or 0)."""
    ns = namespace("v1")
    for value in (0, 7, 999, 1000, 123456, -1, -999, INT_MAX, INT_MIN):
        root = etree.fromstring(smdb.xml.dumps(smdb.models.AnmodningSkema(Id=value)))
        assert root.findtext(f"{{{ns}}}Id") == f"{value:d}"
    obj = smdb.models.AnmodningSkema.model_construct(Id=True, KommuneKode=False)
    root = etree.fromstring(smdb.xml.dumps(obj))
    assert (root.findtext(f"{{{ns}}}Id"), root.findtext(f"{{{ns}}}KommuneKode")) == ("1", "0")


def test_readings_that_the_xsd_allows(smdb):
    ns = namespace("v1")
    data = f"""<?xml version="1.0" encoding="ISO-8859-1"?>
<Anmodning xmlns="{ns}" xmlns:i="{XSI}">
  <BehandlingAnmodningDato> 2026-01-05T00:00:00.000 </BehandlingAnmodningDato>
  <Id> +12 </Id>
  <KommuneKode>0101</KommuneKode>
  <PersonEllerPartnerGravidKode i:nil="true"/>
  <PersonIdentifikator><![CDATA[0101901234]]></PersonIdentifikator>
</Anmodning>""".encode("latin-1")
    obj = smdb.xml.loads(data)
    assert obj == smdb.models.AnmodningSkema(
        BehandlingAnmodningDato=dt.date(2026, 1, 5),
        Id=12,
        KommuneKode=101,
        PersonIdentifikator="0101901234",
    )
    date_only = "<BehandlingAfsluttetDato>2026-02-28</BehandlingAfsluttetDato>"
    obj = smdb.xml.loads(document("Afslutning", date_only))
    assert obj.BehandlingAfsluttetDato == dt.date(2026, 2, 28)
    boolean = "<PersonBehandlingFritValgIndikator>1</PersonBehandlingFritValgIndikator>"
    assert smdb.xml.loads(document("Tilbudstilknytning", boolean)).PersonBehandlingFritValgIndikator


# --- (3) requests --------------------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_requests_round_trip_and_are_valid(smdb, schemas, version):
    xml = smdb.xml
    anmodning = full_form(smdb, "Anmodning")
    requests = {
        "IndsaetIvaerksaettelse": (
            "IndsaetData",
            {"Anmodning": anmodning, "Ivaerksaettelse": full_form(smdb, "Ivaerksaettelse")},
        ),
        "IndsaetTilbudstilknytning": (
            "IndsaetData",
            {"IvaerksaettelseId": 42, "Tilbudstilknytning": full_form(smdb, "Tilbudstilknytning")},
        ),
        "AfslutBehandling": (
            "IndsaetData",
            {"Anmodning": anmodning, "Afslutning": full_form(smdb, "Afslutning")},
        ),
        "HentAnmodning": ("HentData", {"AnmodningId": 5}),
        "SletAnmodning": ("IndsaetData", {"AnmodningId": 5}),
        "HentAnmodninger": ("HentData", {"PersonIdentifikator": "0101901234", "KommuneKode": 101}),
        "HentAlleTilbud": ("HentData", {}),
    }
    for operation, (service, params) in requests.items():
        data = xml.dumps_request(operation, version=version, **params)
        assert etree.fromstring(data).tag == f"{{{namespace(version)}}}{operation}"
        assert_valid(schemas, service, version, data)
        assert xml.loads_request(data, version=version) == (operation, params)
    partial = xml.dumps_request("IndsaetIvaerksaettelse", version=version, Anmodning=anmodning)
    assert xml.loads_request(partial, version=version) == (
        "IndsaetIvaerksaettelse",
        {"Anmodning": anmodning},
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_every_operation_is_known(smdb, version):
    for service in ("IndsaetData", "HentData"):
        for operation in SERVICES[(service, version)]["operations"]:
            names = tuple(e["name"] for e in operation["request"])
            assert smdb.xml.OPERATIONS[version][operation["name"]] == names


def test_open_content_parameters_are_lxml_elements(smdb, schemas):
    ns = namespace("v1")
    kvalhep = etree.fromstring(f'<KvalHep xmlns="{ns}"><Id>3</Id><Noget>x</Noget></KvalHep>')
    data = smdb.xml.dumps_request("IndsaetKvalHep", KvalHep=kvalhep)
    assert_valid(schemas, "IndsaetData", "v1", data)
    operation, params = smdb.xml.loads_request(data)
    assert operation == "IndsaetKvalHep"
    assert etree.tostring(params["KvalHep"]) == etree.tostring(kvalhep)


def test_request_errors(smdb):
    xml = smdb.xml
    with pytest.raises(ValueError, match="unknown operation 'HentNoget'"):
        xml.dumps_request("HentNoget")
    with pytest.raises(ValueError, match="has no parameter 'Anmodningid'"):
        xml.dumps_request("HentAnmodning", Anmodningid=5)
    with pytest.raises(ValueError, match="unknown API version"):
        xml.dumps_request("HentAnmodning", version="v2", AnmodningId=5)
    with pytest.raises(TypeError, match="AnmodningId takes an int"):
        xml.dumps_request("HentAnmodning", AnmodningId="5")
    with pytest.raises(TypeError, match="takes AnmodningSkema"):
        xml.dumps_request("AfslutBehandling", Anmodning=smdb.models.AfslutningSkema())
    with pytest.raises(ValueError, match="out of range"):
        xml.dumps_request("HentAnmodning", AnmodningId=2**31)
    ns = namespace("v1")
    with pytest.raises(xml.XmlError, match="line 1: unknown root element HentNoget"):
        xml.loads_request(f'<HentNoget xmlns="{ns}"/>')
    with pytest.raises(xml.XmlError, match="line 2: unknown element Anmodningid in HentAnmodning"):
        xml.loads_request(
            f'<HentAnmodning xmlns="{ns}">\n<Anmodningid>5</Anmodningid></HentAnmodning>'
        )


# --- writing refuses what XML cannot hold --------------------------------------------------


def test_dumps_refuses_what_xml_cannot_hold(smdb):
    xml, models = smdb.xml, smdb.models
    with pytest.raises(ValueError, match=r"Id: .* out of range for xs:int"):
        xml.dumps(models.AnmodningSkema(Id=2**31))
    with pytest.raises(ValueError, match="cannot carry"):
        xml.dumps(models.TilbudstilknytningSkema(AutorisationKodeTekst="a\x00b"))
    with pytest.raises(TypeError, match="dumps\\(\\) takes one of"):
        xml.dumps("Anmodning")
    with pytest.raises(ValueError, match="unknown API version 'v9'"):
        xml.dumps(models.AnmodningSkema(), version="v9")
    evil = models.AnmodningSkema.model_construct(BehandlingTidligereKode="</x><x>&")
    assert b"&lt;/x&gt;&lt;x&gt;&amp;" in xml.dumps(evil)


# --- (4) hostile XML -----------------------------------------------------------------------


def everything_said(err: BaseException) -> str:
    return "".join(traceback.format_exception(err)) + repr(err) + repr(err.args)


class _Spy(etree.Resolver):
    """Fails the test if the parser ever asks to load anything (DTD, entity, schema)."""

    def __init__(self):
        super().__init__()
        self.asked: list[str] = []

    def resolve(self, system_url, public_id, context):
        self.asked.append(system_url)
        return self.resolve_empty(context)


@pytest.fixture
def spy(smdb):
    spy = _Spy()
    smdb._xml_values._PARSER.resolvers.add(spy)
    yield spy
    smdb._xml_values._PARSER.resolvers.remove(spy)


@pytest.mark.parametrize("version", VERSIONS)
def test_external_entities_are_refused_and_never_read(smdb, spy, tmp_path, version):
    marker = "MARKER-7f3c-never-read"
    secret = tmp_path / "secret.txt"
    secret.write_text(marker, encoding="utf-8")
    url, root = secret.as_uri(), document("Anmodning", "", version)
    documents = [
        f'<?xml version="1.0"?>\n<!DOCTYPE Anmodning [\n<!ENTITY x SYSTEM "{url}">\n]>\n'
        + document("Anmodning", "<PersonIdentifikator>&x;</PersonIdentifikator>", version),
        f'<!DOCTYPE Anmodning [<!ENTITY % p SYSTEM "{url}"> %p;]>\n{root}',
        f'<!DOCTYPE Anmodning SYSTEM "{url}">\n{root}',
    ]
    for text in documents:
        for data in (text, text.encode("utf-8"), text.encode("utf-16")):
            for read in (smdb.xml.loads, smdb.xml.loads_request):
                with pytest.raises(
                    smdb.xml.XmlError, match="DTDs and entities are not allowed"
                ) as info:
                    read(data, version=version)
                assert marker not in everything_said(info.value)
    assert spy.asked == []


def test_billion_laughs_is_refused(smdb):
    entities = ['<!ENTITY lol0 "lol">']
    entities += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    data = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n'
        + "\n".join(entities)
        + "\n]>\n"
        + document("Anmodning", "<PersonIdentifikator>&lol9;</PersonIdentifikator>")
    )
    with pytest.raises(smdb.xml.XmlError, match="line 2: DTDs and entities are not allowed"):
        smdb.xml.loads(data)


def test_a_doctype_alone_is_refused(smdb):
    ns = namespace("v1")
    with pytest.raises(smdb.xml.XmlError, match="line 1: DTDs and entities are not allowed"):
        smdb.xml.loads(f'<!DOCTYPE Anmodning>\n<Anmodning xmlns="{ns}"/>')
    with pytest.raises(smdb.xml.XmlError, match="line 1: DTDs and entities are not allowed"):
        smdb.xml.loads(b"<!DOCTYPE Anmodning>")


def test_comments_and_processing_instructions_are_dropped(smdb):
    ns = namespace("v1")
    data = f'<Anmodning xmlns="{ns}"><?pi x?><Id>1<!-- c -->2</Id><!-- c --></Anmodning>'
    assert smdb.xml.loads(data) == smdb.models.AnmodningSkema(Id=12)


# --- (5) malformed and unexpected documents ------------------------------------------------


def test_malformed_xml_gives_the_line(smdb):
    ns = namespace("v1")
    data = f'<Anmodning xmlns="{ns}">\n  <Id>1</Id>\n  <KommuneKode>101\n</Anmodning>\n'
    with pytest.raises(smdb.xml.XmlError, match=r"^line 4: malformed XML: ") as info:
        smdb.xml.loads(data.encode())
    assert info.value.line == 4
    with pytest.raises(smdb.xml.XmlError, match="malformed XML"):
        smdb.xml.loads(b"")
    with pytest.raises(TypeError):
        smdb.xml.loads(None)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<Foo/>", "line 3: unknown element Foo in Anmodning"),
        ('<Id xmlns="urn:other">1</Id>', "line 3: unknown element {urn:other}Id in Anmodning"),
        ("<Id>1</Id><Id>2</Id>", "line 3: element Id appears more than once"),
        ("<Id>x</Id>", "line 3: element Id: 'x' is not an integer"),
        ("<Id/>", "line 3: element Id is empty; an integer is expected"),
        # Eleven digits may hide a CPR number: masked like every run of nine or more.
        ("<Id>99999999999</Id>", "line 3: element Id: '999999-****' is out of range for xs:int"),
        ("<Id>" + "9" * 5000 + "</Id>", "is out of range for xs:int"),  # too long for int()
        ("<Id>+00000000000000000001</Id><Foo/>", "line 3: unknown element Foo"),  # Id is fine
        ("<Id>1<b/></Id>", "line 3: element Id has child elements where a value is expected"),
        (
            "<BehandlingAnmodningDato>x</BehandlingAnmodningDato>",
            "line 3: element BehandlingAnmodningDato: 'x' is not a date",
        ),
        (
            "<BehandlingAnmodningDato>2026-02-30</BehandlingAnmodningDato>",
            "line 3: element BehandlingAnmodningDato: '2026-02-30' is not a date (no such day)",
        ),
        (
            "<BehandlingAnmodningDato>2026-01-05T10:30:00</BehandlingAnmodningDato>",
            "its time of day must be 00:00:00",
        ),
        (
            "<BehandlingAnmodningDato>2026-01-05T00:00:00Z</BehandlingAnmodningDato>",
            "a time zone is not allowed",
        ),
        (
            "<BehandlingAnmodningDato>2026-01-05T00:00:00+01:00</BehandlingAnmodningDato>",
            "a time zone is not allowed",
        ),
        (
            "<BehandlingTidligereKode>07</BehandlingTidligereKode>",
            "line 3: element BehandlingTidligereKode: '07' is invalid: Input should be",
        ),
    ],
)
def test_bad_documents_say_where_and_what(smdb, body, message):
    data = f'<?xml version="1.0"?>\n<Anmodning xmlns="{namespace("v1")}">\n{body}\n</Anmodning>'
    with pytest.raises(smdb.xml.XmlError) as info:
        smdb.xml.loads(data)
    assert message in str(info.value), str(info.value)
    assert isinstance(info.value, ValueError)


def test_unknown_root_and_wrong_version(smdb):
    data = smdb.xml.dumps(smdb.models.AnmodningSkema(Id=1), version="v0")
    with pytest.raises(smdb.xml.XmlError, match=r"line 1: unknown root element \{http://") as info:
        smdb.xml.loads(data, version="v1")
    assert namespace("v1") in str(info.value)
    with pytest.raises(smdb.xml.XmlError, match="unknown root element Svar; expected one of"):
        smdb.xml.loads(f'<Svar xmlns="{namespace("v1")}"/>')
    case = f'<Kontaktforloeb xmlns="{namespace("v1")}"><Tilbudstilknytninger/></Kontaktforloeb>'
    with pytest.raises(smdb.xml.XmlError, match="required element Anmodning is missing"):
        smdb.xml.loads(case)


@pytest.mark.parametrize("version", VERSIONS)
def test_nil_forms_in_a_case(smdb, version):
    anmodning = smdb.models.AnmodningSkema(Id=1)
    nil = f'xmlns:i="{XSI}" i:nil="true"'
    data = document(
        CASE,
        f"<Anmodning><Id>1</Id></Anmodning><Ivaerksaettelse {nil}/><Tilbudstilknytninger {nil}/>",
        version,
    )
    assert smdb.xml.loads(data, version=version) == smdb.models.Kontaktforloeb(Anmodning=anmodning)
    empty = document(CASE, "<Anmodning><Id>1</Id></Anmodning><Ivaerksaettelse/>", version)
    case = smdb.xml.loads(empty, version=version)
    assert case.Ivaerksaettelse == smdb.models.IvaerksaettelseSkema()
    with pytest.raises(smdb.xml.XmlError, match="the root element Anmodning is nil"):
        smdb.xml.loads(f'<Anmodning xmlns="{namespace(version)}" {nil}/>', version=version)


def test_lists_of_codes_in_v1_are_elements(smdb):
    ns, arrays = namespace("v1"), wsdl_type("ArrayOfstring", "v1")["namespace"]
    head = f'<Ivaerksaettelse xmlns="{ns}" xmlns:a="{arrays}">\n<HenvisningPaaOpfordringAfListe>'
    tail = "</HenvisningPaaOpfordringAfListe></Ivaerksaettelse>"
    with pytest.raises(smdb.xml.XmlError, match="'01,04' has text where one element per item"):
        smdb.xml.loads(f"{head}01,04{tail}")
    with pytest.raises(
        smdb.xml.XmlError, match="line 4: element HenvisningPaaOpfordringAfListe item 2: '77'"
    ):
        smdb.xml.loads(f"{head}\n<a:string>01</a:string>\n<a:string>77</a:string>{tail}")
    with pytest.raises(
        smdb.xml.XmlError, match="unknown element string in HenvisningPaaOpfordringAfListe"
    ):
        smdb.xml.loads(f"{head}<string>01</string>{tail}")


# --- (6) CPR numbers are never shown whole -------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "<KommuneKode>010190-1234</KommuneKode>",
        "<BehandlingAnmodningDato>0101901234</BehandlingAnmodningDato>",
        "<PersonIdentifikator>0101901234</PersonIdentifikator><PersonIdentifikator>0101901234</PersonIdentifikator>",
        "<PersonIdentifikator>0101901234<b/></PersonIdentifikator>",
        "<BehandlingTidligereKode>0101901234</BehandlingTidligereKode>",
    ],
)
def test_cpr_numbers_are_masked(smdb, body):
    data = f'<Anmodning xmlns="{namespace("v1")}">\n{body}\n</Anmodning>'
    with pytest.raises(smdb.xml.XmlError) as info:
        smdb.xml.loads(data)
    said = everything_said(info.value)
    assert "0101901234" not in said and "010190-1234" not in said
    if "'" in str(info.value):  # where the value is shown, it is masked
        assert "'010190-****'" in str(info.value)


def test_cpr_in_a_list_of_codes_is_masked(smdb):
    ns, arrays = namespace("v1"), wsdl_type("ArrayOfstring", "v1")["namespace"]
    data = (
        f'<Ivaerksaettelse xmlns="{ns}" xmlns:a="{arrays}"><HenvisningPaaOpfordringAfListe>'
        "<a:string>0101901234</a:string></HenvisningPaaOpfordringAfListe></Ivaerksaettelse>"
    )
    with pytest.raises(smdb.xml.XmlError, match="item 1: '010190-\\*\\*\\*\\*' is invalid") as info:
        smdb.xml.loads(data)
    assert "0101901234" not in everything_said(info.value)


# --- (7) v0's comma-separated list of codes -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("01,04", ["01", "04"]), (" 01 , 04 ", ["01", "04"]), ("99", ["99"]), ("", [])],
)
def test_v0_comma_separated_codes_read_as_a_list(smdb, text, expected):
    data = (
        f'<Ivaerksaettelse xmlns="{namespace("v0")}">'
        f"<HenvisningPaaOpfordringAfListe>{text}</HenvisningPaaOpfordringAfListe></Ivaerksaettelse>"
    )
    assert smdb.xml.loads(data, version="v0").HenvisningPaaOpfordringAfListe == expected


def test_v0_list_absent_or_nil_is_none(smdb):
    ns = namespace("v0")
    nil = f'<HenvisningPaaOpfordringAfListe xmlns:i="{XSI}" i:nil="true"/>'
    for body in ("", nil):
        obj = smdb.xml.loads(
            f'<Ivaerksaettelse xmlns="{ns}">{body}</Ivaerksaettelse>', version="v0"
        )
        assert obj.HenvisningPaaOpfordringAfListe is None
    with pytest.raises(smdb.xml.XmlError, match="item 2: '77' is invalid"):
        smdb.xml.loads(
            f'<Ivaerksaettelse xmlns="{ns}"><HenvisningPaaOpfordringAfListe>01,77'
            "</HenvisningPaaOpfordringAfListe></Ivaerksaettelse>",
            version="v0",
        )


# --- the emitter refuses a spec whose WSDL types and forms disagree ------------------------


@pytest.fixture(scope="module")
def release_spec():
    return build_spec(RELEASE)


def emit_with(spec, version: str, type_name: str, edit) -> None:
    """Run the emitter on `spec` with one WSDL type changed by `edit` in every service."""

    def changed(service):
        if service.api_version != version:
            return service
        types = tuple(edit(t) if t.name == type_name else t for t in service.types)
        return replace(service, types=types)

    services = tuple(changed(s) for s in spec.services)
    xml_emitter.emit(EmitContext(spec=replace(spec, services=services), document={}))


def test_emitter_refuses_a_field_without_element(release_spec):
    def drop(t):
        return replace(t, elements=tuple(e for e in t.elements if e.name != "KommuneKode"))

    with pytest.raises(
        ValueError, match=r"xml: API v0 type Anmodning: no element for .*KommuneKode"
    ):
        emit_with(release_spec, "v0", "Anmodning", drop)


def test_emitter_refuses_an_element_type_that_does_not_fit(release_spec):
    def retype(t):
        elements = tuple(
            replace(e, type="xs:string") if e.name == "BehandlingAnmodningDato" else e
            for e in t.elements
        )
        return replace(t, elements=elements)

    with pytest.raises(ValueError, match="BehandlingAnmodningDato: type xs:string does not fit"):
        emit_with(release_spec, "v1", "Anmodning", retype)
