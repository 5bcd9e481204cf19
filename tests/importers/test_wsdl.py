"""WSDL importer: the six reconstructed files, and each kind of bad input with its line."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest

from codegen.errors import SourceError
from codegen.importers.wsdl import load_wsdl

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / "spec" / "sources" / "2026-01-01"
OPERATION_COUNTS = {"HentData": 18, "IndsaetData": 13, "TokenTest": 3}
FILES = [(s, v) for s in OPERATION_COUNTS for v in ("v1", "v0")]


def kravspec_actions(service: str) -> list[str]:
    with (RELEASE / "actions.csv").open(encoding="utf-8", newline="") as handle:
        return [row["Action"] for row in csv.DictReader(handle) if row["Service"] == service]


@pytest.fixture(scope="module")
def services() -> dict:
    return {(s, v): load_wsdl(RELEASE / f"Secure{s}-{v}.wsdl", root=ROOT) for s, v in FILES}


@pytest.mark.parametrize(("service", "version"), FILES)
def test_reconstructed_file(services, service, version):
    loaded = services[service, version]
    assert (loaded.service, loaded.api_version) == (service, version)
    assert loaded.wsdl_name == f"Secure{service}"
    assert loaded.port_type == f"ISecure{service}"
    assert loaded.namespace == f"http://smdb.dst.dk/api/external/{version}"
    assert loaded.endpoint == (
        f"https://smdbws.dst.dk/smdbwebservice/api/external/{version}/secure{service.lower()}.svc"
    )
    assert len(loaded.operations) == OPERATION_COUNTS[service]
    assert {op.group for op in loaded.operations} == {"not-stated"}
    assert loaded.source.file == f"spec/sources/2026-01-01/Secure{service}-{version}.wsdl"


@pytest.mark.parametrize("service", OPERATION_COUNTS)
def test_v1_soap_actions_are_the_kravspec_actions(services, service):
    actions = [op.action for op in services[service, "v1"].operations]
    assert actions == kravspec_actions(service)  # incl. SletTilbudsTilknytning's capital T


def test_types_and_elements(services):
    hent = services["HentData", "v1"]
    types = {t.name: t for t in hent.types}
    assert [t.name for t in hent.types] == sorted(types)
    anmodning = {e.name: e for e in types["Anmodning"].elements}
    assert anmodning["PersonPsykiskFunktionsnedsættelseKode"].type == "xs:string"
    assert anmodning["Id"].type == "xs:int" and anmodning["Id"].nillable
    assert types["KvalHep"].open_content and not types["Anmodning"].open_content
    # An extension lists its base type's elements first.
    svar = types["HentAnmodningSvar"].elements
    assert [(e.name, e.type) for e in svar] == [
        ("Beskeder", "ArrayOfBesked"),
        ("Succes", "xs:boolean"),
        ("Anmodning", "Anmodning"),
    ]
    assert (svar[1].min_occurs, svar[1].nillable) == (1, False)
    assert types["ArrayOfstring"].namespace.endswith("/Serialization/Arrays")
    (item,) = types["ArrayOfAnmodning"].elements
    assert (item.min_occurs, item.max_occurs) == (0, None)
    liste = {e.name: e.type for e in types["Ivaerksaettelse"].elements}
    assert liste["HenvisningPaaOpfordringAfListe"] == "ArrayOfstring"
    v0 = {t.name: t for t in services["HentData", "v0"].types}
    assert "ArrayOfstring" not in v0


def test_operation_wrappers(services):
    ops = {op.name: op for op in services["IndsaetData", "v1"].operations}
    tilknyt = ops["IndsaetTilbudstilknytning"]
    assert (tilknyt.request_element, tilknyt.response_element) == (
        "IndsaetTilbudstilknytning",
        "IndsaetTilbudstilknytningResponse",
    )
    assert [(e.name, e.type, e.nillable) for e in tilknyt.request] == [
        ("IvaerksaettelseId", "xs:int", False),
        ("Tilbudstilknytning", "Tilbudstilknytning", True),
    ]
    assert [e.type for e in tilknyt.response] == ["xs:int"]
    throw = {op.name: op for op in services["TokenTest", "v1"].operations}["Throw"]
    assert throw.request == () and throw.response == ()


# --- bad input ------------------------------------------------------------------------

MINIMAL = """\
<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" \
xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:tns="http://example.test/api/v1" name="SecureDemo" \
targetNamespace="http://example.test/api/v1">
  <wsdl:types>
    <xs:schema elementFormDefault="qualified" targetNamespace="http://example.test/api/v1">
      <xs:element name="Ping">
        <xs:complexType>
          <xs:sequence>
            <xs:element minOccurs="0" name="Tekst" nillable="true" type="xs:string"/>
          </xs:sequence>
        </xs:complexType>
      </xs:element>
      <xs:element name="PingResponse">
        <xs:complexType>
          <xs:sequence>
            <xs:element minOccurs="0" name="PingResult" type="xs:int"/>
          </xs:sequence>
        </xs:complexType>
      </xs:element>
    </xs:schema>
  </wsdl:types>
  <wsdl:message name="IDemo_Ping_InputMessage">
    <wsdl:part name="parameters" element="tns:Ping"/>
  </wsdl:message>
  <wsdl:message name="IDemo_Ping_OutputMessage">
    <wsdl:part name="parameters" element="tns:PingResponse"/>
  </wsdl:message>
  <wsdl:portType name="IDemo">
    <wsdl:operation name="Ping">
      <wsdl:input message="tns:IDemo_Ping_InputMessage"/>
      <wsdl:output message="tns:IDemo_Ping_OutputMessage"/>
    </wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="Binding_IDemo" type="tns:IDemo">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="Ping">
      <soap:operation soapAction="http://example.test/api/v1/IDemo/Ping" style="document"/>
      <wsdl:input>
        <soap:body use="literal"/>
      </wsdl:input>
      <wsdl:output>
        <soap:body use="literal"/>
      </wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="SecureDemo">
    <wsdl:port name="Binding_IDemo" binding="tns:Binding_IDemo">
      <soap:address location="https://example.test/api/v1/demo.svc"/>
    </wsdl:port>
  </wsdl:service>
