"""Independent transcription of the kravspec's interpretive columns, for the fidelity test.

Transcribed from /work/shared/kravspec/kravspecifikation-smdb-2026-01-01.txt (1-based line
numbers beside each entry) WITHOUT looking at the reconstruction (spec/sources/*/
reconstruction, the workbook) or the canonical spec: what the kravspec says about which
questions are required, which are shown only under a condition, value ranges, lengths, read-only
fields and the age limits of options. Fields are named by variable (kravspec_expected.FIELDS
has the full list, in document order).

Readings taken here (the kravspec's own words):
- §6.1.1 (lines 2397-2398): "alle spørgsmål skal besvares, før et skema kan indsendes": every
  question is required ("always") unless §3.1 shows it under a condition ("Vises, hvis …",
  "skal kun udfyldes/besvares, hvis …") or §6.1.3 says it is answered only under one
  ("conditional"), or it is computed and read only ("computed").
- A check box written "On eller blank" cannot be unanswered (blank is "no"), and 4-TILB
  (the end of a tilbud that may still run) and 8-ANM ("Automatisk") are not stated either
  way: AMBIGUOUS, not compared.
"""

from __future__ import annotations

ALWAYS, CONDITIONAL, COMPUTED = "always", "conditional", "computed"

# The seventeen 18-IVÆR substances, in document order, each "Integer 0-30 0-30" (lines).
SUBSTANCES = [
    ("IllegalMetadonDageIndtagetSenesteMaanedKvantitet", 1241),
    ("IllegalHeroinDageIndtagetSenesteMaanedKvantitet", 1253),
    ("TramadolDageIndtagetSenesteMaanedKvantitet", 1265),
    ("OxycodonDageIndtagetSenesteMaanedKvantitet", 1275),
    ("FentanylDageIndtagetSenesteMaanedKvantitet", 1285),
    ("AndreOpiaterDageIndtagetSenesteMaanedKvantitet", 1296),
    ("IllegalBuprenorphinDageIndtagetSenesteMaanedKvantitet", 1307),
    ("IllegalBenzodiazepinerDageIndtagetSenesteMaanedKvantitet", 1318),
    ("AmfetaminerDageIndtagetSenesteMaanedKvantitet", 1330),
    ("MetamfetaminDageIndtagetSenesteMaanedKvantitet", 1342),
    ("KokainPulverDageIndtagetSenesteMaanedKvantitet", 1352),
    ("KokainCrackDageIndtagetSenesteMaanedKvantitet", 1362),
    ("EcstasyDageIndtagetSenesteMaanedKvantitet", 1373),
    ("HallucinogenerDageIndtagetSenesteMaanedKvantitet", 1384),
    ("CannabisDageIndtagetSenesteMaanedKvantitet", 1396),
    ("OploesningsmidlerDageIndtagetSenesteMaanedKvantitet", 1409),
    ("AndreStofferDageIndtagetSenesteMaanedKvantitet", 1420),
]

