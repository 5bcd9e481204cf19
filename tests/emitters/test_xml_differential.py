"""`smdb.xml.loads` against an independent reader: xmlschema decoding the same bytes with the
WSDL's own schema.

Documents are written by `dumps` (random cases, API v1 and v0) and then changed as another
writer may write them: nil as `xsi:nil="true"`, `"1"` or with whitespace, `xsi:nil="false"`
beside a value, whitespace around values, empty elements. For every document:

- xmlschema finds it invalid  =>  `loads` refuses it (XmlError);
- xmlschema finds it valid    =>  `loads` gives exactly the model that xmlschema's decoding
  gives (mapped onto the model: dateTime at midnight -> date, v0's comma-separated codes
  split, D20), or both refuse it (the model refuses a value the XSD allows: a code not in
  the list, a time other than midnight).

The fast reader and the general reader of `smdb.xml` share their nil and whitespace helpers,
so comparing them with each other cannot find a mistake in those; xmlschema shares nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from pydantic import ValidationError
from test_xml import (  # noqa: F401  (the fixtures)
    CASE,
    EXAMPLES,
    VERSIONS,
    XSI,
    cases,
    full_case,
    schemas,
    smdb,
    wsdl_type,
)

NIL = f"{{{XSI}}}nil"
NIL_TRUE = ["true", "1", " true ", "\t1\n"]
NIL_FALSE = ["false", "0"]
SPACE = ["", " ", "\n  ", "\t", " \r\n"]
_NOT_MIDNIGHT = object()  # a dateTime the model's date cannot hold
_MIDNIGHT = re.compile(r"(\d{4}-\d{2}-\d{2})T00:00:00(\.0+)?")


def _types(version: str) -> dict[str, dict[str, str]]:
    """Complex type -> {element name -> its type}, from the spec's WSDL types."""
    names = ("Kontaktforloeb", "Anmodning", "Ivaerksaettelse", "Tilbudstilknytning", "Afslutning")
    return {
        name: {e["name"]: e["type"] for e in wsdl_type(name, version)["elements"]} for name in names
    }


def _is_nil(value) -> bool:
    """xmlschema keeps xsi:nil as an attribute of the decoded element."""
    if not isinstance(value, dict) or "$" in value:
        return False
    return str(value.get("@xsi:nil", "")).strip(" \t\r\n") in ("true", "1")


def _content(value):
    """xmlschema's value without the attributes it keeps beside simple content."""
    if isinstance(value, dict) and "$" in value:
        return value["$"]
    if isinstance(value, dict) and set(value) <= {"@xsi:nil", "@xmlns:xsi"}:
        return None  # an empty element with xsi:nil="false"
    return value


def _from_xmlschema(decoded: dict, type_name: str, version: str, types: dict) -> dict:
    """xmlschema's decoding of one complex element, as the model's input: what the WSDL says
    each element holds, no more."""
    decoded = decoded or {}  # an empty element: all its children absent
    values = {}
    for name, xsd_type in types[type_name].items():
        if name not in decoded:
            continue
        value = decoded[name]
        if _is_nil(value):
            if xsd_type.startswith("ArrayOf") and xsd_type != "ArrayOfstring":
                continue  # a nil list of forms: no items (the model's default)
            values[name] = None
            continue
        value = _content(value)
        if xsd_type == "xs:dateTime":
            match = _MIDNIGHT.fullmatch(value)
            value = dt.date.fromisoformat(match.group(1)) if match else _NOT_MIDNIGHT
        elif xsd_type == "ArrayOfstring":
            items = [] if value is None else _items(value)
            value = [None if _is_nil(i) else _string(_content(i)) for i in items]
        elif xsd_type.startswith("ArrayOf"):
            item_type = xsd_type.removeprefix("ArrayOf")
            items = [] if value is None else _items(value)
            value = [
                None if _is_nil(item) else _from_xmlschema(item, item_type, version, types)
                for item in items
            ]
        elif xsd_type in types:
            value = _from_xmlschema(value or {}, xsd_type, version, types)
        elif xsd_type == "xs:string" and name == "HenvisningPaaOpfordringAfListe":
            text = (value or "").strip(" \t\r\n")  # v0: comma-separated codes (D20)
            value = [code.strip(" \t\r\n") for code in text.split(",")] if text else []
        elif xsd_type == "xs:string":
            value = _string(value)
        values[name] = value
    return values


def _string(value: str | None) -> str:
    return "" if value is None else value  # an empty element of xs:string: the empty string


