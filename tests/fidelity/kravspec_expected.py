"""Expected values for the kravspec fidelity test.

Independent hand transcription of section 1.2 (SOAP actions) and section 3.1
("Dataelementer for VBGS og SIB") of
/work/shared/kravspec/kravspecifikation-smdb-2026-01-01.txt
(text extracted from the PDF; line numbers below refer to that file, 1-based).

Conventions:
- Variable names broken across lines by the PDF extraction are re-joined
  exactly (Danish letters kept as written).
- Options and codes are paired by ORDER (n-th option <-> n-th code), never
  sorted.  Option numbers are kept as written (they skip in some lists).
- Option texts are re-joined onto one line with single spaces.
"""


# ---------------------------------------------------------------------------
# 1. FIELDS: (form, felt_id, variable, datatype) in document order
# ---------------------------------------------------------------------------

FIELDS: list[tuple[str, str, str, str]] = [
    # --- Anmodning om behandling (ANM): kravspec lines 506-590 ---
    ("ANM", "6-ANM", "PersonIdentifikator", "String"),  # 509-512
    ("ANM", "8-ANM", "KommuneKode", "Integer"),  # 514-523
    ("ANM", "2-ANM", "BehandlingAnmodningDato", "Datetime"),  # 525-533
    ("ANM", "3-ANM", "BehandlingTidligereKode", "String"),  # 534-551
    ("ANM", "9-ANM", "PersonEllerPartnerGravidKode", "String"),  # 553-567
    ("ANM", "5-ANM", "PersonPsykiskFunktionsnedsættelseKode", "String"),  # 569-588
    # --- Iværksættelse af behandling (IVÆR): kravspec lines 592-1944 ---
    ("IVÆR", "24-IVÆR", "OenskerBorgerTilbudLaegesamtaleKode", "String"),  # 595-613
    ("IVÆR", "25-IVÆR", "LaegesamtaleAfholdtIndikator", "Boolean"),  # 615-618
    ("IVÆR", "26-IVÆR", "LaegesamtaleAfholdtDato", "Datetime"),  # 620-634
    (
        "IVÆR",
        "29-IVÆR",
        "LaegesamtaleIkkeAfholdtAarsagTidsfristOverskredetKode",
        "String",
    ),  # 636-699
    ("IVÆR", "1-IVÆR", "IvaerksatBehandlingDato", "Datetime"),  # 701-715
    # "Dage siden anmodning" is labelled 32-IVÆR (line 719), although 32-IVÆR is
    # also the injection question (line 1642).  Transcribed as written.
    ("IVÆR", "32-IVÆR", "IvaerksatBehandlingDageSidenAnmodningKvantitet", "Integer"),  # 717-730
    ("IVÆR", "23-IVÆR", "PersonIvaerksatBehandlingAlderKvantitet", "Integer"),  # 734-748
    ("IVÆR", "4-IVÆR", "BehandlingGarantiOverskredeAarsagKode", "String"),  # 751-880
    ("IVÆR", "42-IVÆR", "ScreeningsvaerktoejAnvendtIvaerksaetKode", "String"),  # 882-911
    ("IVÆR", "43-IVÆR", "ScreeningsvaerktoejAnvendtIvaerksaetTekst", "String"),  # 913-926
    ("IVÆR", "6-IVÆR", "BehandlingFormaalKode", "String"),  # 928-971
    # 31-IVÆR datatype written as "List<string> for APIV1 / String med
    # kommasepereret liste for APIV0" (lines 1039-1047) -> "List<string>".
    ("IVÆR", "31-IVÆR", "HenvisningPaaOpfordringAfListe", "List<string>"),  # 973-1155
    ("IVÆR", "9-IVÆR", "PersonBoligsituationKode", "String"),  # 1157-1177
    ("IVÆR", "44-IVÆR", "PersonEllerPartnerHarBoernUnder18Indikator", "Boolean"),  # 1178-1188
    ("IVÆR", "45-IVÆR", "BoernErTilknyttetHusstandenIndikator", "Boolean"),  # 1190-1205
    # NOTE: the 46-IVÆR row appears TWICE in the text: lines 1207-1216
    # ("Boolean True/False CheckBox") and again lines 1218-1229
    # ("Boolean  CheckBox").  Included once here.
    (
        "IVÆR",
        "46-IVÆR",
        "PersonTagetIkkeOrdineredeStofferSenesteMaanedIndikator",
        "Boolean",
    ),  # 1207-1216 (dup 1218-1229)
    # 18-IVÆR: seventeen substance day-count fields sharing one Felt-ID, lines 1231-1420
    ("IVÆR", "18-IVÆR", "IllegalMetadonDageIndtagetSenesteMaanedKvantitet", "Integer"),  # 1231-1241
    ("IVÆR", "18-IVÆR", "IllegalHeroinDageIndtagetSenesteMaanedKvantitet", "Integer"),  # 1243-1253
    ("IVÆR", "18-IVÆR", "TramadolDageIndtagetSenesteMaanedKvantitet", "Integer"),  # 1255-1265
    ("IVÆR", "18-IVÆR", "OxycodonDageIndtagetSenesteMaanedKvantitet", "Integer"),  # 1267-1275
    ("IVÆR", "18-IVÆR", "FentanylDageIndtagetSenesteMaanedKvantitet", "Integer"),  # 1277-1285
    ("IVÆR", "18-IVÆR", "AndreOpiaterDageIndtagetSenesteMaanedKvantitet", "Integer"),  # 1287-1296
    (
        "IVÆR",
        "18-IVÆR",
        "IllegalBuprenorphinDageIndtagetSenesteMaanedKvantitet",
        "Integer",
    ),  # 1298-1307
    (
        "IVÆR",
        "18-IVÆR",
        "IllegalBenzodiazepinerDageIndtagetSenesteMaanedKvantitet",
        "Integer",
    ),  # 1309-1318
    ("IVÆR", "18-IVÆR", "AmfetaminerDageIndtagetSenesteMaanedKvantitet", "Integer"),  # 1320-1330
    ("IVÆR", "18-IVÆR", "MetamfetaminDageIndtagetSenesteMaanedKvantitet", "Integer"),  # 1332-1342
    ("IVÆR", "18-IVÆR", "KokainPulverDageIndtagetSenesteMaanedKvantitet", "Integer"),  # 1344-1352
    ("IVÆR", "18-IVÆR", "KokainCrackDageIndtagetSenesteMaanedKvantitet", "Integer"),  # 1354-1362
    ("IVÆR", "18-IVÆR", "EcstasyDageIndtagetSenesteMaanedKvantitet", "Integer"),  # 1364-1373
    ("IVÆR", "18-IVÆR", "HallucinogenerDageIndtagetSenesteMaanedKvantitet", "Integer"),  # 1375-1384
    ("IVÆR", "18-IVÆR", "CannabisDageIndtagetSenesteMaanedKvantitet", "Integer"),  # 1386-1396
    (
        "IVÆR",
        "18-IVÆR",
        "OploesningsmidlerDageIndtagetSenesteMaanedKvantitet",
        "Integer",
    ),  # 1398-1409
    ("IVÆR", "18-IVÆR", "AndreStofferDageIndtagetSenesteMaanedKvantitet", "Integer"),  # 1411-1420
    ("IVÆR", "19-IVÆR", "PersonHovedstofAngivelseIkkeMuligIndikator", "Boolean"),  # 1421-1436
    # 20-IVÆR: hovedstof question plus five sub-fields sharing the Felt-ID, lines 1438-1635
    ("IVÆR", "20-IVÆR", "PersonAktueltHovedstofKode", "String"),  # 1438-1553
    ("IVÆR", "20-IVÆR", "HovedstofDageIndtagetSenesteMaanedKvantitet", "Integer"),  # 1555-1565
    ("IVÆR", "20-IVÆR", "HovedstofFoersteBrugAlderKvantitet", "Integer"),  # 1567-1573
    ("IVÆR", "20-IVÆR", "HovedstofFoersteBrugAlderVilIkkeOplyseIndikator", "Boolean"),  # 1575-1583
    ("IVÆR", "20-IVÆR", "HovedstofIndtagelseshyppighedKode", "String"),  # 1585-1608
    ("IVÆR", "20-IVÆR", "HovedstofTypiskIndtagelsesmaadeKode", "String"),  # 1610-1635
    (
        "IVÆR",
        "32-IVÆR",
        "PersonNogensindeInjiceretEllerInjicererForTidenKode",
        "String",
    ),  # 1637-1706
    (
        "IVÆR",
        "33-IVÆR",
        "PersonNogensindeDeltEllerDelerVaerktoejForTidenKode",
        "String",
    ),  # 1708-1770
    ("IVÆR", "22-IVÆR", "PersonFoersteInjektionAlderKode", "String"),  # 1772-1810
    ("IVÆR", "34-IVÆR", "PersonNogensindeTestetHCVKode", "String"),  # 1811-1861
    ("IVÆR", "35-IVÆR", "PersonNogensindeTestetHIVKode", "String"),  # 1863-1896
    ("IVÆR", "36-IVÆR", "PersonNogensindeSubstitutionsbehandlingKode", "String"),  # 1898-1932
    (
        "IVÆR",
        "41-IVÆR",
        "PersonFoersteSubstitutionsbehandlingAlderKvantitet",
        "Integer",
    ),  # 1934-1944
    # --- Tilknytning til tilbud (TILB): kravspec lines 1948-2149 ---
    ("TILB", "1-TILB", "TilbudId", "Integer"),  # 1951-1966
    ("TILB", "2-TILB", "PersonBehandlingFritValgIndikator", "Boolean"),  # 1968-1976
    ("TILB", "3-TILB", "TilbudTilknyttetBehandlingStartDato", "Datetime"),  # 1978-1992
    ("TILB", "4-TILB", "TilbudTilknyttetBehandlingSlutDato", "Datetime"),  # 1994-2008
    ("TILB", "7-TILB", "BehandlingIntensitetKode", "String"),  # 2010-2036
    ("TILB", "8-TILB", "BehandlingTypeKode", "String"),  # 2037-2130
    ("TILB", "9-TILB", "AutorisationKodeTekst", "String"),  # 2132-2149
    # --- Afslutning af behandling (AFSL): kravspec lines 2150-2298 ---
    ("AFSL", "1-AFSL", "BehandlingAfsluttetDato", "Datetime"),  # 2153-2166
    ("AFSL", "2-AFSL", "BehandlingAfsluttetStatusKode", "String"),  # 2168-2205
    ("AFSL", "3-AFSL", "BehandlingAfsluttetAarsagKode", "String"),  # 2207-2250
    ("AFSL", "4-AFSL", "BehandlingAfsluttetHvemHarOvertagetBehandling", "String"),  # 2252-2298
]

