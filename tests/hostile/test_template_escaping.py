"""The template layer escapes every value for its target language itself: no field of a
release, however written, can put code into the generated package."""

from __future__ import annotations

import ast
import dataclasses
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from bounded import ROOT
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import Environment

from codegen.emitters import emit_all, escape, package
from codegen.emitters.context import EmitContext
from codegen.spec_json import spec_document

PAYLOAD = (
    "\"\"\"'); import os; os.system('touch {marker}') #\n"
    "\"; __import__('os').system('touch {marker}'); \"\\"
)


def render(source: str, **values) -> str:
    env = Environment(finalize=escape.finalize)
    env.filters.update(escape.FILTERS)
    return env.from_string(source).render(**values)


@given(st.text())
def test_py_is_the_literal_of_any_string(text):
    assert ast.literal_eval(escape.py(text)) == text


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner) | st.tuples(inner, inner) | st.dictionaries(st.text(), inner),
    )
)
def test_py_is_the_literal_of_plain_data(value):
    assert ast.literal_eval(escape.py(value)) == value


def test_py_refuses_what_is_not_plain_data():
    class Sneaky:
        def __repr__(self):
            return "__import__('os').system('true')"

    with pytest.raises(ValueError, match="not plain data"):
        escape.py(Sneaky())


@given(st.text().filter(lambda t: not escape._UNSAFE.search(t)))
def test_pydoc_never_ends_the_docstring(text):
    source = f'def f():\n    """{escape.pydoc(text)}"""\n'
    tree = ast.parse(source)
    assert len(tree.body) == 1 and len(tree.body[0].body) == 1
    assert ast.get_docstring(tree.body[0], clean=False) == text


@given(st.text().filter(lambda t: not escape._UNSAFE.search(t)))
def test_xml_is_character_data_and_attribute_value(text):
    document = f"<a b=\"{escape.xml(text)}\" c='{escape.xml(text)}'>{escape.xml(text)}</a>"
    try:
        element = ET.fromstring(document)
    except ET.ParseError:
        # XML 1.0 cannot hold some characters at all (lone surrogates, U+FFFE): not an escape.
        assert any(not _xml_char(c) for c in text)
        return
    # An XML parser normalises line ends, and whitespace in attribute values, as XML says.
    lines = text.replace("\r\n", "\n").replace("\r", "\n")
    assert (element.text or "") == lines
    assert element.get("b") == element.get("c") == re.sub(r"[\t\n]", " ", lines)


def _xml_char(c: str) -> bool:
    o = ord(c)
    return o in (9, 10, 13) or 0x20 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD or o >= 0x10000


@given(st.text())
def test_md_leaves_no_markup_and_no_line_break(text):
    try:
        out = escape.md(text)
    except ValueError:
        assert escape._UNSAFE.search(text)
        return
    assert "\n" not in out and "\r" not in out
    for special in "`*_[]<>#|":
        # every special character is preceded by an (unescaped) backslash
        assert all(out[i - 1] == "\\" for i, c in enumerate(out) if c == special)


@given(st.text())
def test_finalize_lets_no_raw_string_with_a_quote_or_line_break_through(text):
    try:
        out = render("x = {{ value }}", value=text)
    except ValueError:
        return
    assert not set(out) & set("\"'\n\r\\()#;")


def test_a_release_that_is_not_a_date_cannot_reach_a_template(generated_spec):
    hostile = dataclasses.replace(
        generated_spec,
        release=dataclasses.replace(generated_spec.release, id='2026-01-01"\nimport os #'),
    )
    context = EmitContext(spec=hostile, document={})
    with pytest.raises(ValueError, match="not a date"):
        package.emit(context)


@pytest.fixture(scope="module")
def generated_spec():
    from codegen.build import build_spec

    return build_spec("2026-01-01")


def test_hostile_texts_in_every_field_cannot_make_import_smdb_run_code(generated_spec, tmp_path):
    """Texts with quotes, triple quotes, backslashes and line breaks in a form's title, a
    field's question and a code's text: generated, the package imports without running them."""
    marker = tmp_path / "pwned"
    payload = PAYLOAD.format(marker=marker)
    spec = generated_spec
    forms = list(spec.forms)
    first = forms[0]
    fields = list(first.fields)
    fields[0] = dataclasses.replace(fields[0], question_da=payload)
    forms[0] = dataclasses.replace(first, title_da=payload, fields=tuple(fields))
    codelists = list(spec.codelists)
    codes = list(codelists[0].codes)
    codes[0] = dataclasses.replace(codes[0], text_da=payload)
    codelists[0] = dataclasses.replace(codelists[0], codes=tuple(codes))
    hostile = dataclasses.replace(
        spec,
        forms=tuple(forms),
        codelists=tuple(codelists),
        release=dataclasses.replace(spec.release, kravspec=payload),
    )
    files = emit_all(EmitContext(spec=hostile, document=spec_document(hostile)))
    for path, text in files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    check = (
        "import smdb, smdb.spec, smdb.codelists, smdb.validation, smdb.xml, smdb.cli\n"
        "form = smdb.spec.FORMS[0]\n"
        "assert form.title_da == " + repr(payload) + ", form.title_da\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", check],
        cwd=tmp_path / "python",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert not marker.exists()
    assert ROOT.is_dir()
