"""A secure emulator on a free loopback port (uvicorn in a thread), trusting the dev CA, with
the tests' movable clock; and signed clients for it."""

from __future__ import annotations

import datetime as dt
import threading

from soap.conftest import TODAY, free_port, generated_module, wait_for

from security.sectools import security


class SecureEmulator:
    def __init__(self, dev, clock) -> None:
        import uvicorn

        self.dev = dev
        self.clock = clock
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        sec = security()
        self.security = sec.ServerSecurity(
            credentials=dev.sts,
            trust=sec.TrustStore([dev.ca]),
            myndigheder=dev.myndigheder,
            audience=self.url,
            clock=clock,
        )
        self.emulator = generated_module("smdb.emulator").Emulator(
            ":memory:", security=self.security, today=dt.date.fromisoformat(TODAY)
        )
        self.server = uvicorn.Server(
            uvicorn.Config(self.emulator.app, host="127.0.0.1", port=port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        wait_for(port)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)

    def hook(self, kommune: str, *, server_certificate=None):
        """The client side for `kommune`: tokens from the emulator's STS, answers verified."""
        return security().ClientSecurity.for_endpoint(
            self.dev.function_credentials(kommune),
            self.url,
            server_certificate=server_certificate or self.dev.sts.certificate,
            clock=self.clock,
        )

    def client(self, service: str, kommune: str, **options):
        soap = generated_module("smdb.soap")
        return getattr(soap, f"{service}Client")(
            self.url, hook=self.hook(kommune, **options), retries=0
        )

    def rows(self) -> int:
        store = self.emulator.store
        return sum(
            store.count(f)
            for f in ("Anmodning", "Ivaerksaettelse", "Tilbudstilknytning", "Afslutning")
        )