# ---------------------------------------------------------------------------
# 2. OPTIONS: variable -> [(option_number, option_text, code), ...]
#    (paired by order; document order kept; never sorted)
# ---------------------------------------------------------------------------

OPTIONS: dict[str, list[tuple[int, str, str]]] = {
    # ===== ANM =====
    # 3-ANM: options lines 541-545, codes lines 547-551; 3 options = 3 codes
    "BehandlingTidligereKode": [
        (1, "Ja", "01"),
        (2, "Nej", "02"),
        (3, "Uoplyst", "99"),
    ],
    # 9-ANM: options lines 557-561, codes lines 563-567; 3 options = 3 codes
    "PersonEllerPartnerGravidKode": [
        (1, "Ja", "01"),
        (2, "Nej", "02"),
        (3, "Uoplyst", "99"),
    ],
    # 5-ANM: options lines 580-583, codes lines 585-588; 3 options = 3 codes
    "PersonPsykiskFunktionsnedsættelseKode": [
        (1, "Ja", "01"),
        (2, "Nej", "02"),
        (3, "Uoplyst", "99"),
    ],
    # ===== IVÆR =====
    # 24-IVÆR: options lines 605-608, codes lines 610-613; 3 options = 3 codes
    "OenskerBorgerTilbudLaegesamtaleKode": [
        (1, "Ja", "01"),
        (2, "Nej", "02"),
        (3, "Tilbud ikke givet", "03"),
    ],
    # 29-IVÆR: options lines 667-682, codes lines 684-699; 6 options = 6 codes
    "LaegesamtaleIkkeAfholdtAarsagTidsfristOverskredetKode": [
        (1, "Manglende lægeressource hos myndighed", "01"),
        (2, "Manglende lægeressource hos anvist tilbud", "02"),
        (3, "Borgeren forhindret i fremmøde", "03"),
        (4, "Borgeren udeblevet", "04"),
        (5, "Lægesamtale planlagt til efter tidsfrist", "05"),
        (6, "Anden", "06"),
    ],
    # 4-IVÆR: options lines 766 + 808-843, codes line 766 + lines 845-880;
    # 8 options = 8 codes (NOT in code order: 01,02,08,04,09,05,06,07)
    "BehandlingGarantiOverskredeAarsagKode": [
        (1, "Mangel på ledig plads", "01"),
        (2, "Manglende personalemæssig kapacitet pga. ferie, sygdom el. lign.", "02"),
        (3, "Borgeren har meldt afbud", "08"),
        (4, "Borgeren er udeblevet", "04"),
        (5, "Borgeren ønsker tid, der ligger efter behandlingsgarantien", "09"),
        (
            6,
            "Borgeren, der er 18 år eller derover, har benyttet retten til frit valg "
            "(kun synlig, hvis borger ved iværksættelsesdato er 18 år eller derover)",
            "05",
        ),
        (
            7,
            "Iværksættelsen er forsinket grundet manglende samtykkeerklæring fra den unge "
            "eller den unges forældre i situationer, hvor den unge er under 18 år "
            "(kun synlig, hvis borger ved iværksættelsesdato er under 18 år)",
            "06",
        ),
        (8, "Anden årsag", "07"),
    ],
    # 42-IVÆR: options lines 893-902, codes lines 904-911; 5 options = 5 codes
    "ScreeningsvaerktoejAnvendtIvaerksaetKode": [
        (1, "ASI", "01"),
        (2, "UngMAP", "02"),
        (3, "VoksenMAP", "03"),
        (4, "MATE", "04"),
        (5, "Andet screeningsværktøj, som uddybes ved valg", "05"),
    ],
    # 6-IVÆR: options lines 942-957, codes lines 959-971; 4 options = 4 codes
    # (codes 01,02,04,05 -- no 03)
    "BehandlingFormaalKode": [
        (1, "Ophør", "01"),
        (2, "Reduktion", "02"),
        (
            3,
            "Tilbagefaldsforebyggelse (stabilisering) af tilstand opnået gennem anden "
            "stofmisbrugsbehandling, f.eks. døgnbehandling",
            "04",
        ),
        (
            4,
            "Stabilisering med henblik på at undgå negativ udvikling af nuværende stofmisbrug",
            "05",
        ),
    ],
    # 31-IVÆR: options lines 1077-1115, codes lines 1117-1155; 17 options = 17 codes
    # (NOT in code order)
    "HenvisningPaaOpfordringAfListe": [
        (1, "Eget initiativ", "01"),
        (2, "Skadestue/hospital", "02"),
        (3, "Praktiserende læge", "04"),
        (4, "Integreret dobbeltdiagnosetilbud", "18"),
        (5, "Koordineret forløb", "20"),
        # lines 1087-1092: "6) " / "Kriminalforsorgen/domstol/prøv" / "eløsladelse/ " / "politi"
        (6, "Kriminalforsorgen/domstol/prøveløsladelse/politi", "19"),
        (7, "Alkoholbehandlingstilbud", "07"),
        (8, "Stofbehandlingstilbud", "08"),
        (9, "Familieambulatorium", "09"),
        (10, "Herberg/forsorgshjem (§110) eller krisecenter (§109)", "21"),
        (11, "Anden kommunal forvaltning", "16"),
        (12, "Familie/venner", "22"),
        (13, "Arbejdsgiver", "13"),
        (14, "Skole/uddannelsessted", "14"),
        (15, "Rådgivningstilbud og/eller interesseorganisation", "23"),
        (16, "Andet", "17"),
        (17, "Uoplyst", "99"),
    ],
    # 9-IVÆR: options lines 1161-1168, codes lines 1170-1177; 5 options = 5 codes
    "PersonBoligsituationKode": [
        (1, "Stabil boligsituation", "11"),
        (2, "Ustabil boligsituation", "12"),
        (3, "Fængsel", "07"),
        (4, "Institution efter SEL", "08"),
        (5, "Borgeren vil ikke oplyse", "99"),
    ],
    # 20-IVÆR (hovedstof): options lines 1490-1518, codes lines 1525-1553;
    # 17 options = 17 codes (NOT in code order)
    "PersonAktueltHovedstofKode": [
        (1, "Metadon", "02"),
        (2, "Heroin", "08"),
        (3, "Tramadol", "20"),
        (4, "Oxycodon", "21"),
        (5, "Fentanyl", "22"),
        (6, "Andre opiater", "07"),
        (7, "Buprenorphin", "04"),
        (8, "Benzodiazepiner", "06"),
        (9, "Amfetamin", "11"),
        (10, "Metamfetamin", "17"),
        (11, "Kokain (pulver)", "18"),
        (12, "Kokain (crack)", "19"),
        (13, "Ecstasy", "12"),
        (14, "Hallucinogener", "14"),
        (15, "Hash/Cannabis", "13"),
        (16, "Opløsningsmidler (inhalanter)", "15"),
        (17, "Andre stoffer", "16"),
    ],
    # 20-IVÆR (indtagelseshyppighed): options lines 1594-1600, codes lines 1602-1608;
    # 5 options = 5 codes (NOT in code order: 01,02,04,03,99)
    "HovedstofIndtagelseshyppighedKode": [
        (1, "< 1 pr. uge", "01"),
        (2, "2-3 pr. uge", "02"),
        (3, "4-6 pr. uge", "04"),
        (4, "Dagligt", "03"),
        (5, "Uoplyst", "99"),
    ],
    # 20-IVÆR (typisk indtagelsesmåde): options lines 1619-1626, codes lines 1628-1635;
    # 5 options = 5 codes
    "HovedstofTypiskIndtagelsesmaadeKode": [
        (1, "Injektion", "01"),
        (2, "Rygning", "02"),
        (3, "Spiser/drikker", "03"),
        (4, "Sniffer", "04"),
        (5, "Uoplyst", "99"),
    ],
    # 32-IVÆR (injektion): options lines 1676-1690, codes lines 1692-1706;
    # 5 options = 5 codes (option numbering skips 5: "6) Uoplyst"; codes skip 02)
    "PersonNogensindeInjiceretEllerInjicererForTidenKode": [
        (1, "Aldrig injiceret", "01"),
        (2, "Har injiceret, men ikke de seneste 12 måneder", "03"),
        (3, "Har injiceret i løbet af de seneste 12 måneder, men ikke de seneste 30 dage", "04"),
        (4, "Har injiceret inden for de seneste 30 dage", "05"),
        (6, "Uoplyst", "99"),
    ],
    # 33-IVÆR: options lines 1740-1754, codes lines 1756-1770;
    # 5 options = 5 codes (option numbering skips 5: "6) Uoplyst"; codes skip 02)
    "PersonNogensindeDeltEllerDelerVaerktoejForTidenKode": [
        (1, "Aldrig delt værktøj", "01"),
        (2, "Har delt værktøj, men ikke de seneste 12 måneder", "03"),
        (3, "Har delt værktøj i løbet af de seneste 12 måneder, men ikke de seneste 30 dage", "04"),
        (4, "Har delt værktøj inden for de seneste 30 dage", "05"),
        (6, "Uoplyst", "99"),
    ],
    # 22-IVÆR: options lines 1788-1798, codes lines 1800-1810; 7 options = 7 codes
    "PersonFoersteInjektionAlderKode": [
        (1, "< 15", "01"),
        (2, "15-19", "02"),
        (3, "20-24", "03"),
        (4, "25-29", "04"),
        (5, "30-34", "05"),
        (6, "35-39", "06"),
        (7, "40+", "07"),
    ],
    # 34-IVÆR: options lines 1838-1848, codes lines 1850-1861; 5 options = 5 codes
    "PersonNogensindeTestetHCVKode": [
        (1, "Er aldrig blevet testet", "01"),
        (2, "Er blevet testet", "02"),
        (3, "Er blevet testet, men for mere end 12 måneder siden", "03"),
        (4, "Er blevet testet inden for de seneste 12 måneder", "04"),
        (5, "Uoplyst", "99"),
    ],
    # 35-IVÆR: options lines 1874-1884, codes lines 1886-1896;
    # 5 options = 5 codes (option numbering skips 5: "6) Uoplyst")
    "PersonNogensindeTestetHIVKode": [
        (1, "Er aldrig blevet testet", "01"),
        (2, "Er blevet testet", "02"),
        (3, "Er blevet testet, men for mere end 12 måneder siden", "03"),
        (4, "Er blevet testet inden for de seneste 12 måneder", "04"),
        (6, "Uoplyst", "99"),
    ],
    # 36-IVÆR: options lines 1918-1924, codes lines 1926-1932; 3 options = 3 codes
    "PersonNogensindeSubstitutionsbehandlingKode": [
        (1, "Har aldrig været i substitutionsbehandling", "01"),
        (2, "Har været i substitutionsbehandling", "02"),
        (3, "Uoplyst", "99"),
    ],
    # ===== TILB =====
    # 7-TILB: options lines 2024-2029, codes lines 2031-2036; 3 options = 3 codes
    "BehandlingIntensitetKode": [
        (1, "Ambulant behandlingsintensitet", "01"),
        (2, "Dagbehandlingsintensitet", "02"),
        (3, "Døgnbehandlingsintensitet", "03"),
    ],
    # 8-TILB: options lines 2075-2103, codes lines 2105-2130;
    # 7 options = 7 codes (NOT in code order: 01,07,08,05,03,04,06)
    "BehandlingTypeKode": [
        (1, "Metadon, givet efter § 142 i Sundhedsloven", "01"),
        (2, "Buprenorphin kombineret med naloxon, givet efter § 142 i Sundhedsloven", "07"),
        (3, "Mono-buprenorphin, givet efter § 142 i Sundhedsloven", "08"),
        (4, "Heroin, givet efter § 142 i Sundhedsloven", "05"),
        (5, "Anden substitution med opiater, givet efter § 142 i Sundhedsloven", "03"),
        (
            6,
            "Stoffri behandling, givet efter § 101 i Serviceloven (eller § 33 i Barnets Lov)",
            "04",
        ),
        (7, "Anden medicinsk behandling, givet efter § 142 i Sundhedsloven", "06"),
    ],
    # ===== AFSL =====
    # 2-AFSL: options lines 2191-2197, codes lines 2199-2205; 5 options = 5 codes
    "BehandlingAfsluttetStatusKode": [
        (1, "Ophørt", "01"),
        (2, "Reduceret", "02"),
        (3, "Stabiliseret", "03"),
        (4, "Tilbagefald", "04"),
        (5, "Ikke færdigbehandlet", "05"),
    ],
    # 3-AFSL: options lines 2218-2233, codes lines 2235-2250;
    # 8 options = 8 codes (NOT in code order: 01,03,08,04,05,06,02,10)
    "BehandlingAfsluttetAarsagKode": [
        (1, "Færdigbehandlet", "01"),
        (2, "Udeblevet", "03"),
        (3, "Bortvist", "08"),
        (4, "Død", "04"),
        (5, "Flyttet", "05"),
        (6, "Overgået/ udskrevet til andet behandlingstilbud", "06"),
        (7, "Afsluttet efter borgerens eget ønske", "02"),
        (8, "Anden årsag", "10"),
    ],
    # 4-AFSL: options lines 2272-2284, codes lines 2286-2298; 6 options = 6 codes
    "BehandlingAfsluttetHvemHarOvertagetBehandling": [
        (1, "Kriminalforsorgen/fængsel", "01"),
        (2, "Hospital", "02"),
        (3, "Egen læge", "03"),
        (4, "Region i integreret dobbeltdiagnosetilbud", "04"),
        (5, "Kommune i koordineret forløb", "05"),
        (6, "Andet rusmiddelcenter", "06"),
    ],
}

