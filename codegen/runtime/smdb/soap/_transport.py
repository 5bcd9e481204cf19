"""What SMDB's clients (`smdb.soap.client`: one class per service, one method per action,
named as DST names them; sync and async) share: the SOAP call over httpx.

    from smdb.soap import IndsaetDataClient
    client = IndsaetDataClient("preprod")               # or "prod", or "http://127.0.0.1:8080"
    ny_id = client.IndsaetIvaerksaettelse(Anmodning=anmodning, Ivaerksaettelse=ivaerksaettelse)

`endpoint` is "prod" or "preprod" (DST's hosts, from the spec) or any base URL (scheme, host,
port and an optional path prefix); the service's path (`/smdbwebservice/api/external/v1/...svc`)
is appended. `version` is "v1" (default) or "v0". Every call has a timeout; only the read-only
actions (Hent..., TokenTest) are retried, on transport errors and HTTP 502/503/504. `hook`
(see `smdb.soap.hooks`) signs requests and verifies responses; `transport` is any httpx
transport (e.g. `httpx.MockTransport` in tests). HTTPS is always verified (`smdb._tls`):
against certifi's CA bundle, or `ca_bundle` (a PEM file) instead; there is no switch to turn
it off.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any, Self
from urllib.parse import urlsplit

import httpx

from .._privacy import composed
from .._tls import client_context, describe, readable_bundle
from ._codec import NAMESPACES, SERVICES, CodecError, Operation, read, write
from ._facts import ENVIRONMENTS
from .envelope import CONTENT_TYPE, envelope, is_fault, parse, read_fault
from .errors import ResponseError, SecurityError, SoapFault, TransportError
from .hooks import ClientHook, NoSecurity

DEFAULT_VERSION = "v1"
MAX_RESPONSE_BYTES = 20 * 1024 * 1024
_RETRY_STATUS = frozenset({502, 503, 504})


def service_url(endpoint: str, service: str, version: str = DEFAULT_VERSION) -> str:
    """The URL of `service` in API `version` at `endpoint` (an environment or a base URL)."""
    if version not in SERVICES[service]:
        raise ValueError(f"unknown API version {version!r} (one of {', '.join(SERVICES[service])})")
    base = ENVIRONMENTS.get(endpoint, endpoint)
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(
            f"endpoint {endpoint!r} is neither {' nor '.join(ENVIRONMENTS)} nor an http(s) URL"
        )
    return composed(base.rstrip("/")) + SERVICES[service][version][0]  # readable in errors


class _Core:
    SERVICE = ""

    def __init__(
        self,
        endpoint: str = "prod",
        *,
        version: str = DEFAULT_VERSION,
        timeout: float = 30.0,
        retries: int = 2,
        hook: ClientHook | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        ca_bundle: str | None = None,
    ):
        self.url = service_url(endpoint, self.SERVICE, version)
        self.ca_bundle = readable_bundle(ca_bundle)
        self.version = version
        self.timeout = timeout
        self.retries = retries
        self.hook = hook or NoSecurity()
        self.max_response_bytes = max_response_bytes
        self._operations = SERVICES[self.SERVICE][version][1]
        self._namespace = results_namespace(version)

    def _request(
        self, name: str, params: dict[str, Any]
    ) -> tuple[Operation, bytes, dict[str, str]]:
        op = self._operations[name]
        parts = [f'<{op.request} xmlns="{self._namespace}">']
        write(parts.append, op.params, params, self.version, name)
        parts.append(f"</{op.request}>")
        try:
            data, extra = self.hook.outgoing(
                envelope("".join(parts)), action=op.action, url=self.url
            )
        except SecurityError:
            raise
        except Exception as exc:  # e.g. the STS refused or could not be reached
            raise SecurityError(op.name, f"request not signed: {exc}") from None
        headers = {"Content-Type": CONTENT_TYPE, "SOAPAction": f'"{op.action}"', **extra}
        return op, data, headers

    # The retry policy both clients follow (only its waiting differs): read-only actions are
    # tried again, after a pause doubling from 0.1 s, on HTTP 502/503/504 and on a transport
    # error that is not a refused TLS certificate; any other action is sent once.

    def _attempts(self, op: Operation) -> int:
        return 1 + (self.retries if op.read_only else 0)

    def _retry_status(self, op: Operation, attempt: int, status: int) -> float | None:
        """The pause before trying again after an answer of `status`, or None: take it."""
        if status in _RETRY_STATUS and attempt + 1 < self._attempts(op):
            return _pause(attempt)
        return None

    def _retry_error(self, op: Operation, attempt: int, exc: httpx.TransportError) -> float:
        """The pause before trying again after `exc`; with no try left, its one-line error."""
        if attempt + 1 >= self._attempts(op) or describe(exc):
            raise _transport_error(op, self.url, exc) from None
        return _pause(attempt)

    def _collect(self, op: Operation, content: bytearray, chunk: bytes) -> None:
        """Add a chunk of the answer, refusing one over `max_response_bytes` while read."""
        content += chunk
        if len(content) > self.max_response_bytes:
            raise ResponseError(op.name, f"response larger than {self.max_response_bytes} bytes")

    def _result(self, op: Operation, status: int, content: bytes, request: bytes) -> Any:
        if status not in (200, 500):
            raise ResponseError(op.name, f"HTTP status {status}")
        try:
            self.hook.incoming(content, action=op.action, request=request)
        except SecurityError:
            raise
        except Exception as exc:
            raise SecurityError(op.name, f"response refused: {exc}") from None
        try:
            parsed = parse(content)
            if is_fault(parsed.body):
                code, message, svar = read_fault(parsed.body, self.version)
                raise SoapFault(op.name, code, message, svar.Beskeder if svar else None)
            if status != 200:
                raise ResponseError(op.name, "HTTP status 500 without a SOAP fault")
            expected = "{" + self._namespace + "}" + op.response
            if parsed.body.tag != expected:
                raise ResponseError(op.name, f"the answer is {parsed.body.tag}, not {op.response}")
            if op.result is None:
                return None
            return read(parsed.body, (op.result,), self.version, op.response).get(op.result.name)
        except CodecError as err:
            raise ResponseError(op.name, f"malformed response: {err}") from None


def _pause(attempt: int) -> float:
    return 0.1 * 2.0**attempt


def _transport_error(op: Operation, url: str, exc: Exception) -> TransportError:
    """The one-line error for a call that got no answer; a refused TLS certificate says so."""
    return TransportError(op.name, f"{type(exc).__name__} calling {url}: {describe(exc) or exc}")


def results_namespace(version: str) -> str:
    return NAMESPACES[version]


class _SyncClient(_Core):
    def __init__(
        self,
        endpoint: str = "prod",
        *,
        transport: httpx.BaseTransport | None = None,
        **options: Any,
    ):
        super().__init__(endpoint, **options)
        self._transport = transport
        self._client: httpx.Client | None = None

    @property
    def _http(self) -> httpx.Client:
        # Made on first use: an httpx client loads the TLS trust store (~10 ms).
        if self._client is None:
            self._client = httpx.Client(
                transport=self._transport,
                timeout=self.timeout,
                verify=client_context(self.ca_bundle),
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, name: str, params: dict[str, Any]) -> Any:
        op, data, headers = self._request(name, params)
        for attempt in range(self._attempts(op)):
            try:
                with self._http.stream("POST", self.url, content=data, headers=headers) as answer:
                    pause = self._retry_status(op, attempt, answer.status_code)
                    if pause is None:
                        content = bytearray()
                        for chunk in answer.iter_bytes():
                            self._collect(op, content, chunk)
                        return self._result(op, answer.status_code, bytes(content), data)
            except httpx.TransportError as exc:
                pause = self._retry_error(op, attempt, exc)
            time.sleep(pause)
        raise AssertionError("unreachable")  # pragma: no cover


class _AsyncClient(_Core):
    def __init__(
        self,
        endpoint: str = "prod",
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        **options: Any,
    ):
        super().__init__(endpoint, **options)
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    @property
    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                transport=self._transport,
                timeout=self.timeout,
                verify=client_context(self.ca_bundle),
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _call(self, name: str, params: dict[str, Any]) -> Any:
        op, data, headers = self._request(name, params)
        for attempt in range(self._attempts(op)):
            try:
                async with self._http.stream(
                    "POST", self.url, content=data, headers=headers
                ) as answer:
                    pause = self._retry_status(op, attempt, answer.status_code)
                    if pause is None:
                        content = bytearray()
                        async for chunk in answer.aiter_bytes():
                            self._collect(op, content, chunk)
                        return self._result(op, answer.status_code, bytes(content), data)
            except httpx.TransportError as exc:
                pause = self._retry_error(op, attempt, exc)
            await asyncio.sleep(pause)
        raise AssertionError("unreachable")  # pragma: no cover