# variable -> (required, kravspec lines). Variables not listed are ALWAYS (§6.1.1).
REQUIRED: dict[str, tuple[str, str]] = {
    # 29-IVÆR "(Vises, hvis tidsfrist er overskredet)"; §6.1.3 line 2452
    "LaegesamtaleIkkeAfholdtAarsagTidsfristOverskredetKode": (CONDITIONAL, "651-652, 2452"),
    # 32-IVÆR (days) and 23-IVÆR (age): "(read only) Automatisk udregnet"
    "IvaerksatBehandlingDageSidenAnmodningKvantitet": (COMPUTED, "725-727"),
    "PersonIvaerksatBehandlingAlderKvantitet": (COMPUTED, "745-747"),
    # 4-IVÆR "(Vises, hvis antal dage i behandling … >14)"; §6.1.3 line 2456
    "BehandlingGarantiOverskredeAarsagKode": (CONDITIONAL, "759-765, 2456"),
    # 43-IVÆR "(Vises ved svar 05 i 42-IVÆR)"
    "ScreeningsvaerktoejAnvendtIvaerksaetTekst": (CONDITIONAL, "924"),
    # 45-IVÆR "(skal kun udfyldes, hvis der svares ja til forrige spørgsmål 44-IVÆR)"
    "BoernErTilknyttetHusstandenIndikator": (CONDITIONAL, "1195-1197"),
    # 18-IVÆR: "spørgsmålet skal kun besvares, hvis [46-IVÆR] … " (§6.1.3)
    **{variable: (CONDITIONAL, "2493") for variable, _ in SUBSTANCES},
    # 20-IVÆR: "Vises ikke, hvis 19-IVÆR afkrydses"; §6.1.3 "kun muligt at undlade …, såfremt
    # spørgsmål [19-IVÆR]"
    "PersonAktueltHovedstofKode": (CONDITIONAL, "1485-1487, 2505"),
    "HovedstofDageIndtagetSenesteMaanedKvantitet": (CONDITIONAL, "2505"),
    "HovedstofFoersteBrugAlderKvantitet": (CONDITIONAL, "2505"),
    "HovedstofIndtagelseshyppighedKode": (CONDITIONAL, "2505"),
    "HovedstofTypiskIndtagelsesmaadeKode": (CONDITIONAL, "2505"),
    # 22-IVÆR: not answered when never injected (§6.1.3, lines 2513-2517)
    "PersonFoersteInjektionAlderKode": (CONDITIONAL, "2513-2517"),
    # 41-IVÆR: "skal … ligeledes besvares" only after a yes to 36-IVÆR
    "PersonFoersteSubstitutionsbehandlingAlderKvantitet": (CONDITIONAL, "2523"),
    # 9-TILB "(Vises, hvis behandlingstype i 8-TILB er forskellig fra 04 og 06)"
    "AutorisationKodeTekst": (CONDITIONAL, "2137-2138"),
    # 4-AFSL "Skal kun besvares, hvis Årsag … = Overgået/udskrevet til andet behandlingstilbud"
    "BehandlingAfsluttetHvemHarOvertagetBehandling": (CONDITIONAL, "2257-2261, 2631"),
}

AMBIGUOUS_REQUIRED: dict[str, str] = {
    "KommuneKode": "523: 'Automatisk' (filled by the system, not asked)",
    "PersonHovedstofAngivelseIkkeMuligIndikator": "19-IVÆR: 'On eller blank'",
    "HovedstofFoersteBrugAlderVilIkkeOplyseIndikator": "20-IVÆR: 'On eller blank'",
    "PersonBehandlingFritValgIndikator": "2-TILB: 'On eller blank'",
    "TilbudTilknyttetBehandlingSlutDato": "4-TILB: the end of a tilbud that may still run",
}

# Fields shown only under a condition, by §3.1 ("Vises, hvis …", "skal kun …") or §6.1.3:
# variable -> (lines, a word the condition must name: the Felt-ID or answer it depends on).
DISPLAY_CONDITION: dict[str, tuple[str, str]] = {
    "LaegesamtaleIkkeAfholdtAarsagTidsfristOverskredetKode": ("651-652", "tidsfrist"),
    "BehandlingGarantiOverskredeAarsagKode": ("759-765", "14"),
    "ScreeningsvaerktoejAnvendtIvaerksaetTekst": ("924", "42-IVÆR"),
    "BoernErTilknyttetHusstandenIndikator": ("1195-1197", "44-IVÆR"),
    **{variable: ("2493", "46-IVÆR") for variable, _ in SUBSTANCES},
    "PersonAktueltHovedstofKode": ("1485-1487", "19-IVÆR"),
    # "Spørgsmålene om hovedstof [20-IVÆR]": every question of the 20-IVÆR group
    "HovedstofDageIndtagetSenesteMaanedKvantitet": ("2505", "19-IVÆR"),
    "HovedstofFoersteBrugAlderKvantitet": ("2505", "19-IVÆR"),
    "HovedstofFoersteBrugAlderVilIkkeOplyseIndikator": ("2505", "19-IVÆR"),
    "HovedstofIndtagelseshyppighedKode": ("2505", "19-IVÆR"),
    "HovedstofTypiskIndtagelsesmaadeKode": ("2505", "19-IVÆR"),
    "PersonFoersteInjektionAlderKode": ("2513-2517", "32-IVÆR"),
    "PersonFoersteSubstitutionsbehandlingAlderKvantitet": ("2523", "36-IVÆR"),
    "AutorisationKodeTekst": ("2137-2138", "8-TILB"),
    "BehandlingAfsluttetHvemHarOvertagetBehandling": ("2257-2261", "Overgået"),
}

# variable -> (minimum, maximum, line): "Integer 0-30 0-30", "Integer 0-99 0-99".
RANGES: dict[str, tuple[int, int, int]] = {
    **{variable: (0, 30, line) for variable, line in SUBSTANCES},
    "HovedstofDageIndtagetSenesteMaanedKvantitet": (0, 30, 1565),
    "HovedstofFoersteBrugAlderKvantitet": (0, 99, 1573),
    "PersonFoersteSubstitutionsbehandlingAlderKvantitet": (0, 99, 1944),
}

