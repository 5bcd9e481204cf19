"""`smdb send` and `smdb fetch` against a running `smdb emulator`: exit codes, DST's messages,
and a round trip equal to what was sent (`fetch | validate -` too)."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys

from soap.conftest import GENERATED_PACKAGE, ROOT, free_port


def smdb(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "smdb.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(GENERATED_PACKAGE)},
        timeout=120,
        check=False,
    )


def active(case_json: dict) -> dict:
    case = copy.deepcopy(case_json)
    del case["Afslutning"]
    case["Tilbudstilknytninger"][1]["TilbudTilknyttetBehandlingSlutDato"] = None
    return case


def test_send_then_fetch_round_trip(server, case_json, tmp_path):
    sent = active(case_json)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(sent), encoding="utf-8")
    result = smdb("send", "--endpoint", server.url, str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("accepted") == 3
    again = smdb("send", "--endpoint", server.url, str(path))  # fetched first: updates
    assert again.returncode == 0, again.stdout
    fetched = smdb("fetch", "--endpoint", server.url, "--active", "--format", "jsonl")
    assert fetched.returncode == 0, fetched.stderr
    cases = [json.loads(line) for line in fetched.stdout.splitlines()]
    assert len(cases) == 1

    def strip(case: dict) -> dict:
        drop = {"Id", "AnmodningId", "IvaerksaettelseId"}
        return {
            k: [{f: x for f, x in t.items() if f not in drop and x is not None} for t in v]
            if isinstance(v, list)
            else {f: x for f, x in v.items() if f not in drop and x is not None}
            for k, v in case.items()
        }

    assert strip(cases[0]) == strip(sent)
    checked = smdb("validate", "--today", "2026-11-01", "-", stdin=fetched.stdout)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    by_cpr = smdb("fetch", "--endpoint", server.url, "--cpr", "1503901234")
    assert strip(json.loads(by_cpr.stdout)[0]) == strip(sent)


def test_send_rejected_by_smdb_exits_1_with_dsts_message(server, case_json, tmp_path):
    case = active(case_json)
    case["Anmodning"]["PersonIdentifikator"] = "1503902234"
    case["Tilbudstilknytninger"][0]["TilbudId"] = 99999  # not in the tilbud register
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    result = smdb("send", "--endpoint", server.url, str(path))
    assert result.returncode == 1
    assert "SMDB-SERVER-TILBUD" in result.stdout and "tilbudsregistret" in result.stdout
    assert "1503902234" not in result.stdout + result.stderr


def test_send_refuses_locally_before_sending(server, case_json, tmp_path):
    case = active(case_json)
    case["Anmodning"]["PersonIdentifikator"] = "1503903234"
    case["Ivaerksaettelse"]["BoernErTilknyttetHusstandenIndikator"] = None
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    result = smdb("send", "--endpoint", server.url, str(path))
    assert result.returncode == 1 and "not sent" in result.stdout and "45-IVÆR" in result.stdout
    fetched = smdb("fetch", "--endpoint", server.url, "--cpr", "1503903234")
    assert json.loads(fetched.stdout) == []
    sent = smdb("send", "--no-local-check", "--endpoint", server.url, str(path))
    assert sent.returncode == 1 and "SMDB-IVÆR-45" in sent.stdout  # SMDB says the same


def test_unreadable_input_and_unreachable_server_exit_2(case_json, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", encoding="utf-8")
    result = smdb("send", "--endpoint", "http://127.0.0.1:9", str(bad))
    assert result.returncode == 2 and "bad.json:1" in result.stderr
    good = tmp_path / "case.json"
    good.write_text(json.dumps(active(case_json)), encoding="utf-8")
    port = free_port()
    result = smdb("send", "--endpoint", f"http://127.0.0.1:{port}", "--timeout", "2", str(good))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    result = smdb("fetch", "--endpoint", f"http://127.0.0.1:{port}", "--timeout", "2")
    assert result.returncode == 2 and "HentAnmodninger" in result.stderr
