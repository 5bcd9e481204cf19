"""What a vendor sees when using the package, for the docs: each action called from Python
(its success and its rejection, as the client returns or raises them), `smdb send` and
`smdb validate` as they print. Run inside envelope_probe.py's child process, on the package
as just generated, against its own emulator; nothing here is written by hand.

CPR numbers are masked as the package masks them in messages (`smdb._privacy.shown`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import json
import os
import tempfile
from pathlib import Path

from smdb import cli
from smdb._privacy import shown
from smdb.models import Kontaktforloeb
from smdb.soap import _codec
from smdb.soap import cases as soap_cases
from smdb.soap.errors import SoapError

UNKNOWN_ID = 999999  # an Id no SMDB holding only the base case has given


def _source(child: _codec.Child, case: Kontaktforloeb, ids: dict[str, int]) -> str:
    """How the example's argument is written in Python (the value `argument` gives)."""
    if child.kind == "model":
        if getattr(case, child.type, None) is not None:
            return f"case.{child.type}"
        return f"case.{child.type}er[0]"
    if child.kind == "raw":
        return "None"
    if child.name in ("PersonIdentifikator", "KommuneKode"):
        return f"case.Anmodning.{child.name}"
    if child.kind == "int":
        return str(ids.get(child.name, 1))
    return repr("Goddag")


def _outcome(call) -> str:
    """The call's result as Python shows it, or the error it raises with its beskeder."""
    try:
        result = call()
    except SoapError as exc:
        lines = [f"{type(exc).__name__}: {exc}"]
        for name in ("code", "beskeder"):
            if hasattr(exc, name):
                lines.append(f"  .{name} = {getattr(exc, name)!r}")
        return "\n".join(shown(line) for line in lines)
    return shown(repr(result))


def python_examples(smdb_class, argument, case: Kontaktforloeb, today: dt.date) -> dict:
    """{service: {action: {"client", "call", "holds", "success", "rejection"}}} on API v1: the
    action called on a fresh SMDB, empty for an action that opens a case (it sends an
    Anmodning), else holding the case; then, as a rejection, the same call again (a form sent
    twice) or, for an action that reads by Id, an Id SMDB never gave."""
    out: dict = {}
    reader = smdb_class("v1", case, today)  # shared by the read-only actions: they change nothing
    for service, versions in _codec.SERVICES.items():
        for op in versions["v1"][1].values():
            opens = not op.read_only and any(c.name == "Anmodning" for c in op.params)
            fresh = None if opens else case
            smdb = reader if op.read_only else smdb_class("v1", fresh, today)
            client_class = getattr(_client_module(), f"{service}Client")
            params = {child.name: argument(child, case, smdb.ids) for child in op.params}
            written = ", ".join(
                f"{child.name}={_source(child, case, smdb.ids)}" for child in op.params
            )
            with client_class(smdb.base, version="v1", transport=smdb.transport) as client:
                method = getattr(client, op.name)
                success = _outcome(functools.partial(method, **params))
                rejection = None
                by_id = {n: UNKNOWN_ID for n, v in params.items() if isinstance(v, int)}
                if not op.read_only:
                    rejection = ("again", _outcome(functools.partial(method, **params)))
                elif by_id and "KommuneKode" not in by_id:
                    rejection = (by_id, _outcome(functools.partial(method, **{**params, **by_id})))
            out.setdefault(service, {})[op.name] = {
                "client": f"{service}Client",
                "call": f"client.{op.name}({written})",
                "holds": not opens,
                "success": success,
                "rejection": _rejection_text(op.name, written, rejection),
            }
    return out


def _rejection_text(action: str, written: str, rejection) -> dict | None:
    if rejection is None:
        return None
    how, outcome = rejection
    if how == "again":
        call = f"client.{action}({written})"
        return {"title": "the same call again", "call": call, "outcome": outcome}
    unknown = ", ".join(f"{name}={value}" for name, value in how.items())
    call = f"client.{action}({unknown})"
    return {"title": "with an Id SMDB never gave", "call": call, "outcome": outcome}


def _client_module():
    from smdb.soap import client

    return client


def run_cli(argv: list[str], folder: Path) -> dict:
    """`smdb ARGV` in `folder`, as the command prints it: {"command", "stdout", "stderr",
    "exit"}."""
    out, err = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli.main(argv)
    finally:
        os.chdir(cwd)
    return {
        "command": "smdb " + " ".join(argv),
        "stdout": out.getvalue(),
        "stderr": err.getvalue(),
        "exit": status,
    }


def cli_examples(smdb_class, case: dict, broken: dict, today: dt.date) -> dict:
    """`smdb send` of the base case (accepted), of a case breaking a rule (refused by the local
    check), and of the same with --no-local-check (rejected by SMDB). The command's HTTP goes
    to the emulator in this process (the transport of `smdb_class`), not over a socket."""
    smdb = smdb_class("v1", None, today)
    plain = soap_cases.Exchange

    class ToEmulator(plain):
        def __init__(self, endpoint, **options):
            super().__init__(endpoint, **{**options, "transport": smdb.transport})

    soap_cases.Exchange = ToEmulator
    try:
        with tempfile.TemporaryDirectory(prefix="smdb-docs-cli-") as name:
            folder = Path(name)
            for file, data in (("case.json", case), ("broken.json", broken)):
                (folder / file).write_text(json.dumps(data, ensure_ascii=False), "utf-8")
            send = ["send", "--endpoint", "http://127.0.0.1:8080", "--today", today.isoformat()]
            return {
                "accepted": run_cli([*send, "case.json"], folder),
                "local": run_cli([*send, "broken.json"], folder),
                "rejected": run_cli([*send, "--no-local-check", "broken.json"], folder),
            }
    finally:
        soap_cases.Exchange = plain


def validate_examples(cases: dict[str, dict], today: dt.date) -> dict:
    """`smdb validate` (and with --strict) of each worked case, as it prints."""
    out = {}
    with tempfile.TemporaryDirectory(prefix="smdb-docs-validate-") as name:
        folder = Path(name)
        for key, data in cases.items():
            file = f"{key}.json"
            (folder / file).write_text(json.dumps(data, ensure_ascii=False), "utf-8")
            argv = ["validate", "--today", today.isoformat(), file]
            out[key] = {
                "plain": run_cli(argv, folder),
                "strict": run_cli([argv[0], "--strict", *argv[1:]], folder),
            }
    return out
