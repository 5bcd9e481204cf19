"""A third-party SOAP client (zeep), knowing only the emulator's served `?singlewsdl`, reports
the rules' base case (Anmodning + Ivaerksaettelse) and reads it back equal."""

from __future__ import annotations

import datetime as dt
import re

import zeep

SERVICES = "/smdbwebservice/api/external/v1/"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ARRAY = "string"  # WCF's ArrayOfstring: zeep wants {"string": [...]} (a bare list sends one item)


def _sent(form: dict) -> dict:
    """A form of the case document as zeep takes it: no nulls, lists as ArrayOfstring, dates
    as datetimes (the WSDL's xs:dateTime; zeep writes a date or a date string date-only)."""
    return {
        name: {ARRAY: value}
        if isinstance(value, list)
        else dt.datetime.fromisoformat(value)
        if isinstance(value, str) and ISO_DATE.fullmatch(value)
        else value
        for name, value in form.items()
        if value is not None
    }


def _read(value):
    """zeep's answer in the case document's shape: ISO dates (the WSDL's dateTime at midnight),
    ArrayOfstring as a list, no unset elements."""
    if isinstance(value, dict):
        if set(value) == {ARRAY}:
            return list(value[ARRAY])
        return {k: _read(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_read(v) for v in value]
    if isinstance(value, dt.datetime):
        assert value.time() == dt.time(0)
        return value.date().isoformat()
    return value


def test_zeep_inserts_the_base_case_and_reads_it_back(emulator_url, case_json):
    indsaet = zeep.Client(emulator_url + SERVICES + "secureindsaetdata.svc?singlewsdl")
    hent = zeep.Client(emulator_url + SERVICES + "securehentdata.svc?singlewsdl")
    anmodning = {k: v for k, v in case_json["Anmodning"].items() if v is not None}
    ivaerksaettelse = {k: v for k, v in case_json["Ivaerksaettelse"].items() if v is not None}

    ivaer_id = indsaet.service.IndsaetIvaerksaettelse(
        Anmodning=_sent(anmodning), Ivaerksaettelse=_sent(ivaerksaettelse)
    )

    found = _read(
        zeep.helpers.serialize_object(
            hent.service.HentAnmodninger(PersonIdentifikator="1503901234", KommuneKode=101), dict
        )
    )
    assert len(found) == 1
    anmodning_id = found[0].pop("Id")
    assert found[0] == anmodning
    svar = zeep.helpers.serialize_object(
        hent.service.HentIvaerksaettelse(IvaerksaettelseId=ivaer_id), dict
    )
    assert svar["Succes"] is True
    read = _read(svar["Ivaerksaettelse"])
    assert (read.pop("Id"), read.pop("AnmodningId")) == (ivaer_id, anmodning_id)
    assert read == ivaerksaettelse
    assert read["HenvisningPaaOpfordringAfListe"] == ["01", "22"]  # both items, in order