# ---------------------------------------------------------------------------
# 3. READ_ONLY: variables marked "(read only)"
# ---------------------------------------------------------------------------

READ_ONLY: list[str] = [
    "IvaerksatBehandlingDageSidenAnmodningKvantitet",  # 32-IVÆR, line 725
    "PersonIvaerksatBehandlingAlderKvantitet",  # 23-IVÆR, line 745
]

# ---------------------------------------------------------------------------
# 4. RANGES (numeric Værdier ranges) and MAX_LENGTH
#    (not ranges: KommuneKode "3 cifre" line 523, AutorisationKodeTekst
#    "Gyldigt 5-cifret autorisationsID" line 2147)
# ---------------------------------------------------------------------------

RANGES: dict[str, tuple[int, int]] = {
    # 18-IVÆR, "Integer 0-30 0-30", lines 1241-1420
    "IllegalMetadonDageIndtagetSenesteMaanedKvantitet": (0, 30),  # 1241
    "IllegalHeroinDageIndtagetSenesteMaanedKvantitet": (0, 30),  # 1253
    "TramadolDageIndtagetSenesteMaanedKvantitet": (0, 30),  # 1265
    "OxycodonDageIndtagetSenesteMaanedKvantitet": (0, 30),  # 1275
    "FentanylDageIndtagetSenesteMaanedKvantitet": (0, 30),  # 1285
    "AndreOpiaterDageIndtagetSenesteMaanedKvantitet": (0, 30),  # 1296
    "IllegalBuprenorphinDageIndtagetSenesteMaanedKvantitet": (0, 30),  # 1307
    "IllegalBenzodiazepinerDageIndtagetSenesteMaanedKvantitet": (0, 30),  # 1318
    "AmfetaminerDageIndtagetSenesteMaanedKvantitet": (0, 30),  # 1330
    "MetamfetaminDageIndtagetSenesteMaanedKvantitet": (0, 30),  # 1342
    "KokainPulverDageIndtagetSenesteMaanedKvantitet": (0, 30),  # 1352
    "KokainCrackDageIndtagetSenesteMaanedKvantitet": (0, 30),  # 1362
    "EcstasyDageIndtagetSenesteMaanedKvantitet": (0, 30),  # 1373
    "HallucinogenerDageIndtagetSenesteMaanedKvantitet": (0, 30),  # 1384
    "CannabisDageIndtagetSenesteMaanedKvantitet": (0, 30),  # 1396
    "OploesningsmidlerDageIndtagetSenesteMaanedKvantitet": (0, 30),  # 1409
    "AndreStofferDageIndtagetSenesteMaanedKvantitet": (0, 30),  # 1420
    # 20-IVÆR sub-fields
    "HovedstofDageIndtagetSenesteMaanedKvantitet": (0, 30),  # 1565
    "HovedstofFoersteBrugAlderKvantitet": (0, 99),  # 1573
    # 41-IVÆR
    "PersonFoersteSubstitutionsbehandlingAlderKvantitet": (0, 99),  # 1944
}