def _items(value: dict) -> list:
    """The items of an array element, whatever prefix xmlschema gave their name."""
    lists = [v for k, v in value.items() if not k.startswith("@")]
    assert len(lists) <= 1, value
    if not lists:
        return []
    items = lists[0]
    return items if isinstance(items, list) else [items]


def _contains(value, marker) -> bool:
    if value is marker:
        return True
    if isinstance(value, dict):
        return any(_contains(v, marker) for v in value.values())
    if isinstance(value, list):
        return any(_contains(v, marker) for v in value)
    return False


def expected_model(smdb, schemas, version: str, data: bytes):
    """What xmlschema reads in `data`, as the model: ("refused", reason) or ("model", obj)."""
    root = etree.fromstring(data)
    element = schemas[("HentData", version)][root.tag]
    errors = list(element.iter_errors(root))
    if errors:
        return "refused", f"invalid against the WSDL: {errors[0].reason}"
    values = _from_xmlschema(element.decode(root), CASE, version, _types(version))
    if _contains(values, _NOT_MIDNIGHT):
        return "refused", "a dateTime that is not midnight"
    try:
        return "model", smdb.models.Kontaktforloeb.model_validate(values)
    except ValidationError as exc:
        return "refused", f"the model refuses it: {exc.errors()[0]['msg']}"


def assert_agree(smdb, schemas, version: str, data: bytes) -> None:
    kind, expected = expected_model(smdb, schemas, version, data)
    try:
        got = smdb.xml.loads(data, version=version)
    except smdb.xml.XmlError as exc:
        assert kind == "refused", f"loads refuses ({exc}) what xmlschema reads:\n{data.decode()}"
        return
    assert kind == "model", f"loads takes what xmlschema refuses ({expected}):\n{data.decode()}"
    assert got == expected, f"loads and xmlschema differ:\n{data.decode()}"


def mutate(root, rnd: random.Random) -> None:
    """Change the leaves of a written case as another writer may write them."""
    for elem in root.iter():
        if elem is root or not isinstance(elem.tag, str):
            continue
        roll = rnd.random()
        if roll < 0.12:  # nil, in any of xs:boolean's spellings of true
            elem.text = None
            elem[:] = []
            elem.set(NIL, rnd.choice(NIL_TRUE))
        elif roll < 0.17:  # an explicit "not nil" beside the value
            elem.set(NIL, rnd.choice(NIL_FALSE))
        elif roll < 0.35 and not len(elem) and elem.text:  # whitespace around a value
            elem.text = rnd.choice(SPACE) + elem.text + rnd.choice(SPACE)
        elif roll < 0.4 and not len(elem):  # an empty element
            elem.text = None


@pytest.mark.parametrize("version", VERSIONS)
def test_documents_dumps_writes_read_as_xmlschema_reads_them(smdb, schemas, version):
    @settings(EXAMPLES, max_examples=30)
    @given(cases(smdb))
    def check(obj):
        data = smdb.xml.dumps(obj, version=version)
        kind, expected = expected_model(smdb, schemas, version, data)
        assert kind == "model", expected  # dumps writes valid documents
        assert expected == obj
        assert_agree(smdb, schemas, version, data)

    check()
    assert_agree(smdb, schemas, version, smdb.xml.dumps(full_case(smdb), version=version))


@pytest.mark.parametrize("version", VERSIONS)
def test_changed_documents_read_as_xmlschema_reads_them(smdb, schemas, version):
    @settings(EXAMPLES, max_examples=80)
    @given(cases(smdb), st.randoms(use_true_random=False))
    def check(obj, rnd: random.Random):
        root = etree.fromstring(smdb.xml.dumps(obj, version=version))
        mutate(root, rnd)
        assert_agree(smdb, schemas, version, etree.tostring(root, encoding="UTF-8"))

    check()


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("nil", [*NIL_TRUE, *NIL_FALSE])
def test_every_spelling_of_nil_on_every_leaf_of_a_full_case(smdb, schemas, version, nil):
    """Deterministically, each leaf in turn: nil as each spelling of xs:boolean."""
    written = smdb.xml.dumps(full_case(smdb), version=version)
    count = len(list(etree.fromstring(written).iter()))
    for index in range(1, count):
        root = etree.fromstring(written)
        elem = list(root.iter())[index]
        if nil in NIL_TRUE:
            elem.text = None
            elem[:] = []
        elem.set(NIL, nil)
        assert_agree(smdb, schemas, version, etree.tostring(root, encoding="UTF-8"))
