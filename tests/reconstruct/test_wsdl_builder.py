"""The reconstructed WSDLs: six files, byte-deterministic, committed copies fresh, valid."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree

from codegen.importers.wsdl import load_wsdl
from tools.reconstruct.wsdl import build_wsdls

ROOT = Path(__file__).resolve().parents[2]
RELEASE = ROOT / "spec" / "sources" / "2026-01-01"
NAMES = [
    f"Secure{service}-{version}.wsdl"
    for service in ("HentData", "IndsaetData", "TokenTest")
    for version in ("v1", "v0")
]
NS = {
    "xs": "http://www.w3.org/2001/XMLSchema",
    "wsdl": "http://schemas.xmlsoap.org/wsdl/",
}


def fresh_release(parent: Path) -> Path:
    """A copy of the release's inputs; the folder name is the release id, as in spec/."""
    release = parent / RELEASE.name
    shutil.copytree(RELEASE / "reconstruction", release / "reconstruction")
    shutil.copy(RELEASE / "actions.csv", release / "actions.csv")
    shutil.copy(RELEASE / "release.json", release / "release.json")  # names its kravspec
    return release


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    release = fresh_release(tmp_path_factory.mktemp("a"))
    build_wsdls(release)
    return release


def test_writes_six_files_deterministically(built, tmp_path):
    again = fresh_release(tmp_path)
    written = build_wsdls(again)
    assert [p.name for p in written] == NAMES
    for name in NAMES:
        assert (again / name).read_bytes() == (built / name).read_bytes(), name


@pytest.mark.parametrize("name", NAMES)
def test_committed_file_equals_a_fresh_build(built, name):
    committed = RELEASE / name
    assert committed.exists(), f"{name} missing: run `make reconstruct`"
    assert committed.read_bytes() == (built / name).read_bytes(), f"{name} is stale"


@pytest.mark.parametrize("name", NAMES)
def test_utf8_comment_and_two_space_pretty_print(built, name):
    data = (built / name).read_bytes()
    lines = data.decode("utf-8").splitlines()
    assert lines[0] == '<?xml version="1.0" encoding="utf-8"?>'
    assert lines[1].startswith("<!-- Reconstructed from kravspecifikation-smdb-2026-01-01 ")
    assert "not DST's published file. Rebuild with `make reconstruct`." in lines[1]
    root = etree.fromstring(data)
    etree.indent(root, space="  ")
    assert etree.tostring(root, encoding="unicode") == "\n".join(lines[2:])


@pytest.mark.parametrize("name", NAMES)
def test_xmlschema_reads_every_file(built, name):
    service = load_wsdl(built / name)  # Wsdl11Document + schema validation, strict on errors
    assert service.wsdl_name == name.split("-")[0]


def list_field_type(path: Path) -> str:
    (element,) = etree.parse(path).xpath(
        "//xs:complexType[@name='Ivaerksaettelse']//xs:element"
        "[@name='HenvisningPaaOpfordringAfListe']",
        namespaces=NS,
    )
    return element.get("type")


def test_31_iver_is_a_string_array_in_v1_and_a_string_in_v0(built):
    assert list_field_type(built / "SecureHentData-v1.wsdl") == "q1:ArrayOfstring"
    assert list_field_type(built / "SecureIndsaetData-v1.wsdl") == "q1:ArrayOfstring"
    assert list_field_type(built / "SecureHentData-v0.wsdl") == "xs:string"
    assert list_field_type(built / "SecureIndsaetData-v0.wsdl") == "xs:string"


def test_arrays_schema_only_where_used(built):
    arrays = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"
    for name in NAMES:
        targets = etree.parse(built / name).xpath(
            "/wsdl:definitions/wsdl:types/xs:schema/@targetNamespace", namespaces=NS
        )
        used = name.endswith("v1.wsdl") and "TokenTest" not in name
        assert (arrays in targets) == used, name


def test_form_members_are_alphabetical_and_svar_extends_svar(built):
    tree = etree.parse(built / "SecureHentData-v1.wsdl")
    names = tree.xpath(
        "//xs:complexType[@name='Anmodning']/xs:sequence/xs:element/@name", namespaces=NS
    )
    assert names == sorted(names) and "PersonPsykiskFunktionsnedsættelseKode" in names
    (base,) = tree.xpath(
        "//xs:complexType[@name='HentTilbudstilknytningForIvaerksaettelseSvar']"
        "//xs:extension/@base",
        namespaces=NS,
    )
    assert base == "tns:Svar"


def test_unknown_datatype_is_a_source_error(tmp_path):
    from codegen.errors import SourceError

    release = fresh_release(tmp_path)
    felter = release / "reconstruction" / "felter.csv"
    text = felter.read_text(encoding="utf-8").replace(",Datetime,", ",Dato,", 1)
    felter.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        build_wsdls(release)
    assert "felter.csv" in str(caught.value) and "'Dato'" in str(caught.value)
