"""Keys and tokens are never logged, and no security error shows a CPR number whole: a whole
signed exchange and its refusals over real HTTP, every logger at DEBUG, searched for the key,
the token and the borger's CPR number."""

from __future__ import annotations

import logging

import pytest
from lxml import etree
from soap.conftest import generated_module

from security.test_emulator_http import NS, _bytes, _case, _post, _signed_insert

CPR = "1503901234"  # the base case's borger


def test_a_signed_exchange_and_its_refusals_log_no_key_token_or_cpr(secure_emulator, caplog):
    caplog.set_level(logging.DEBUG)
    assert _case().Anmodning.PersonIdentifikator == CPR
    said: list[str] = []  # every error text the caller sees
    hook = secure_emulator.hook("101")
    with generated_module("smdb.soap.cases").Exchange(
        secure_emulator.url, hook=hook, retries=0
    ) as exchange:
        assert all(answer.accepted for answer in exchange.send(_case()))
        assert len(exchange.fetch(cpr=CPR)) == 1
    # refused by the server: a tampered body carrying the CPR number
    signed, url, headers = _signed_insert(secure_emulator)
    root = etree.fromstring(signed)
    next(e for e in root.iter() if e.text == CPR).text = CPR[:-1] + "5"
    answer = _post(url, _bytes(root), headers)
    assert answer.status_code == 500
    said.append(
        etree.fromstring(answer.content).findtext("s:Body/s:Fault/faultstring", namespaces=NS)
    )
    # refused by the client: answers expected from another certificate
    wrong = secure_emulator.client("HentData", "101", server_certificate=secure_emulator.dev.ca)
    with pytest.raises(generated_module("smdb.soap").SecurityError) as refused:
        wrong.HentAnmodninger(PersonIdentifikator=CPR)
    said.append(str(refused.value))

    token = hook.sts.token()
    credentials = secure_emulator.dev.function_credentials("101")
    key_lines = credentials.key_pem.decode().splitlines()[1:-1]
    secrets = {
        "the token's ID": token.get("ID"),
        "the token's signature": token.findtext(
            ".//{http://www.w3.org/2000/09/xmldsig#}SignatureValue"
        ),
        "the token": etree.tostring(token).decode()[:200],
        "the CPR number": CPR,
        "the CPR number refused": CPR[:-1] + "5",
        **{f"key line {i}": line for i, line in enumerate(key_lines)},
    }
    logged = caplog.text
    assert any(r.name.startswith("httpx") for r in caplog.records)  # the capture sees logging
    for what, secret in secrets.items():
        assert secret and secret not in logged, f"{what} was logged"
        for text in said:
            assert secret not in text, f"{what} in an error: {text}"
    assert not any(line in repr(credentials) for line in key_lines)  # repr says whose key