</wsdl:definitions>
"""


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def write(tmp_path: Path, text: str, name: str = "bad.wsdl") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str, name: str = "bad.wsdl") -> SourceError:
    with pytest.raises(SourceError) as caught:
        load_wsdl(write(tmp_path, text, name), root=tmp_path)
    return caught.value


def assert_located(err: SourceError, name: str, line: int, words: str) -> None:
    assert name in str(err) and f"line {line}" in str(err), str(err)
    assert err.line == line and words in err.message


def test_minimal_wsdl_loads(tmp_path):
    loaded = load_wsdl(write(tmp_path, MINIMAL), root=tmp_path)
    (ping,) = loaded.operations
    assert (loaded.service, loaded.api_version, ping.action) == (
        "Demo",
        "v1",
        "http://example.test/api/v1/IDemo/Ping",
    )
    assert loaded.types == () and loaded.source.file == "bad.wsdl"


def test_malformed_xml(tmp_path):
    part = '<wsdl:part name="parameters" element="tns:Ping"/>'
    text = MINIMAL.replace(part, part.replace("/>", ">"))  # left open
    unclosed = line_of(text, part.replace("/>", ">"))
    err = error_of(tmp_path, text, "unclosed.wsdl")
    # lxml notices at the next end tag, and names the open tag's line in its message.
    assert_located(err, "unclosed.wsdl", unclosed + 1, f"part line {unclosed}")


def test_not_a_wsdl(tmp_path):
    xsd = (
        '<?xml version="1.0"?>\n'
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">\n'
        '  <xs:element name="a" type="xs:string"/>\n'
        "</xs:schema>\n"
    )
    err = error_of(tmp_path, xsd, "types.xsd")
    assert_located(err, "types.xsd", 2, "not a WSDL 1.1 document (root element is")
    assert "XMLSchema}schema" in err.message


def with_doctype(doctype: str, reference: str, in_attribute: bool) -> str:
    """MINIMAL with a DOCTYPE on line 2, and an entity reference in content or attribute."""
    text = MINIMAL.replace("<wsdl:definitions ", doctype + "\n<wsdl:definitions ", 1)
    if in_attribute:
        return text.replace(
            'name="SecureDemo" targetNamespace', f'name="{reference}" targetNamespace'
        )
    documentation = f"<wsdl:documentation>{reference}</wsdl:documentation>"
    return text.replace("  <wsdl:types>", f"  {documentation}\n  <wsdl:types>", 1)


@pytest.mark.parametrize("in_attribute", [False, True])
def test_doctype_with_external_entity_is_refused_unread(tmp_path, in_attribute):
    secret = tmp_path / "secret.txt"
    secret.write_text("MARKER-7f3a", encoding="utf-8")
    doctype = f'<!DOCTYPE wsdl:definitions [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
    err = error_of(tmp_path, with_doctype(doctype, "&x;", in_attribute), "xxe.wsdl")
    assert_located(err, "xxe.wsdl", 2, "DTDs and entities are not allowed")
    assert "MARKER-7f3a" not in str(err) and err.__cause__ is None


@pytest.mark.parametrize("in_attribute", [False, True])
def test_entity_bomb_is_refused_fast(tmp_path, in_attribute):
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)
    ]
    doctype = "<!DOCTYPE wsdl:definitions [\n" + "\n".join(entities) + "\n]>"
    text = with_doctype(doctype, "&lol9;", in_attribute)
    started = time.monotonic()
    err = error_of(tmp_path, text, "bomb.wsdl")
    assert time.monotonic() - started < 2
    assert_located(err, "bomb.wsdl", 2, "DTDs and entities are not allowed")


def test_binding_operation_without_soap_action(tmp_path):
    text = MINIMAL.replace(' soapAction="http://example.test/api/v1/IDemo/Ping"', "")
    err = error_of(tmp_path, text, "noaction.wsdl")
    line = line_of(text, "<soap:operation")
    assert_located(err, "noaction.wsdl", line, "binding operation Ping has no soapAction")


def test_part_naming_a_missing_element(tmp_path):
    text = MINIMAL.replace('element="tns:PingResponse"', 'element="tns:Pong"')
    err = error_of(tmp_path, text, "nopart.wsdl")
    line = line_of(text, 'element="tns:Pong"')
    assert_located(err, "nopart.wsdl", line, "names an undefined element tns:Pong")


def test_port_type_operation_without_binding_operation(tmp_path):
    binding_op = MINIMAL[MINIMAL.index("    <wsdl:operation", MINIMAL.index("<wsdl:binding")) :]
    binding_op = binding_op[: binding_op.index("</wsdl:operation>") + len("</wsdl:operation>\n")]
    text = MINIMAL.replace(binding_op, "")
    err = error_of(tmp_path, text, "nobinding.wsdl")
    line = line_of(text, '<wsdl:operation name="Ping">')  # the portType's
    assert_located(err, "nobinding.wsdl", line, "operation Ping has no operation in binding")


def test_schema_error_is_located(tmp_path):
    text = MINIMAL.replace('name="PingResult" type="xs:int"', 'name="PingResult" type="tns:Nope"')
    err = error_of(tmp_path, text, "badtype.wsdl")
    assert err.line == line_of(text, "tns:Nope") and "badtype.wsdl" in str(err)


def test_schema_import_is_refused_unread(tmp_path):
    other = tmp_path / "other.xsd"
    other.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:o">'
        '<xs:complexType name="MARKER"/></xs:schema>',
        encoding="utf-8",
    )
    schema = (
        '<xs:schema elementFormDefault="qualified" targetNamespace="http://example.test/api/v1">'
    )
    importing = f'{schema}\n      <xs:import namespace="urn:o" schemaLocation="{other.as_uri()}"/>'
    text = MINIMAL.replace(schema, importing)
    err = error_of(tmp_path, text, "import.wsdl")
    assert_located(err, "import.wsdl", line_of(text, "<xs:import"), "refers to another file")
    assert "MARKER" not in str(err)


def test_version_must_end_the_namespace(tmp_path):
    text = MINIMAL.replace("http://example.test/api/v1", "http://example.test/api")
    err = error_of(tmp_path, text, "nover.wsdl")
    assert_located(err, "nover.wsdl", 2, "does not end in a version")
