"""What the security tests share: the generated `smdb.security`, constants, a movable clock."""

from __future__ import annotations

import datetime as dt

from tests.conftest import generated_module

AUDIENCE = "https://smdb.test/api/external/v1"
ACTION = "http://smdb.dst.dk/api/external/v1/ISecureHentData/HentAnmodning"
TO = "https://smdb.test/api/external/v1/securehentdata.svc"
BODY = (
    b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
    b'<HentAnmodning xmlns="http://smdb.dst.dk/api/external/v1"><AnmodningId>7</AnmodningId>'
    b"</HentAnmodning></s:Body></s:Envelope>"
)


def security(module: str = ""):
    return generated_module("smdb.security" + (f".{module}" if module else ""))


class Clock:
    """A clock the tests move."""

    def __init__(self) -> None:
        self.now = dt.datetime.now(dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)
