"""The STS client's own transport (urllib) against an STS served over real HTTP on loopback."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from security.sectools import security

sec = security()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """An HTTP server answering POST /sts with ServerSecurity.handle_sts; yields its base URL."""
    directory = tmp_path_factory.mktemp("dev-credentials")
    holder = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            status, answer = holder["server"].handle_sts(body)
            self.send_response(status)
            self.send_header("Content-Type", "text/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):  # keep test output clean
            pass

    http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{http.server_address[1]}"
    holder["server"] = sec.ServerSecurity.from_dev_credentials(directory, ["101"], audience=base)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield base, directory, holder["server"]
    http.shutdown()
    http.server_close()


def test_a_token_over_http_and_a_request_the_server_accepts(served):
    base, directory, server = served
    own = sec.Credentials.from_pkcs12(directory / "kommune-101.p12", "")
    client = sec.ClientSecurity.for_endpoint(
        own, base, server_certificate=server.credentials.certificate
    )
    action = "http://smdb.dst.dk/api/external/v1/ISecureTokenTest/WhoAmI"
    envelope = (
        b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>'
        b'<WhoAmI xmlns="http://smdb.dst.dk/api/external/v1"/></s:Body></s:Envelope>'
    )
    signed, _ = client.outgoing(envelope, action=action, url=base + "/securetokentest.svc")
    assert server.verify(signed, action=action, headers={}) == 101


def test_a_refusal_over_http_is_an_sts_error_with_the_reason(served, rogue):
    base, _, _ = served
    client = sec.StsClient(base + "/sts", rogue.function_credentials("101"), base)
    with pytest.raises(sec.StsError, match="not issued by a trusted CA"):
        client.token()


def test_unreadable_server_credentials_refuse_to_start(tmp_path):
    security("devcredentials").ensure(tmp_path, ["101"])
    (tmp_path / "sts.p12").write_bytes(b"not a key store")
    with pytest.raises(sec.CredentialsError, match=r"sts\.p12: not PKCS#12"):
        sec.ServerSecurity.from_dev_credentials(tmp_path, ["101"], audience="http://x")
