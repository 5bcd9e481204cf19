"""TLS for every HTTPS call the package makes (the SOAP clients and the STS client).

The server's certificate and host name are always verified: against certifi's CA bundle (what
httpx trusts by default), or against the CA bundle a vendor names instead (`ca_bundle=` on the
clients and `ClientSecurity.for_endpoint`, `--ca-bundle PEM` on `smdb send`/`smdb fetch`),
e.g. the CA of a test server. There is no option that turns verification off, and the
environment changes nothing: the context is built here and handed to httpx and urllib, so
SSL_CERT_FILE, SSL_CERT_DIR or a patched default context play no part (PROVENANCE S13).
"""

from __future__ import annotations

import ssl
from pathlib import Path

__all__ = ["client_context", "describe", "readable_bundle"]


def readable_bundle(ca_bundle: str | Path | None) -> Path | None:
    """`ca_bundle` as a path to an existing file, or None; ValueError otherwise (an empty or
    missing bundle is a mistake, never "no verification")."""
    if ca_bundle is None:
        return None
    path = Path(ca_bundle)
    if not str(ca_bundle).strip() or not path.is_file():
        raise ValueError(f"CA bundle {str(ca_bundle)!r} is not a readable file")
    return path


def client_context(ca_bundle: str | Path | None = None) -> ssl.SSLContext:
    """A context that verifies the server's certificate chain and host name against certifi's
    bundle, or `ca_bundle` (PEM) instead. ValueError if the bundle holds no CA certificate."""
    path = readable_bundle(ca_bundle)
    if path is None:
        import certifi

        path = Path(certifi.where())
    try:
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=str(path))
    except (OSError, ssl.SSLError) as exc:
        raise ValueError(
            f"CA bundle {str(path)!r} holds no usable CA certificate ({exc})"
        ) from None
    # create_default_context sets both; stated here because they are the point of this module
    context.verify_mode = ssl.CERT_REQUIRED
    context.check_hostname = True
    return context


def describe(exc: BaseException) -> str | None:
    """A one-line reason if `exc` (or what caused it) is a refused server certificate."""
    seen = set()
    current: object = exc
    while isinstance(current, BaseException) and id(current) not in seen:
        exc = current
        seen.add(id(exc))
        if isinstance(exc, ssl.SSLCertVerificationError):
            reason = exc.verify_message or exc.reason or "verification failed"
            return (
                f"the server's TLS certificate is not trusted ({reason}); name its CA with "
                "ca_bundle= (smdb send/fetch: --ca-bundle PEM)"
            )
        current = exc.__cause__ or exc.__context__ or getattr(exc, "reason", None)
    return None