MAX_LENGTH: dict[str, int] = {
    "ScreeningsvaerktoejAnvendtIvaerksaetTekst": 250,  # 43-IVÆR, line 926 "Max. 250 karakterer"
}

# ---------------------------------------------------------------------------
# 5. SOAP_ACTIONS: (service, group, uri), each action once (section 1.2).
#    The hyperlink lists that follow each block (lines 219-238, 318-338,
#    366-371) repeat these URIs and are not counted again.
# ---------------------------------------------------------------------------

SOAP_ACTIONS: list[tuple[str, str, str]] = [
    # 1.2.1 HentDataService -- "Nye actions 2026", lines 175-201
    (
        "HentData",
        "new-2026",
        "http://smdb.dst.dk/api/external/v1/ISecureHentData/HentAnmodning",
    ),  # 185
    (
        "HentData",
        "new-2026",
        "http://smdb.dst.dk/api/external/v1/ISecureHentData/HentIvaerksaettelse",
    ),  # 187
    (
        "HentData",
        "new-2026",
        "http://smdb.dst.dk/api/external/v1/ISecureHentData/HentIvaerksaettelseForAnmodning",
    ),  # 189
    (
        "HentData",
        "new-2026",
        "http://smdb.dst.dk/api/external/v1/ISecureHentData/HentTilbudstilknytning",
    ),  # 191
    (
        "HentData",
        "new-2026",
        "http://smdb.dst.dk/api/external/v1/ISecureHentData/HentTilbudstilknytningForIvaerksaettelse",
    ),  # 193
    (
        "HentData",
        "new-2026",
        "http://smdb.dst.dk/api/external/v1/ISecureHentData/HentKvalHepMedId",
    ),  # 195
    (
        "HentData",
        "new-2026",
        "http://smdb.dst.dk/api/external/v1/ISecureHentData/HentAktiveKontaktForloebIMyndighed",
    ),  # 201
    # 1.2.1 HentDataService -- "Uændrede actions", lines 205-217, continued
    # after the page-break hyperlink list at lines 239-243
    (
        "HentData",
        "unchanged",
        "http://smdb.dst.dk/api/external/v1/ISecureHentData/HentAlleTilbud",
    ),  # 207
    (
        "HentData",
        "unchanged",
        "http://smdb.dst.dk/api/external/v1/ISecureHentData/HentAnmodninger",
    ),  # 209
    (
        "HentData",
        "unchanged",
        "http://smdb.dst.dk/api/external/v1/ISecureHentData/HentIndskrivninger",
    ),  # 211
    (
        "HentData",
        "unchanged",
        "http://smdb.dst.dk/api/external/v1/ISecureHentData/HentIvaerksaettelser",
    ),  # 213
    (
        "HentData",
        "unchanged",
        "http://smdb.dst.dk/api/external/v1/ISecureHentData/HentKvalHep",
    ),  # 215
    (
        "HentData",
        "unchanged",
        "http://smdb.dst.dk/api/external/v1/ISecureHentData/HentLandeliste",
    ),  # 217
    (
        "HentData",
        "unchanged",
        "http://smdb.dst.dk/api/external/v1/ISecureHentData/HentTilbudstilknytninger",
    ),  # 239
    (
        "HentData",
        "unchanged",
        "http://smdb.dst.dk/api/external/v1/ISecureHentData/HentYdelser",
    ),  # 241
    (
        "HentData",
        "unchanged",
        "http://smdb.dst.dk/api/external/v1/ISecureHentData/HentYdelsespakker",
    ),  # 243
    # 1.2.1 HentDataService -- "For forløb før 1. juli 2019", lines 249-253
    (
        "HentData",
        "pre-2019",
        "http://smdb.dst.dk/api/external/v1/ISecureHentData/HentAsiForMyndighed",
    ),  # 251
    (
        "HentData",
        "pre-2019",
        "http://smdb.dst.dk/api/external/v1/ISecureHentData/HentAsiForTilbud",
    ),  # 253
    # 1.2.2 IndsaetDataService -- "Nye actions 2026", lines 274-288
    (
        "IndsaetData",
        "new-2026",
        "http://smdb.dst.dk/api/external/v1/ISecureIndsaetData/SletAnmodning",
    ),  # 280
    (
        "IndsaetData",
        "new-2026",
        "http://smdb.dst.dk/api/external/v1/ISecureIndsaetData/SletIvaerksaettelse",
    ),  # 282
    (
        "IndsaetData",
        "new-2026",
        "http://smdb.dst.dk/api/external/v1/ISecureIndsaetData/SletTilbudsTilknytning",
    ),  # 284
    (
        "IndsaetData",
        "new-2026",
        "http://smdb.dst.dk/api/external/v1/ISecureIndsaetData/SletHeltForloeb",
    ),  # 286
    (
        "IndsaetData",
        "new-2026",
        "http://smdb.dst.dk/api/external/v1/ISecureIndsaetData/SletKvalHep",
    ),  # 288
    # 1.2.2 IndsaetDataService -- "Uændrede actions", lines 292-306
    (
        "IndsaetData",
        "unchanged",
        "http://smdb.dst.dk/api/external/v1/ISecureIndsaetData/AfslutBehandling",
    ),  # 294
    (
        "IndsaetData",
        "unchanged",
        "http://smdb.dst.dk/api/external/v1/ISecureIndsaetData/AfslutIndskrivning",
    ),  # 296
    (
        "IndsaetData",
        "unchanged",
        "http://smdb.dst.dk/api/external/v1/ISecureIndsaetData/IndsaetIndskrivning",
    ),  # 298
    (
        "IndsaetData",
        "unchanged",
        "http://smdb.dst.dk/api/external/v1/ISecureIndsaetData/IndsaetIvaerksaettelse",
    ),  # 300
    (
        "IndsaetData",
        "unchanged",
        "http://smdb.dst.dk/api/external/v1/ISecureIndsaetData/IndsaetKvalHep",
    ),  # 302
    (
        "IndsaetData",
        "unchanged",
        "http://smdb.dst.dk/api/external/v1/ISecureIndsaetData/IndsaetTilbudstilknytning",
    ),  # 304
    (
        "IndsaetData",
        "unchanged",
        "http://smdb.dst.dk/api/external/v1/ISecureIndsaetData/IndsaetYdelse",
    ),  # 306
    # 1.2.2 IndsaetDataService -- "For forløb før 1. juli 2019", lines 312-314
    (
        "IndsaetData",
        "pre-2019",
        "http://smdb.dst.dk/api/external/v1/ISecureIndsaetData/IndsaetAsi",
    ),  # 314
    # 1.2.3 TokenTestService -- "SOAP Actions", lines 354-360 (not grouped in the text)
    ("TokenTest", "unchanged", "http://smdb.dst.dk/api/external/v1/ISecureTokenTest/Echo"),  # 356
    ("TokenTest", "unchanged", "http://smdb.dst.dk/api/external/v1/ISecureTokenTest/Throw"),  # 358
    ("TokenTest", "unchanged", "http://smdb.dst.dk/api/external/v1/ISecureTokenTest/WhoAmI"),  # 360
]

