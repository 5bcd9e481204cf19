"""Malformed security headers, made at random (seeded, so a failure can be replayed): removed
or copied elements, removed or changed attributes, odd texts. Each is refused with a
SecurityError (a WS-Security fault), by the service check and by the STS alike, and never
raises anything else (which the emulator would answer with a traceback)."""

from __future__ import annotations

import copy
import random

import pytest
from lxml import etree

from security.sectools import TO, security

errors = security("errors")
SOAP_HEADER = "{http://schemas.xmlsoap.org/soap/envelope/}Header"
TEXTS = ["", "x", "%%", "2026-13-01T00:00:00Z", "#", " ", "AAAA"]
ATTRIBUTES = ["", "#", "x", "http://x"]


def _mangle(rng: random.Random, root: etree._Element) -> None:
    elements = [e for e in root.find(SOAP_HEADER).iter() if isinstance(e.tag, str)]
    for _ in range(rng.randint(1, 3)):
        element = rng.choice(elements)
        parent, names = element.getparent(), list(element.attrib)
        match rng.randrange(6):
            case 0 if parent is not None:
                parent.remove(element)
            case 1 if names:
                del element.attrib[rng.choice(names)]
            case 2:
                element.text = rng.choice(TEXTS)
            case 3 if names:
                element.set(rng.choice(names), rng.choice(ATTRIBUTES))
            case 4:
                element.append(copy.deepcopy(rng.choice(elements)))
            case 5 if parent is not None:
                parent.append(copy.deepcopy(element))


@pytest.mark.parametrize("seed", range(4))
def test_random_malformed_security_headers_are_security_errors(signed, dev, verifier, sts, seed):
    rng = random.Random(seed)
    request = security("sts").build_request(
        credentials=dev.function_credentials("101"),
        audience="https://smdb.test/api/external/v1",
        sts_url="https://smdb.test/sts",
    )
    unexpected = []
    for _ in range(60):
        for data, check in (
            (signed, lambda d: verifier.verify(d, endpoint=TO)),
            (request, lambda d: sts.handle(d, endpoint="https://smdb.test/sts")),
        ):
            root = etree.fromstring(data)
            _mangle(rng, root)
            try:
                check(etree.tostring(root))
            except errors.SecurityError:
                pass
            except Exception as exc:  # what must never happen: collected, shown
                unexpected.append(f"{type(exc).__name__}: {exc}")
    assert unexpected == []
