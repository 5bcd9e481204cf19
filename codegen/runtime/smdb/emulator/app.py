"""The emulator's HTTP side: an ASGI app (starlette) serving SMDB's services at DST's paths.

POST a SOAP 1.1 envelope to a service's path (v1 or v0): the SOAPAction header (or, without
one, the Body's element) picks the action; the security hook verifies the request and names
the caller's myndighed; the action runs in one SQLite transaction. With `security` (a
`smdb.security.ServerSecurity`) every request must be signed under a token from the emulator's
own STS (POST `/sts`): a request failing a check gets a WS-Security fault and changes nothing,
the caller's myndighed comes from the verified token, and every answer is signed; the message
IDs seen are kept in the database, so a replay is refused after a restart too. Requests are
handled in worker threads: libxmlsec1 and lxml release the GIL, so the signature work of
concurrent requests runs on every core (the store takes one transaction at a time). GET `?wsdl` or
`?singlewsdl` answers the release's WSDL with this server's own address, as a WCF host does.
Anything malformed or hostile gets a SOAP Client fault, and the server keeps serving.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .._facts import KOMMUNER, RELEASE
from ..soap import _codec
from ..soap.envelope import CONTENT_TYPE, Parsed, envelope, fault, parse
from ..soap.errors import SecurityError
from ..soap.hooks import FixedMyndighed, ServerHook
from ..soap.results import Besked, Land, Svar, Tilbud
from ._facts import PATHS
from .body import TooLarge, read_body
from .schema_check import load as load_schemas
from .service import ACTIONS, Context, Rejected
from .store import SeenMessages, Store

if TYPE_CHECKING:  # loaded only when security is asked for
    from ..security import ServerSecurity

T = TypeVar("T")

MAX_REQUEST_BYTES = 5 * 1024 * 1024
# A whole case's insert, signed, has ~200 tags: this bounds the parsed tree of any request to
# a few MiB (`body.read_body`), the emulator's resource limit, no fact of the spec.
MAX_REQUEST_TAGS = 10_000
STS_PATH = "/sts"  # the emulator's STS, at <endpoint>/sts (the clients' default)


def load_seed(folder: Path | None = None) -> dict[str, Any]:
    """The tilbud register and the country list: the package's seed files, or `folder`'s.
    A file that cannot be read raises ValueError naming the file and line."""

    def rows(name: str, make: Callable[[dict[str, str]], T]) -> list[T]:
        if folder is not None:
            text = (folder / name).read_text(encoding="utf-8")
        else:
            text = resources.files(__package__).joinpath("seed", name).read_text(encoding="utf-8")
        reader = csv.DictReader(io.StringIO(text))
        found = []
        for row in reader:
            try:
                found.append(make(row))
            except (KeyError, TypeError, ValueError) as exc:
                raise ValueError(f"{name}:{reader.line_num}: cannot read the row ({exc})") from None
        return found

    tilbud = rows(
        "tilbud.csv",
        lambda r: Tilbud(
            TilbudId=int(r["TilbudId"]),
            Navn=r["Navn"],
            Postnummer=int(r["Postnummer"]),
            KommuneKode=int(r["KommuneKode"]),
        ),
    )
    lande = rows("lande.csv", lambda r: Land(Kode=r["Kode"], Navn=r["Navn"]))
    return {"tilbud": tilbud, "tilbud_ids": {t.TilbudId for t in tilbud}, "lande": lande}


def _wsdl(name: str) -> str:
    return resources.files(__package__).joinpath("wsdl", name).read_text(encoding="utf-8")


class Emulator:
    def __init__(
        self,
        db: str = ":memory:",
        *,
        kommune: int = 101,
        hook: ServerHook | None = None,
        security: ServerSecurity | None = None,
        seed: Path | None = None,
        today: dt.date | None = None,
    ) -> None:
        self.store = Store(db)
        self.hook = hook or FixedMyndighed(kommune)
        self.security = security  # a smdb.security.ServerSecurity, or None: no security
        if security is not None:  # replays are refused across a restart too
            security.remember_messages_in(SeenMessages(self.store))
        self.seed = load_seed(seed)
        self.today = today
        # Each WSDL's schema, built once: every request body is checked against its own.
        self.schemas = load_schemas({wsdl for _, _, wsdl, _ in PATHS.values()})
        self.wsdl_of = {(service, version): wsdl for service, version, wsdl, _ in PATHS.values()}
        routes = [Route(p, self.endpoint, methods=["GET", "POST"]) for p in PATHS]
        if security is not None:
            routes.append(Route(STS_PATH, self.sts, methods=["POST"]))
        self.app = Starlette(routes=routes)

    async def sts(self, request: Request) -> Response:
        try:
            body = await read_body(request, MAX_REQUEST_BYTES, MAX_REQUEST_TAGS)
        except TooLarge as refused:
            return _fault("Client", str(refused), "v1", status=413)
        assert self.security is not None  # the route exists only with security
        status, answer = await run_in_threadpool(
            self.security.handle_sts, body, endpoint=request.url.path
        )
        return Response(answer, status_code=status, media_type=CONTENT_TYPE)

    async def endpoint(self, request: Request) -> Response:
        service, version, wsdl, address = PATHS[request.url.path]
        if request.method != "POST":  # GET or HEAD (starlette adds it): only POST runs an action
            if {"wsdl", "singlewsdl"} & {k.lower() for k in request.query_params}:
                own = str(request.url.replace(query=None))
                return Response(_wsdl(wsdl).replace(address, own), media_type="text/xml")
            return Response(
                "Use ?wsdl or ?singlewsdl, or POST a SOAP envelope.\n",
                status_code=400,
                media_type="text/plain",
            )
        try:
            body = await read_body(request, MAX_REQUEST_BYTES, MAX_REQUEST_TAGS)
        except TooLarge as refused:
            return _fault("Client", str(refused), version, status=413)
        return await run_in_threadpool(
            self.handle, body, service, version, request.headers, request.url.path
        )

    def handle(
        self,
        body: bytes,
        service: str,
        version: str,
        headers: Mapping[str, str],
        path: str | None = None,
    ) -> Response:
        """The answer to `body` POSTed to `path` (its signed wsa:To must name that path)."""
        operations = _codec.SERVICES[service][version][1]
        try:
            parsed = parse(body)
        except ValueError as err:
            return _fault("Client", f"Ugyldig SOAP-forespørgsel: {err}", version)
        wanted = headers.get("soapaction", "").strip().strip('"')
        namespace = "{" + _codec.NAMESPACES[version] + "}"
        if wanted:
            op = next((o for o in operations.values() if o.action == wanted), None)
        else:
            op = next(
                (o for o in operations.values() if parsed.body.tag == namespace + o.request), None
            )
        if op is None:
            return _fault(
                "Client",
                f"Ukendt action {wanted or parsed.body.tag!r} for {service} ({version}).",
                version,
            )
        if parsed.body.tag != namespace + op.request:
            return _fault("Client", f"{op.name}: Body indeholder ikke {op.request}.", version)
        if self.security is None:
            try:
                kommune = self.hook.verify(body, action=op.action, headers=headers)
            except SecurityError as err:
                return _fault("Client", f"Sikkerhed: {err.message}", version)
            return self._run(op, parsed, kommune, version)
        from ..security import SecurityError as Refused
        from ..security import soap_fault

        try:
            message = self.security.verify_request(body, action=op.action, endpoint=path)
        except Refused as err:
            return Response(soap_fault(err), status_code=500, media_type=CONTENT_TYPE)
        assert message.caller is not None  # verify_request names the caller
        response = self._run(op, parsed, int(message.caller.myndighed), version)
        if response.status_code == 200:  # faults carry no data and go unsigned
            response = Response(
                self.security.sign_response(
                    bytes(response.body),
                    action=op.action + "Response",
                    relates_to=message.message_id,
                ),
                media_type=CONTENT_TYPE,
            )
        return response

    def _run(self, op: _codec.Operation, parsed: Parsed, kommune: int, version: str) -> Response:
        """The action for the caller's myndighed, in one transaction."""
        refusals = self.schemas[self.wsdl_of[op.service, version]].refusals(parsed.body)
        if refusals:  # the contract refuses it: no action runs
            return _fault(
                "Client",
                f"{op.name}: " + " ".join(b.Tekst or "" for b in refusals),
                version,
                svar=Svar(Beskeder=refusals, Succes=False),
            )
        try:
            params = _codec.read(parsed.body, op.params, version, op.name)
        except ValueError as err:
            beskeder = _rule_beskeder(parsed.body, op, version, self.today or dt.date.today())
            svar = Svar(Beskeder=beskeder, Succes=False) if beskeder else None
            return _fault("Client", f"{op.name}: {err}", version, svar=svar)
        today = self.today or dt.date.today()
        try:
            with self.store.transaction() as store:
                result = ACTIONS[op.name](Context(store, kommune, self.seed, today), **params)
        except Rejected as rejected:
            svar = Svar(Beskeder=rejected.beskeder, Succes=False)
            if (
                op.result is not None
                and op.result.kind == "record"
                and any(c.name == "Succes" for c in _codec.RECORDS[op.result.ref])
            ):
                return _answer(op, {op.result.name: _as(op.result.ref, svar)}, version)
            return _fault(
                "Client", f"{op.name}: indberetningen blev afvist: {rejected}", version, svar=svar
            )
        except Exception:  # a fault in the emulator itself: logged, answered, still serving
            logging.getLogger("smdb.emulator").exception("%s failed", op.name)
            return _fault("Server", f"{op.name}: intern fejl i emulatoren.", version)
        return _answer(op, {} if op.result is None else {op.result.name: result}, version)