# ---------------------------------------------------------------------------
# DISCREPANCIES (observed in the source text; line numbers refer to the
# kravspec .txt file).  Nothing below is "fixed" in the data above -- the
# data transcribes what is written.
#
# Duplicated / inconsistent Felt-IDs
#  D1. 32-IVÆR is used for two different fields: "Dage siden anmodning"
#      (IvaerksatBehandlingDageSidenAnmodningKvantitet, line 719) and the
#      injection question (PersonNogensindeInjiceretEllerInjicererForTidenKode,
#      line 1642).  Section 6.1 (line 2509ff) uses 32-IVÆR for injection.
#  D2. The 46-IVÆR row is printed twice (lines 1207-1216 and 1218-1229);
#      the first says "Boolean True/False CheckBox", the second
#      "Boolean  CheckBox" (no True/False).  Included once.
#  D3. 18-IVÆR is shared by 17 substance day-count fields (lines 1235-1414),
#      and 20-IVÆR by 6 fields (hovedstof + 5 sub-fields, lines 1444-1613).
#  D4. Felt-IDs are not sequential/contiguous: ANM rows are 6,8,2,3,9,5
#      (no 1,4,7-ANM); TILB skips 5-TILB and 6-TILB (7-TILB at line 2012
#      follows 4-TILB at line 1996).
#  D5. 4-AFSL's Felt-ID is written inside the question text in parentheses:
#      "Hvem har overtaget behandlingen? (4-AFSL)" (line 2254).
#
# Display conditions referencing the wrong / malformed Felt-ID
#  D6. 4-IVÆR condition "(Vises, hvis antal dage i 23-IVÆR>14)" (lines
#      759, 787): 23-IVÆR is "Alder ved iværksat behandling"; the day count is
#      "Dage siden anmodning" (labelled 32-IVÆR, line 719).  Section 6.1
#      (lines 2456-2458) says the question is shown when there are more than
#      14 days between anmodningsdato and iværksættelsesdato.
#  D7. 20-IVÆR condition "(Vises, uanset om IVÆR-17=”Ja” eller ”Nej”. Vises
#      ikke, hvis 19-IVÆR afkrydses" (lines 1485-1488): "IVÆR-17" is in
#      reversed format and no 17-IVÆR exists in the table; per 6.1
#      (lines 2501-2503) it should be 46-IVÆR.  The parenthesis is never closed.
#  D8. 4-AFSL condition (lines 2257-2264) refers to 3-AFSL by text:
#      "= ”Overgået/udskrevet til andet behandlingstilbud" -- no closing
#      quote, and spelled "Overgået/udskrevet" whereas the 3-AFSL option
#      (line 2227) reads "Overgået/ udskrevet" (with a space).
#
# Skipped option numbers / code gaps
#  D9. 32-IVÆR injection options 1),2),3),4),6) Uoplyst (line 1690) -- no 5);
#      codes 01,03,04,05,99 (no 02).
#  D10. 33-IVÆR options 1)-4), 6) Uoplyst (line 1754) -- no 5); codes
#      01,03,04,05,99 (no 02).
#  D11. 35-IVÆR (HIV) options 1)-4), 6) Uoplyst (line 1884) whereas the
#      otherwise identical 34-IVÆR (HCV) list uses 5) Uoplyst (line 1848).
#  D12. 6-IVÆR codes 01,02,04,05 (lines 959-971): no 03.
#
# Lists not in code order (paired by order, as instructed)
#  D13. 4-IVÆR codes 01,02,08,04,09,05,06,07 (766, 845-880); 31-IVÆR codes
#      01,02,04,18,20,19,07,08,09,21,16,22,13,14,23,17,99 (1117-1155);
#      9-IVÆR 11,12,07,08,99 (1170-1177); 20-IVÆR hovedstof
#      02,08,20,21,22,07,04,06,11,17,18,19,12,14,13,15,16 (1525-1553);
#      hovedstof intake frequency 01,02,04,03,99 (1602-1608: "4-6 pr. uge"=04,
#      "Dagligt"=03); 8-TILB 01,07,08,05,03,04,06 (2105-2130); 3-AFSL
#      01,03,08,04,05,06,02,10 (2235-2250).
#  D14. Hovedstof intake frequency options "< 1 pr. uge" then "2-3 pr. uge"
#      (lines 1594-1595): exactly once a week is not covered by any option.
#
# Variable names / text oddities
#  D15. 5-ANM variable "PersonPsykiskFunktionsnedsættelseKode" (lines 577-578)
#      contains "æ", while every other variable transliterates (ae/oe/aa).
#      The question text is about a "diagnosticeret psykisk lidelse", not a
#      "funktionsnedsættelse".
#  D16. 4-IVÆR variable "BehandlingGarantiOverskredeAarsagKode" (lines
#      756-757): "Overskrede" (not "Overskredet", cf. 29-IVÆR
#      "...TidsfristOverskredetKode").  Transcribed as written.
#  D17. 4-IVÆR: the question text ("Såfremt der er gået mere end 14 dage, fra
#      borgeren har anmodet om behandling, til behandlingen iværksættes:
#      Årsag til overskridelse af behandlingsgaranti"), the condition, option 1
#      and code 01 are interleaved across lines 751-787 (option 1 and code 01
#      on the same line 766).
#  D18. 31-IVÆR datatype text "String med kommasepereret liste" (lines
#      1042-1047): misspelling of "kommasepareret".  Question "Henvendelse på
#      opfordring af" vs variable "HenvisningPaaOpfordringAfListe".
#  D19. 31-IVÆR option 6 is split "6) " / "Kriminalforsorgen/domstol/prøv" /
#      "eløsladelse/ " / "politi" (lines 1087-1092).  Re-joined as
#      "Kriminalforsorgen/domstol/prøveløsladelse/politi"; whether the
#      original has a space before "politi" is ambiguous from the text.
#  D20. 18-IVÆR question "Amfetamin: Indtaget antal dage" (line 1320) vs
#      variable "AmfetaminerDageIndtagetSenesteMaanedKvantitet" (line 1326);
#      the "Illegal" prefix is used only for Metadon, Heroin, Buprenorphin,
#      Benzodiazepiner.  "Hash/cannabis" (line 1386) vs hovedstof option
#      "Hash/Cannabis" (line 1513).
#  D21. 4-AFSL variable "BehandlingAfsluttetHvemHarOvertagetBehandling"
#      lacks the "Kode" suffix used by all other coded String fields.
#  D22. 45-IVÆR Valgmuligheder "True/False/Null" (line 1205) vs "True/False"
#      for the other Boolean checkboxes; 19-IVÆR, 2-TILB and the 20-IVÆR
#      "Alder uoplyst" field use "On eller blank" (lines 1436, 1976, 1583).
#  D23. 1-TILB Værdier "Liste (HentAlle Tilbud web-service)" (lines
#      1965-1966) -- the action is HentAlleTilbud; 9-TILB URL broken across
#      lines "https://stps.dk/da/ds/opslagautr" / "eg" (2143-2145).
#  D24. 9-TILB is shown "hvis behandlingstype i 8-TILB er forskellig fra 04
#      og 06" (lines 2137-2138); by order-pairing 04 = "Stoffri behandling"
#      and 06 = "Anden medicinsk behandling, givet efter § 142" -- i.e. a
#      § 142 medical treatment hides the doctor's authorisation ID
#      (possibly intended, worth confirming).
#  D25. 19-IVÆR note (lines 1429-1434): it is an answer category under 20-IVÆR
#      since 1 July 2022 but kept as a separate question in SMDB.
#
# Section 1.2 (SOAP actions)
#  D26. The HentData "Uændrede actions" list is split by a page break: the
#      last three (HentTilbudstilknytninger, HentYdelser, HentYdelsespakker,
#      lines 239-243) come after the hyperlink dump at lines 219-238.
#      The hyperlink dumps also repeat some URIs twice (lines 225-232).
#  D27. Casing: "SletTilbudsTilknytning" (line 284, capital T) vs
#      "HentTilbudstilknytning"/"IndsaetTilbudstilknytning" (lowercase t).
#  D28. WSDL URLs are written "...svc? singlewsdl" with a space (lines 171,
#      268, 352; hyperlinks show "?%20singlewsdl").
# ---------------------------------------------------------------------------
