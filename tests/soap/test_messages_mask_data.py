"""`smdb send` and `fetch` mask the CPR numbers of case data in what they print, and leave what
they composed from their configuration readable (issue #21, item 7): the endpoint's URL, host
and port in a transport error."""

from __future__ import annotations

import json

from soap.conftest import free_port
from soap.test_send_fetch import active, smdb


def test_an_unreachable_endpoint_is_named_readably(case_json, tmp_path):
    good = tmp_path / "case.json"
    good.write_text(json.dumps(active(case_json)), encoding="utf-8")
    url = f"http://127.0.0.1:{free_port()}"
    for command in (["send", str(good)], ["fetch", "--cpr", "1503901234"]):
        result = smdb(command[0], "--endpoint", url, "--timeout", "2", *command[1:])
        assert result.returncode == 2, result.stderr
        assert f"calling {url}/smdbwebservice/api/external/v1/securehentdata.svc" in (
            result.stderr
        ), result.stderr
        assert "1503901234" not in result.stdout + result.stderr


def test_a_cpr_number_of_the_data_is_still_masked(case_json, tmp_path):
    """A case file named by its borger's CPR number: the name is data, masked wherever shown."""
    case = active(case_json)
    case["Anmodning"]["PersonIdentifikator"] = "150390123456"  # refused by the local check
    (tmp_path / "cases").mkdir()
    named = tmp_path / "cases" / "1503901234.json"
    named.write_text(json.dumps(case), encoding="utf-8")
    url = f"http://127.0.0.1:{free_port()}"
    result = smdb("send", "--endpoint", url, "--timeout", "2", str(named))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "cases/150390-****.json [case 0]: not sent" in result.stdout, result.stdout
    assert "1503901234" not in result.stdout + result.stderr
