"""The secure emulator's replay cache lives in its SQLite database (PROVENANCE S15): a signed
request replayed within its freshness window is refused after a restart too, and expired
message IDs are pruned."""

from __future__ import annotations

import datetime as dt

import pytest
from lxml import etree
from soap.conftest import generated_module

from security.emulatorhttp import SecureEmulator
from security.sectools import security
from security.test_emulator_http import NS, _post, _refused, _signed_insert


def test_a_replay_is_refused_after_a_restart(dev, clock, tmp_path):
    db = tmp_path / "emulator.sqlite"
    first = SecureEmulator(dev, clock, db=db)
    try:
        signed, url, headers = _signed_insert(first)
        assert _post(url, signed, headers).status_code == 200
        rows = first.rows()
        assert rows > 0
    finally:
        first.stop()
    clock.advance(minutes=1)  # still inside the 5-minute window
    again = SecureEmulator(dev, clock, db=db, port=first.port)
    try:
        answer = _post(url, signed, headers)
        assert _refused(again, answer, rows) == "wsse:FailedCheck"
        fault = etree.fromstring(answer.content).find("s:Body/s:Fault", NS)
        assert "seen before" in fault.findtext("faultstring")
        # refused as a replay, not because the restarted emulator refuses everything
        assert again.client("TokenTest", "147").WhoAmI() == "Myndighed 147"
    finally:
        again.stop()


def test_a_replayed_token_request_is_refused_after_a_restart(dev, clock, tmp_path):
    db = tmp_path / "emulator.sqlite"
    first = SecureEmulator(dev, clock, db=db)
    request = security("sts").build_request(
        credentials=dev.function_credentials("101"),
        audience=first.url,
        sts_url=first.url + "/sts",
        now=clock(),
    )
    try:
        assert _post(first.url + "/sts", request, {}).status_code == 200
    finally:
        first.stop()
    again = SecureEmulator(dev, clock, db=db, port=first.port)
    try:
        answer = _post(again.url + "/sts", request, {})
        assert answer.status_code == 500 and b"seen before" in answer.content
    finally:
        again.stop()


def test_expired_message_ids_are_pruned_and_a_live_one_stays():
    store_module = generated_module("smdb.emulator.store")
    store = store_module.Store(":memory:")
    seen = store_module.SeenMessages(store)
    start = dt.datetime.now(dt.UTC)
    window = dt.timedelta(minutes=5)
    for i in range(store_module.PRUNE_EVERY - 2):
        seen.add(f"urn:uuid:old-{i}", start + window, start)
    later = start + window + dt.timedelta(seconds=1)
    seen.add("urn:uuid:live", later + window, later)
    assert len(seen) == store_module.PRUNE_EVERY - 1  # nothing pruned yet
    seen.add("urn:uuid:old-0", later + window, later)  # expired: may be remembered anew
    assert len(seen) == 2  # the PRUNE_EVERY-th addition pruned the expired ones
    for message_id in ("urn:uuid:live", "urn:uuid:old-0"):
        with pytest.raises(security("errors").Replayed):
            seen.add(message_id, later + window, later)
    store.close()