# variable -> (max length, line): "Max. 250 karakterer". (9-TILB's "Gyldigt 5-cifret
# autorisationsID", line 2147, is a format, checked by a rule, not a length.)
MAX_LENGTHS: dict[str, tuple[int, int]] = {
    "ScreeningsvaerktoejAnvendtIvaerksaetTekst": (250, 926),
}

# "(read only)": variable -> line.
READ_ONLY: dict[str, int] = {
    "IvaerksatBehandlingDageSidenAnmodningKvantitet": 725,
    "PersonIvaerksatBehandlingAlderKvantitet": 745,
}

# Age limits of options, at 1-IVÆR: (variable, code) -> (min age, max age, lines).
# 4-IVÆR option 6 "Borgeren, der er 18 år eller derover, har benyttet retten til frit valg (kun
# synlig, hvis borger ved iværksættelsesdato er 18 år eller derover)" is the 6th code, 05;
# option 7 "… den unge er under 18 år (kun synlig, hvis borger … er under 18 år)" the 7th, 06
# (options and codes paired by order: 01 02 08 04 09 05 06 07, lines 766-880).
AGE_LIMITS: dict[tuple[str, str], tuple[int | None, int | None, str]] = {
    ("BehandlingGarantiOverskredeAarsagKode", "05"): (18, None, "821-827"),
    ("BehandlingGarantiOverskredeAarsagKode", "06"): (None, 17, "828-841"),
}

# Validity of the forms, §1.1 and §6.3 (from inclusive, to exclusive; None open; "not-stated"
# where the kravspec gives no start). The four forms of today's reporting have no end, nor do
# their fields and options (§3.1 lists the options in force; §6.2's datostyring of older
# options is about cases before 2019-07-01, not an end of today's ones).
FORM_VALIDITY: dict[str, tuple[str, str | None, str]] = {
    "Anmodning": ("not-stated", None, "505-590"),
    "Ivaerksaettelse": ("not-stated", None, "592-1944"),
    "Tilbudstilknytning": ("not-stated", None, "1948-2149"),
    "Afslutning": ("not-stated", None, "2150-2298"),
    # "Del med indskrivning, ydelse og udskrivning … udgik helt fra 1. januar 2025"
    "Indskrivning": ("not-stated", "2025-01-01", "100-101"),
    "Ydelse": ("not-stated", "2025-01-01", "100-101"),
    "Udskrivning": ("not-stated", "2025-01-01", "100-101"),
    # "KvalHep/Hep C) fra 1. januar 2011. Denne del af indberetningen udgik pr. 1. juli 2025"
    "KvalHep": ("2011-01-01", "2025-07-01", "106-109"),
    # "datasanering af SMDB i 2019, hvor bl.a. ASI-spørgsmål blev fjernet"; "Hvis
    # anmodningsdato < 20190701, så gamle skemaer" (§6.3)
    "Asi": ("not-stated", "2019-07-01", "90-91, 2698"),
}


# Date-control points keyed on the anmodningsdato (2-ANM), §6.2 and §6.3: (date, effect,
# kravspec lines). Line 2681 reads "Fra og med 1. juli januar 20265" (merged track changes):
# 2025-07-01 is one reading (PROVENANCE.md D5), 2026-01-01 the other and the day from which
# both agree.
DATE_CONTROL_ON_2_ANM: dict[str, tuple[str, str, str]] = {
    # "Hvis anmodningsdato < 20190701, så gamle skemaer"; "4-IVÆR og 6-IVÆR: Det
    # datostyres, om de gamle eller de nye muligheder skal kunne vælges"
    "sanering-2019-myndighed": ("2019-07-01", "options-change", "2698-2728"),
    "sanering-2019-tekster": ("2019-07-01", "texts-change", "2734-2736"),
    # "Udgåede felter … kan kun indberettes for forløb, der er startet før 1. juli 2019"
    "sanering-2019-udgaaede-felter": ("2019-07-01", "fields-end", "2730-2732"),
    # "sager, der har en anmodningsdato før 1. juli 2025, skal indberettes efter reglerne …
    # med virkning fra 1. januar 2025"
    "regler-2025-07-01": ("2025-07-01", "rules-change", "2679-2681"),
    "regler-2026-01-01": ("2026-01-01", "rules-change", "2681"),
}
