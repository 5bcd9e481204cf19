"""`smdb send`, `smdb fetch` and `smdb emulator`: the command line of the SOAP side, hooked
into `smdb.cli` (whose readers it shares: the case documents `smdb validate` reads).

    smdb send --endpoint URL|prod|preprod [--version v1|v0] [--no-local-check] CASE.json...
    smdb fetch --endpoint URL|prod|preprod [--cpr CPR] [--active] [--format json|jsonl]
    smdb emulator [--host 127.0.0.1] [--port 8080] [--db smdb-emulator.sqlite] [--kommune 101]
                  [--dev-credentials DIR --kommune 101 --kommune 147 ... [--window SECONDS]
                   [--audience URL] [--public-url URL]]

send and fetch sign with `--credentials FILE.p12` (the passphrase from SMDB_P12_PASSPHRASE
or a prompt, never an argument) under a token from `--sts URL` (default `<endpoint>/sts`, the
emulator's), and verify the signed answers against `--server-certificate PEM` (default: the
`sts.pem` beside the .p12, as `--dev-credentials` writes it). HTTPS (SOAP and STS) is always
verified, against certifi's CA bundle or `--ca-bundle PEM` instead; nothing turns it off.

send: exit 0 every form accepted, 1 some form rejected (locally or by SMDB, with DST's
messages), 2 an input could not be read or the server could not be reached. `-` as a path
reads standard input (in `smdb validate` too).
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

_Parser = TypeVar("_Parser", bound=argparse.ArgumentParser)  # `smdb`'s own, in smdb.cli

if TYPE_CHECKING:  # loaded by the commands that use them
    from .security import ClientSecurity
    from .soap.results import Besked


def stdin_paths(paths: list[str]) -> list[Path]:
    """The paths, `-` replaced by a copy of standard input (readers may read a file twice)."""
    result = []
    for path in paths:
        if path == "-":
            folder = Path(tempfile.mkdtemp(prefix="smdb-stdin-"))
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            copy = folder / "stdin.json"
            with copy.open("wb") as handle:
                shutil.copyfileobj(sys.stdin.buffer, handle)
            result.append(copy)
        else:
            result.append(Path(path))
    return result


def add_commands(commands: argparse._SubParsersAction[_Parser]) -> None:
    def connection(parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--endpoint",
            required=True,
            help="prod, preprod or the base URL of an SMDB (e.g. the emulator)",
        )
        parser.add_argument(
            "--version", choices=("v1", "v0"), default="v1", help="the API version (default v1)"
        )
        parser.add_argument("--timeout", type=float, default=30.0, help="seconds per call")
        parser.add_argument(
            "--credentials",
            type=Path,
            default=None,
            metavar="FILE.p12",
            help="sign with this function certificate (passphrase from "
            "SMDB_P12_PASSPHRASE or a prompt)",
        )
        parser.add_argument(
            "--sts",
            default=None,
            metavar="URL",
            help="the STS issuing tokens (default for a URL endpoint: <endpoint>/sts)",
        )
        parser.add_argument(
            "--server-certificate",
            type=Path,
            default=None,
            metavar="PEM",
            help="verify answers against this certificate (default: sts.pem "
            "beside the credentials, if there)",
        )
        parser.add_argument(
            "--ca-bundle",
            type=Path,
            default=None,
            metavar="PEM",
            help="trust these CAs for HTTPS instead of certifi's bundle (e.g. a "
            "test server's CA); the server's certificate is always verified",
        )

    send = commands.add_parser("send", help="report case documents to SMDB, form by form")
    connection(send)
    send.add_argument(
        "--no-local-check",
        action="store_true",
        help="send cases even if they fail the local validation",
    )
    send.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=None,
        help="the date the local check judges by (default: today)",
    )
    send.add_argument(
        "paths",
        nargs="+",
        metavar="CASE",
        help="case documents, as smdb validate reads them; - reads standard input",
    )
    send.set_defaults(run=command_send)

    fetch = commands.add_parser("fetch", help="read the myndighed's cases as case documents")
    connection(fetch)
    fetch.add_argument("--cpr", default=None, help="only this borger's cases")
    fetch.add_argument("--active", action="store_true", help="only active cases")
    fetch.add_argument("--kommune", type=int, default=None, help="the myndighed's kommune code")
    fetch.add_argument(
        "--format",
        choices=("json", "jsonl"),
        default="json",
        help="json: one array of case documents (default); jsonl: one per line",
    )
    fetch.set_defaults(run=command_fetch)

    emulator = commands.add_parser("emulator", help="run a local SMDB (HTTP, SQLite)")
    emulator.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default 127.0.0.1: this machine only)",
    )
    emulator.add_argument(
        "--port", type=int, default=8080, help="the TCP port to listen on (default 8080)"
    )
    emulator.add_argument(
        "--db",
        default="smdb-emulator.sqlite",
        help="SQLite file (':memory:' for a throwaway store)",
    )
    emulator.add_argument(
        "--kommune",
        type=int,
        action="append",
        default=None,
        help="the myndighed (kommune code) every request acts for; with "
        "--dev-credentials, repeat it: one function certificate each",
    )
    emulator.add_argument(
        "--dev-credentials",
        type=Path,
        default=None,
        metavar="DIR",
        help="secure: write (once) a dev CA, STS certificate and "
        "DIR/kommune-<code>.p12, trust exactly those, serve the STS at /sts",
    )
    emulator.add_argument(
        "--window",
        type=_seconds,
        default=300,
        metavar="SECONDS",
        help="with --dev-credentials: how old a signed request's timestamp may be (default 300)",
    )
    emulator.add_argument(
        "--audience",
        default=None,
        metavar="URL",
        help="the base URL tokens are issued for (default http://HOST:PORT)",
    )
    emulator.add_argument(
        "--public-url",
        default=None,
        metavar="URL",
        help="with --dev-credentials: the base URL clients use when a proxy stands in front "
        "(e.g. https://smdb.example.dk); a signed wsa:To must name its scheme and host, not "
        "only the path (the default audience too)",
    )
    emulator.add_argument(
        "--seed",
        type=Path,
        default=None,
        help="a folder with tilbud.csv and lande.csv replacing the release's",
    )
    emulator.set_defaults(run=command_emulator)


def _seconds(text: str) -> int:
    seconds = int(text)
    if seconds <= 0:
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    return seconds


def _read_cases(paths: list[Path]) -> list[tuple[str, int, object]]:
    from .cli import InputError, _Progress, iter_cases

    found: list[tuple[str, int, object]] = []
    for path in paths:
        try:
            found.extend((str(path), i, c) for i, c in enumerate(iter_cases(path, _Progress(0))))
        except InputError as exc:
            raise ValueError(str(exc)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ValueError(f"{path}: cannot read ({exc})") from None
    return found


def security_hook(args: argparse.Namespace) -> ClientSecurity | None:
    """The signing hook `--credentials` asks for, or None. ValueError: unusable credentials."""
    if args.credentials is None:
        if args.sts or args.server_certificate:
            raise ValueError("--sts and --server-certificate need --credentials")
        return None
    from ._privacy import composed
    from .security import ClientSecurity, CredentialsError, load_pkcs12_for_cli
    from .security.credentials import load_certificate
    from .soap.client import ENVIRONMENTS

    if args.endpoint in ENVIRONMENTS and args.sts is None:
        raise ValueError(f"--sts URL is needed for {args.endpoint} (its STS is not the endpoint's)")
    server = args.server_certificate
    if server is None and (args.credentials.parent / "sts.pem").is_file():
        server = args.credentials.parent / "sts.pem"
    try:
        if sys.stdin.isatty():
            credentials = load_pkcs12_for_cli(args.credentials)
        else:  # no terminal: no prompt
            credentials = load_pkcs12_for_cli(args.credentials, prompt=None)
        certificate = load_certificate(server) if server is not None else None
    except CredentialsError as exc:
        raise ValueError(f"--credentials: {exc}") from None
    if certificate is None:  # signing without checking the answers: allowed, never silent
        print(
            "smdb: warning: the server's answers are not verified (no --server-certificate, "
            "no sts.pem beside the credentials)",
            file=sys.stderr,
        )
    endpoint = ENVIRONMENTS.get(args.endpoint, args.endpoint)
    composed(args.sts or "")  # the STS's address stays readable in its errors
    return ClientSecurity.for_endpoint(
        credentials,
        endpoint,
        sts_url=args.sts,
        server_certificate=certificate,
        ca_bundle=args.ca_bundle,
    )


def _besked(besked: Besked | str) -> str:
    if isinstance(besked, str):
        return besked
    felt = f" [{besked.FeltId}]" if besked.FeltId else ""
    return f"{besked.Kode}{felt}: {besked.Tekst}"


def command_send(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from .models import Kontaktforloeb
    from .soap.cases import Exchange
    from .soap.errors import SoapError, mask
    from .validation import validate

    try:
        cases = _read_cases(stdin_paths(args.paths))
        models: list[Kontaktforloeb | None] = []
        for file, index, case in cases:
            try:
                models.append(
                    case
                    if isinstance(case, Kontaktforloeb)
                    else Kontaktforloeb.model_validate(case)
                )
            except ValidationError as exc:
                if args.no_local_check:
                    raise ValueError(
                        f"{file} [case {index}]: not a case document: "
                        f"{mask(str(exc).splitlines()[0])}"
                    ) from None
                models.append(None)
        hook = security_hook(args)
    except ValueError as exc:
        print(f"smdb: error: {mask(str(exc))}", file=sys.stderr)
        return 2
    rejected = False
    try:
        with Exchange(
            args.endpoint,
            version=args.version,
            timeout=args.timeout,
            hook=hook,
            ca_bundle=args.ca_bundle,
        ) as exchange:
            for (file, index, case), model in zip(cases, models, strict=True):
                where = f"{mask(str(file))} [case {index}]"  # a file may be named by its CPR
                if not args.no_local_check:
                    errors = [v for v in validate(case, today=args.today) if v.severity == "error"]
                    if errors or model is None:
                        rejected = True
                        print(f"{where}: not sent, the local check failed")
                        for v in errors:
                            print(f"  {v.rule} [{', '.join(v.felt_ids)}] {v.path}: {v.message_da}")
                        continue
                assert model is not None  # with --no-local-check, refused when read
                for answer in exchange.send(model):
                    if answer.accepted:
                        print(f"{where} {answer.form}: accepted, Id {answer.id}")
                    else:
                        rejected = True
                        print(f"{where} {answer.form}: rejected")
                        for besked in answer.beskeder:
                            print(f"  {mask(_besked(besked))}")
    except (SoapError, ValueError) as exc:
        print(f"smdb: error: {mask(str(exc))}", file=sys.stderr)
        return 2
    return 1 if rejected else 0


def command_fetch(args: argparse.Namespace) -> int:
    from .soap.cases import Exchange
    from .soap.errors import SoapError, mask

    try:
        with Exchange(
            args.endpoint,
            version=args.version,
            timeout=args.timeout,
            hook=security_hook(args),
            ca_bundle=args.ca_bundle,
        ) as exchange:
            cases = exchange.fetch(cpr=args.cpr, active=args.active, kommune=args.kommune)
    except (SoapError, ValueError) as exc:
        print(f"smdb: error: {mask(str(exc))}", file=sys.stderr)
        return 2
    if args.format == "jsonl":
        for case in cases:
            sys.stdout.write(json.dumps(case, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(json.dumps(cases, ensure_ascii=False, indent=2) + "\n")
    return 0


def command_emulator(args: argparse.Namespace) -> int:
    import sqlite3

    from .emulator import run

    try:
        run(
            host=args.host,
            port=args.port,
            db=args.db,
            kommuner=args.kommune or [101],
            seed=args.seed,
            dev_credentials=args.dev_credentials,
            audience=args.audience,
            window=dt.timedelta(seconds=args.window),
            public_url=args.public_url,
        )
    except (OSError, ValueError, sqlite3.Error) as exc:
        print(f"smdb emulator: {exc}", file=sys.stderr)
        return 2
    return 0
