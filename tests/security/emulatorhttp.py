"""A secure emulator on a loopback port (uvicorn in a thread), trusting the dev CA, with the
tests' movable clock, over HTTP or HTTPS, storing in memory or in a file; and signed clients
for it."""

from __future__ import annotations

import datetime as dt
import threading

from soap.conftest import TODAY, free_port, generated_module, wait_for

from security.sectools import security


class SecureEmulator:
    def __init__(self, dev, clock, *, db=":memory:", port=None, tls=None) -> None:
        """`tls`: (certificate file, key file) of the server: HTTPS."""
        import uvicorn

        self.dev = dev
        self.clock = clock
        port = port or free_port()
        self.port = port
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
        sec = security()
        self.security = sec.ServerSecurity(
            credentials=dev.sts,
            trust=sec.TrustStore([dev.ca]),
            myndigheder=dev.myndigheder,
            audience=self.url,
            clock=clock,
        )
        self.emulator = generated_module("smdb.emulator").Emulator(
            str(db), security=self.security, today=dt.date.fromisoformat(TODAY)
        )
        ssl = {"ssl_certfile": str(tls[0]), "ssl_keyfile": str(tls[1])} if tls else {}
        self.server = uvicorn.Server(
            uvicorn.Config(
                self.emulator.app,
                host="127.0.0.1",
                port=port,
                log_level="warning",
                # A connection a test left half-open must not hold the stop for 10 s.
                timeout_graceful_shutdown=1,
                **ssl,
            )
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        wait_for(port)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.emulator.store.close()

    def hook(self, kommune: str, *, server_certificate=None, ca_bundle=None):
        """The client side for `kommune`: tokens from the emulator's STS, answers verified."""
        return security().ClientSecurity.for_endpoint(
            self.dev.function_credentials(kommune),
            self.url,
            server_certificate=server_certificate or self.dev.sts.certificate,
            ca_bundle=ca_bundle,
            clock=self.clock,
        )

    def client(self, service: str, kommune: str, *, ca_bundle=None, **options):
        soap = generated_module("smdb.soap")
        return getattr(soap, f"{service}Client")(
            self.url,
            hook=self.hook(kommune, ca_bundle=ca_bundle, **options),
            retries=0,
            ca_bundle=ca_bundle,
        )

    def rows(self) -> int:
        store = self.emulator.store
        return sum(
            store.count(f)
            for f in ("Anmodning", "Ivaerksaettelse", "Tilbudstilknytning", "Afslutning")
        )