def _rule_beskeder(body: Any, op: _codec.Operation, version: str, today: dt.date) -> list[Besked]:
    """A request whose forms the models refuse (a code outside its list, a number out of
    range): the business rules' words for it, as `smdb validate` gives them, where they have
    any. The forms are read without the models and checked as one case."""
    from ..validation import validate
    from ._facts import SLOTS

    try:
        params = _codec.read(body, op.params, version, op.name, lenient=True)
    except ValueError:
        return []
    case: dict[str, Any] = {}
    for child in op.params:
        if child.kind == "model" and child.type in SLOTS and child.name in params:
            key, many = SLOTS[child.type]
            case[key] = [params[child.name]] if many else params[child.name]
    found = validate(case, today=today) if case else []
    return [
        Besked(Kode=v.rule, Tekst=v.message_da, FeltId=",".join(v.felt_ids) or None)
        for v in found
        if v.severity == "error"
    ]


def _as(record: str, svar: Svar) -> Any:
    from ..soap import results

    return getattr(results, record)(Beskeder=svar.Beskeder, Succes=svar.Succes)


def _answer(op: _codec.Operation, values: dict[str, Any], version: str) -> Response:
    parts = [f'<{op.response} xmlns="{_codec.NAMESPACES[version]}">']
    _codec.write(
        parts.append, () if op.result is None else (op.result,), values, version, op.response
    )
    parts.append(f"</{op.response}>")
    return Response(envelope("".join(parts)), media_type=CONTENT_TYPE)


