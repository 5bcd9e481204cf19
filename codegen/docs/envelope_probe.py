"""Run in a child process, `python -I envelope_probe.py TODAY PACKAGE_DIR` (see envelopes.py):
every action's example request and response envelope, v1 and v0, as the package's own
clients write the request and its own emulator answers it, and what a vendor sees of the
package (usage_probe.py). Reads {"base": the base case, "cases": {name: case}} (JSON) on
stdin; prints {"envelopes": {service: {action: {version: {"request", "response"}}}},
"python": ..., "cli": ..., "validate": ...} as JSON."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from pathlib import Path

sys.path.insert(0, sys.argv[2])  # the generated package (run with -I: nothing else)
sys.path.insert(1, str(Path(__file__).parent))  # usage_probe.py beside this file

import httpx
from lxml import etree
from smdb.emulator.app import PATHS, Emulator
from smdb.models import Kontaktforloeb
from smdb.soap import _codec
from smdb.soap import client as clients
from smdb.soap.cases import Exchange
from smdb.soap.errors import SoapError
from usage_probe import cli_examples, python_examples, validate_examples

BASE = "http://emulator.invalid"  # never reached: the transport hands requests to the emulator


def pretty(data: bytes) -> str:
    return etree.tostring(etree.fromstring(data), pretty_print=True, encoding="unicode").strip()


def argument(child: _codec.Child, case: Kontaktforloeb, ids: dict[str, int]):
    """An example value of one parameter: from the base case (its forms, CPR and kommune)
    or the Id SMDB gave its form when the case was sent."""
    if child.kind == "model":
        value = getattr(case, child.type, None)
        return value if value is not None else (getattr(case, child.type + "er") or [None])[0]
    if child.kind == "raw":
        return None  # a pre-2019 form the package does not model: sent empty
    if child.name == "PersonIdentifikator":
        return case.Anmodning.PersonIdentifikator
    if child.name == "KommuneKode":
        return case.Anmodning.KommuneKode
    if child.kind == "int":
        return ids.get(child.name, 1)
    if child.kind == "str":
        return "Goddag"
    raise ValueError(f"no example value for {child.name} ({child.kind})")


class Smdb:
    """A fresh emulator holding the base case (or nothing: `case` None), sent by the
    package's `Exchange`; every exchange with it is kept (the last one of each action)."""

    base = BASE

    def __init__(self, version: str, case: Kontaktforloeb | None, today: dt.date) -> None:
        self.version = version
        self.emulator = Emulator(":memory:", today=today)
        self.seen: dict[tuple[str, str], dict[str, str]] = {}
        self.transport = httpx.MockTransport(self.exchange)
        self.ids: dict[str, int] = {}
        if case is None:
            return
        with Exchange(BASE, version=version, transport=self.transport) as sent:
            answers = sent.send(case)
            self.ids = {f"{a.form}Id": a.id for a in answers if a.accepted}
            stored = sent.hent.HentIvaerksaettelse(IvaerksaettelseId=self.ids["IvaerksaettelseId"])
            self.ids["AnmodningId"] = stored.Ivaerksaettelse.AnmodningId

    def exchange(self, request: httpx.Request) -> httpx.Response:
        service, _, _, _ = PATHS[request.url.path]
        answer = self.emulator.handle(request.content, service, self.version, request.headers)
        action = request.headers["soapaction"].strip('"').rsplit("/", 1)[1]
        self.seen[(service, action)] = {
            "request": pretty(request.content),
            "response": pretty(answer.body),
        }
        return httpx.Response(
            answer.status_code, content=answer.body, headers={"content-type": answer.media_type}
        )

    def call(self, service: str, op: _codec.Operation, case: Kontaktforloeb) -> dict[str, str]:
        with getattr(clients, f"{service}Client")(
            BASE, version=self.version, transport=self.transport
        ) as client:
            params = {child.name: argument(child, case, self.ids) for child in op.params}
            # A fault is the action's answer (e.g. a retired action): shown as it is.
            with contextlib.suppress(SoapError):
                getattr(client, op.name)(**params)
        return self.seen[(service, op.name)]


def version_examples(version: str, case: Kontaktforloeb, today: dt.date) -> dict:
    """Each action as sending the case does it, or else called once on an SMDB that holds
    the case (so a fetch finds it, and a delete deletes it): a fresh one for an action that
    may change it, one shared by the read-only actions, which change nothing."""
    sent = Smdb(version, case, today).seen
    reader = Smdb(version, case, today)
    result: dict = {}
    for service, versions in _codec.SERVICES.items():
        for op in versions[version][1].values():
            pair = sent.get((service, op.name)) if not op.read_only else None
            smdb = reader if op.read_only else Smdb(version, case, today)
            result.setdefault(service, {})[op.name] = pair or smdb.call(service, op, case)
    return result


def main() -> None:
    given = json.load(sys.stdin)
    case = Kontaktforloeb.model_validate(given["base"])
    today = dt.date.fromisoformat(sys.argv[1])
    by_version = {version: version_examples(version, case, today) for version in ("v1", "v0")}
    out: dict = {}
    for version, services in by_version.items():
        for service, actions in services.items():
            for action, pair in actions.items():
                out.setdefault(service, {}).setdefault(action, {})[version] = pair
    cases = given["cases"]
    result = {
        "envelopes": out,
        "python": python_examples(Smdb, argument, case, today),
        "cli": cli_examples(Smdb, given["base"], cases["send-broken"], today),
        "validate": validate_examples(
            {name: data for name, data in cases.items() if name.startswith("judged-")}, today
        ),
    }
    json.dump(result, sys.stdout, ensure_ascii=False, sort_keys=True)


if __name__ == "__main__":
    main()
