"""`make bench`: the project's speed figures, each next to a baseline measured in the same run.

Prints a Markdown table and the command that made it. Timings are the best of N runs (the
least disturbed by other load); ratios compare numbers taken here, on this machine, now.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PACKAGE = ROOT / "generated" / "python"


def best_of(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def run(*command: str, env: dict | None = None) -> None:
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, env=env)


def generation(runs: int) -> list[tuple[str, float, str]]:
    """`smdbgen generate` with nothing to do, and after its output was removed."""
    smdbgen = str(BIN / "smdbgen")
    noop = best_of(runs, lambda: run(smdbgen, "generate"))

    def full() -> None:
        shutil.rmtree(ROOT / "generated" / "python")
        run(smdbgen, "generate")

    full_time = best_of(runs, full)
    startup = best_of(runs, lambda: run(str(BIN / "python"), "-c", "pass"))
    return [
        ("python -c pass (interpreter start, baseline)", startup, "1.00×"),
        ("smdbgen generate, no-op (nothing changed)", noop, f"{noop / startup:.1f}×"),
        (
            "smdbgen generate, full (generated/python removed)",
            full_time,
            f"{full_time / startup:.1f}×",
        ),
    ]


def imports(runs: int) -> list[tuple[str, float, str]]:
    """Import times in fresh interpreters: smdb against pydantic and zeep."""
    env = {**os.environ, "PYTHONPATH": str(PACKAGE)}
    python = str(BIN / "python")

    def timed(statement: str) -> float:
        return best_of(runs, lambda: run(python, "-c", statement, env=env))

    base = timed("pass")
    pydantic = timed("import pydantic") - base
    rows = [("import pydantic (baseline)", pydantic, "1.00×")]
    for statement in (
        "import zeep",
        "import smdb",
        "import smdb.codelists",
        "import smdb.models",
        "import smdb.xml",
    ):
        cost = timed(statement) - base
        rows.append((statement, cost, f"{cost / pydantic:.2f}×"))
    return rows


def xml_round_trip(runs: int) -> list[tuple[str, float, str]]:
    """Parse+build of one form through smdb.xml against lxml merely parsing the same bytes."""
    sys.path.insert(0, str(PACKAGE))
    try:
        from lxml import etree
        from smdb import xml
        from smdb.models import IvaerksaettelseSkema
    except ImportError as exc:
        return [(f"smdb.xml not generated yet ({exc})", float("nan"), "")]
    sample = IvaerksaettelseSkema.model_validate(SAMPLE_IVAERKSAETTELSE)
    data = xml.dumps(sample, version="v1")
    loops = 2000

    def lxml_parse() -> None:
        for _ in range(loops):
            etree.fromstring(data)

    def smdb_round_trip() -> None:
        for _ in range(loops):
            xml.dumps(xml.loads(data, version="v1"), version="v1")

    floor = best_of(runs, lxml_parse) / loops
    ours = best_of(runs, smdb_round_trip) / loops
    return [
        (f"lxml etree.fromstring, {len(data)} B Ivaerksaettelse (floor)", floor, "1.00×"),
        ("smdb.xml loads + dumps, same document", ours, f"{ours / floor:.1f}×"),
    ]


SAMPLE_IVAERKSAETTELSE = {
    "IvaerksatBehandlingDato": "2026-02-20",
    "OenskerBorgerTilbudLaegesamtaleKode": "01",
    "LaegesamtaleAfholdtIndikator": True,
    "LaegesamtaleAfholdtDato": "2026-02-10",
    "BehandlingGarantiOverskredeAarsagKode": "01",
    "ScreeningsvaerktoejAnvendtIvaerksaetKode": "05",
    "ScreeningsvaerktoejAnvendtIvaerksaetTekst": "Lokalt værktøj",
    "BehandlingFormaalKode": "02",
    "HenvisningPaaOpfordringAfListe": ["01", "04", "18"],
    "PersonBoligsituationKode": "11",
    "PersonEllerPartnerHarBoernUnder18Indikator": True,
    "BoernErTilknyttetHusstandenIndikator": False,
    "PersonTagetIkkeOrdineredeStofferSenesteMaanedIndikator": True,
    "CannabisDageIndtagetSenesteMaanedKvantitet": 20,
    "KokainPulverDageIndtagetSenesteMaanedKvantitet": 3,
    "PersonHovedstofAngivelseIkkeMuligIndikator": False,
    "PersonAktueltHovedstofKode": "13",
    "HovedstofDageIndtagetSenesteMaanedKvantitet": 20,
    "HovedstofFoersteBrugAlderKvantitet": 15,
    "HovedstofIndtagelseshyppighedKode": "03",
    "HovedstofTypiskIndtagelsesmaadeKode": "02",
    "PersonNogensindeInjiceretEllerInjicererForTidenKode": "01",
    "PersonNogensindeDeltEllerDelerVaerktoejForTidenKode": "01",
    "PersonNogensindeTestetHCVKode": "02",
    "PersonNogensindeTestetHIVKode": "02",
    "PersonNogensindeSubstitutionsbehandlingKode": "01",
}


def main() -> int:
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    sections = [
        ("Generation", generation(runs)),
        ("Import time (fresh interpreter, minus interpreter start)", imports(runs)),
        ("XML", xml_round_trip(runs)),
    ]
    print(f"Command: make bench (BENCH_RUNS={runs}, best of {runs})")
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}\n"
    )
    for title, rows in sections:
        print(f"### {title}\n")
        print("| what | time | ratio to baseline |\n|---|---:|---:|")
        for label, seconds, ratio in rows:
            shown = f"{seconds * 1000:.2f} ms" if seconds < 1 else f"{seconds:.2f} s"
            print(f"| {label} | {shown} | {ratio} |")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