def _fault(
    code: str, message: str, version: str, *, svar: Svar | None = None, status: int = 500
) -> Response:
    return Response(
        fault(code, message, svar=svar, version=version),
        status_code=status,
        media_type=CONTENT_TYPE,
    )


def secure(
    directory: Path,
    kommuner: list[int],
    audience: str,
    window: dt.timedelta = dt.timedelta(minutes=5),
    origins: tuple[str, ...] = (),
) -> ServerSecurity:
    """Security from development credentials in `directory` (written once, then reused),
    trusting exactly the function certificates of `kommuner`; `origins`: the public
    scheme://host[:port] a signed wsa:To must name. Credentials that cannot be read raise
    ValueError: the emulator does not start without the security it was asked for."""
    from ..security import CredentialsError, ServerSecurity

    try:
        return ServerSecurity.from_dev_credentials(
            directory,
            [str(k) for k in kommuner],
            audience=audience,
            window=window,
            origins=origins,
        )
    except (CredentialsError, OSError, ValueError) as exc:
        raise ValueError(
            f"--dev-credentials {directory}: cannot use the credentials ({exc})"
        ) from None


def public_origin(url: str) -> str:
    """The scheme://host[:port] of `--public-url`: the address clients use behind a proxy."""
    parts = urlsplit(url)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username is not None
    ):
        raise ValueError(
            f"--public-url {url}: an http(s)://host[:port] base URL without a path, "
            "as clients address this emulator (e.g. https://smdb.example.dk)"
        )
    return f"{parts.scheme}://{parts.netloc}".lower()


def run(
    *,
    host: str = "127.0.0.1",
    port: int = 8080,
    db: str = "smdb-emulator.sqlite",
    kommuner: Sequence[int] = (101,),
    seed: Path | None = None,
    dev_credentials: Path | None = None,
    audience: str | None = None,
    window: dt.timedelta = dt.timedelta(minutes=5),
    public_url: str | None = None,
) -> None:
    import sys

    import uvicorn

    for kommune in kommuner:
        if kommune not in KOMMUNER:
            raise ValueError(f"--kommune {kommune} is not a kommune code of the release")
    if dev_credentials is None and len(kommuner) != 1:
        raise ValueError("several --kommune need --dev-credentials (the token names the caller)")
    base = f"http://{host}:{port}"
    origins: tuple[str, ...] = ()
    if public_url is not None:
        if dev_credentials is None:
            raise ValueError("--public-url needs --dev-credentials (signed requests name it)")
        origins = (public_origin(public_url),)
    security = None
    if dev_credentials is not None:
        audience = (audience or (origins[0] if origins else base)).rstrip("/")
        security = secure(dev_credentials, list(kommuner), audience, window, origins)
    emulator = Emulator(db, kommune=kommuner[0], security=security, seed=seed)
    if dev_credentials is None:
        who = f"acting for kommune {kommuner[0]}"
    else:
        who = f"secure: STS at {base}{STS_PATH}, function certificates " + ", ".join(
            str(Path(dev_credentials) / f"kommune-{k}.p12") for k in kommuner
        )
    if origins:
        who += f", public URL {origins[0]}"
    print(f"SMDB emulator (release {RELEASE}) on {base}, {who}, storing in {db}", file=sys.stderr)
    uvicorn.run(emulator.app, host=host, port=port, log_level="warning", access_log=False)
