"""`make bench`: the project's speed figures, each next to a baseline measured in the same run.

Prints a Markdown table and the command that made it. Timings are the best of N runs (the
least disturbed by other load); ratios compare numbers taken here, on this machine, now.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench import memory, secure, soap

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PACKAGE = ROOT / "generated" / "python"
BASE_CASE = ROOT / "spec" / "rules" / "examples" / "base-case.json"


def best_of(runs: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def best_of_pair(runs: int, first: Callable[[], object], second: Callable[[], object]):
    """The best time of each of two actions, run in turns."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for action, spent in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            action()
            spent.append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


def run(*command: str, env: dict | None = None) -> None:
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, env=env)


def generation(runs: int) -> list[tuple[str, float, str]]:
    """`smdbgen generate` (every release, the package from the newest) with nothing to do,
    cold, and with the memo warm after its output was removed."""
    smdbgen = str(BIN / "smdbgen")
    noop = best_of(runs, lambda: run(smdbgen, "generate"))

    def full() -> None:
        shutil.rmtree(ROOT / "generated" / "python")
        run(smdbgen, "generate")

    full_time = best_of(runs, full)

    def cold() -> None:
        shutil.rmtree(ROOT / ".cache", ignore_errors=True)  # as on a fresh clone
        run(smdbgen, "generate")

    cold_time = best_of(runs, cold)
    startup = best_of(runs, lambda: run(str(BIN / "python"), "-c", "pass"))
    return [
        ("python -c pass (interpreter start, baseline)", startup, "1.00×"),
        ("smdbgen generate, no-op (nothing changed)", noop, f"{noop / startup:.1f}×"),
        (
            "smdbgen generate, cold (.cache/ removed, as on a fresh clone)",
            cold_time,
            f"{cold_time / startup:.1f}×",
        ),
        (
            "smdbgen generate, full (generated/python removed; memo in .cache/ warm)",
            full_time,
            f"{full_time / startup:.1f}× ({full_time / cold_time:.2f}× cold: the memo's saving)",
        ),
    ]


def imports(runs: int) -> list[tuple[str, float, str]]:
    """Import times in fresh interpreters: smdb against pydantic and zeep."""
    env = {**os.environ, "PYTHONPATH": str(PACKAGE)}
    python = str(BIN / "python")

    def timed(statement: str) -> float:
        """Best time of `statement` in fresh interpreters, timed inside them (no start-up)."""
        program = f"import time\nt = time.perf_counter()\n{statement}\n"
        program += "print(time.perf_counter() - t)"
        outputs = [
            subprocess.run(
                [python, "-c", program], cwd=ROOT, env=env, check=True, capture_output=True
            ).stdout
            for _ in range(runs)
        ]
        return min(float(output) for output in outputs)

    pydantic = timed("import pydantic")
    # `import pydantic` is lazy; defining one model loads what smdb.models really needs.
    one_model = timed("import pydantic\nclass M(pydantic.BaseModel):\n    x: int = 0")
    rows = [
        ("import pydantic (baseline)", pydantic, "1.00×"),
        ("import pydantic + define one model", one_model, f"{one_model / pydantic:.2f}×"),
    ]
    for statement in (
        "import zeep",
        "import smdb",
        "import smdb.codelists",
        "import smdb.models",
        "import smdb.xml",
    ):
        cost = timed(statement)
        rows.append((statement, cost, f"{cost / pydantic:.2f}×"))
    return rows


def xml_round_trip(runs: int) -> list[tuple[str, float, str]]:
    """Parse+build of one form through smdb.xml against lxml merely parsing the same bytes."""
    try:
        from lxml import etree
        from smdb import xml
        from smdb.models import IvaerksaettelseSkema
    except ImportError as exc:
        return [(f"smdb.xml not generated yet ({exc})", float("nan"), "")]
    sample = IvaerksaettelseSkema.model_validate(base_case()["Ivaerksaettelse"])
    data = xml.dumps(sample, version="v1")
    loops = 2000

    def lxml_parse() -> None:
        for _ in range(loops):
            etree.fromstring(data)

    def smdb_round_trip() -> None:
        for _ in range(loops):
            xml.dumps(xml.loads(data, version="v1"), version="v1")

    # Interleaved, so that both see the same machine: its speed drifts by ±20% over seconds.
    floor, ours = (best / loops for best in best_of_pair(max(runs, 5), lxml_parse, smdb_round_trip))
    return [
        (f"lxml etree.fromstring, {len(data)} B Ivaerksaettelse (floor)", floor, "1.00×"),
        ("smdb.xml loads + dumps, same document", ours, f"{ours / floor:.1f}×"),
    ]


def signed_request(runs: int) -> list[tuple[str, float, str]]:
    """One request signed and verified (bench/signing.py), against raw RSA sign + verify."""
    from signing import security
    from smdb import xml
    from smdb.models import IvaerksaettelseSkema

    form = IvaerksaettelseSkema.model_validate(base_case()["Ivaerksaettelse"])
    data = xml.dumps(form, version="v1")
    return security(runs, data if isinstance(data, bytes) else data.encode(), best_of_pair)


def base_case() -> dict:
    """The rules' valid example case: realistic, every question answered."""
    return json.loads(BASE_CASE.read_text(encoding="utf-8"))


def realistic_cases(count: int) -> list[dict]:
    """`count` distinct valid cases: the base case with its person, kommune and dates varied."""
    import copy
    import datetime as dt
    import random

    rng = random.Random(20260101)  # fixed seed: the same cases on every run
    from smdb.validation import validate

    kommuner = [101, 147, 151, 153, 155, 157, 159, 161]
    template, cases = base_case(), []
    while len(cases) < count:
        case = copy.deepcopy(template)
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(18000))  # up to 1999
        serial = rng.randrange(400)  # 7th digit 0-3: the century is 1900
        case["Anmodning"]["PersonIdentifikator"] = f"{born:%d%m%y}{serial:03d}{rng.randrange(10)}"
        case["Anmodning"]["KommuneKode"] = rng.choice(kommuner)
        case["Ivaerksaettelse"].pop("PersonIvaerksatBehandlingAlderKvantitet", None)  # computed
        cases.append(case)
    dirty = [case for case in cases[:1000] if validate(case, today=dt.date(2026, 11, 1))]
    assert not dirty, f"sample cases are not clean: {validate(dirty[0])}"
    return cases


def with_violations(cases: list[dict]) -> list[dict]:
    """The same cases, each breaking three rules: a CPR number written as a number (its
    message shows it, masked), a kommune that does not exist, a missing answer."""
    import copy
    import datetime as dt

    from smdb.validation import validate

    dirty = []
    for case in cases:
        case = copy.deepcopy(case)
        cpr = case["Anmodning"]["PersonIdentifikator"]
        case["Anmodning"]["PersonIdentifikator"] = int("32" + cpr[2:])  # not a string
        case["Anmodning"]["KommuneKode"] = 1
        case["Ivaerksaettelse"]["BoernErTilknyttetHusstandenIndikator"] = None
        dirty.append(case)
    found = validate(dirty[0], today=dt.date(2026, 11, 1))
    assert len(found) >= 3 and any("-****" in v.message_da for v in found), found
    return dirty


def validation(runs: int) -> list[tuple[str, float, str]]:
    """Cases per second through smdb.validation, from dicts and from XML, beside the floor of
    merely parsing the same inputs (json.loads / lxml) in the same run."""
    import datetime as dt

    from lxml import etree
    from smdb import xml
    from smdb.models import Kontaktforloeb
    from smdb.validation import validate

    count = int(os.environ.get("BENCH_CASES", "100000"))
    today = dt.date(2026, 11, 1)
    cases = realistic_cases(count)
    texts = [json.dumps(case) for case in cases]
    documents = [xml.dumps(Kontaktforloeb.model_validate(case)) for case in cases[:10000]]

    def rate(seconds: float, n: int) -> float:
        return n / seconds

    # Each measured in turns with its floor, so that both see the same machine.
    def parse_json() -> list:
        return [json.loads(t) for t in texts]

    floor_1, dicts = best_of_pair(
        runs, parse_json, lambda: [validate(c, today=today) for c in cases]
    )
    floor_2, from_json_time = best_of_pair(
        runs, parse_json, lambda: [validate(json.loads(t), today=today) for t in texts]
    )
    json_floor = rate(min(floor_1, floor_2), count)
    from_dicts, from_json = rate(dicts, count), rate(from_json_time, count)
    dirty = with_violations(cases[: min(count, 20000)])
    clean_time, dirty_time = best_of_pair(
        runs,
        lambda: [validate(c, today=today) for c in cases[: len(dirty)]],
        lambda: [validate(c, today=today) for c in dirty],
    )
    violations = sum(len(validate(c, today=today)) for c in dirty[:1000]) / min(1000, len(dirty))
    lxml_time, xml_time = best_of_pair(
        runs,
        lambda: [etree.fromstring(d) for d in documents],
        lambda: [validate(xml.loads(d), today=today) for d in documents],
    )
    lxml_floor, from_xml = rate(lxml_time, len(documents)), rate(xml_time, len(documents))
    per_case = [
        (f"json.loads, {count:,} cases (floor)", json_floor),
        ("validate(dict)", from_dicts),
        ("json.loads + validate", from_json),
        (f"lxml fromstring, {len(documents):,} case documents (floor)", lxml_floor),
        ("smdb.xml.loads + validate", from_xml),
    ]
    clean_rate, dirty_rate = rate(clean_time, len(dirty)), rate(dirty_time, len(dirty))
    rows = [
        (
            f"validate(dict), {len(dirty):,} clean cases (baseline): {clean_rate:,.0f} cases/s",
            1 / clean_rate,
            "1.0×",
        ),
        (
            f"validate(dict), the same cases with {violations:.1f} violations each "
            f"(messages, masking): {dirty_rate:,.0f} cases/s",
            1 / dirty_rate,
            f"{clean_rate / dirty_rate:.1f}× the clean cases' time",
        ),
    ]
    for label, cases_per_second in per_case:
        floor = json_floor if "json" in label or "dict" in label else lxml_floor
        rows.append(
            (
                f"{label}: {cases_per_second:,.0f} cases/s",
                1 / cases_per_second,
                f"{floor / cases_per_second:.1f}× the floor's time",
            )
        )
    return rows


def streaming_memory() -> list[tuple[str, float, str]]:
    """Peak memory of `smdb validate` on a large JSON Lines file against a small one."""
    import datetime as dt
    import tempfile

    megabytes = int(os.environ.get("BENCH_JSONL_MB", "1024"))
    case = base_case()
    case["Ivaerksaettelse"].pop("PersonIvaerksatBehandlingAlderKvantitet", None)  # computed
    cpr = case["Anmodning"]["PersonIdentifikator"]
    # Each borger has three cases (2026, and earlier closed ones in 2024 and 2022), so the
    # cross-case check's second pass runs for every one.
    lines = [json.dumps(case).replace("2026-", year) + "\n" for year in ("2026-", "2024-", "2022-")]
    line = "".join(lines)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        peaks = {}
        for size in (8, megabytes):
            path = Path(folder) / f"cases-{size}.jsonl"
            with path.open("w", encoding="utf-8") as handle:
                for i in range(size * 1024 * 1024 // len(line)):
                    # a distinct borger per three lines, their cases apart, as in an extract
                    born = dt.date(1950, 1, 1) + dt.timedelta(days=i % 18000)
                    handle.write(line.replace(cpr, f"{born:%d%m%y}{i // 18000 % 400:03d}{i % 10}"))
            # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent.
            script = (
                "import re, sys\nfrom smdb.cli import main\n"
                "main(['validate', '--today', '2026-11-01', sys.argv[1]])\n"
                "status = open('/proc/self/status').read()\n"
                "print(re.search(r'VmHWM:\\s+(\\d+)', status).group(1), file=sys.stderr)\n"
            )
            start = time.perf_counter()
            done = subprocess.run(
                [str(BIN / "python"), "-c", script, str(path)],
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ, "PYTHONPATH": str(PACKAGE)},
            )
            seconds = time.perf_counter() - start
            peaks[size] = int(done.stderr.strip().splitlines()[-1]) / 1024  # KiB -> MiB
            path.unlink()
            rows.append(
                (
                    f"smdb validate, {size} MB JSON Lines, 3 cases per borger: "
                    f"peak RSS {peaks[size]:.0f} MiB",
                    seconds,
                    f"{peaks[size] / peaks[8]:.2f}× the 8 MB run's memory",
                )
            )
    return rows


# Imports one workbook in a fresh interpreter: its time inside, then VmHWM (peak RSS; not
# ru_maxrss, which Linux carries over from the forking parent) in MiB on stderr.
_WORKBOOK_IMPORT = """\
import re, sys, time
from pathlib import Path
from codegen.build import workbook_source
from codegen.importers.codelists import build_codelists
from codegen.importers.workbook import read_tables

_, layout, _ = workbook_source("2026-01-01")
start = time.perf_counter()
tables = read_tables(Path(sys.argv[1]), layout, Path(sys.argv[1]).name)
count = sum(len(codes.codes) for codes in build_codelists(tables["codes"], layout))
seconds = time.perf_counter() - start
peak = int(re.search(r"VmHWM:\\s+(\\d+)", open("/proc/self/status").read()).group(1))
print(seconds, peak / 1024, count, file=sys.stderr)
"""


def large_workbook() -> list[tuple[str, float, str]]:
    """The release's workbook imported (tables read, code lists built) beside one with all
    its fields and 10× its codes, each in a fresh interpreter, with its peak memory. The
    layout's code pattern allows two digits, so the nine extra copies of each code list
    keep its codes under a new list name."""
    import csv
    import tempfile

    from codegen.build import workbook_source
    from tools.reconstruct.workbook import build_workbook

    release_workbook, _, _ = workbook_source("2026-01-01")
    source = release_workbook.parent / "reconstruction"

    def imported(path: Path) -> tuple[float, float, int]:
        done = subprocess.run(
            [str(BIN / "python"), "-c", _WORKBOOK_IMPORT, str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        seconds, peak, count = done.stderr.split()
        return float(seconds), float(peak), int(count)

    with tempfile.TemporaryDirectory() as folder:
        release = Path(folder) / "2026-01-01"
        shutil.copytree(source, release / "reconstruction")
        codes = release / "reconstruction" / "kodelister.csv"
        with codes.open(encoding="utf-8", newline="") as handle:
            header, *rows = list(csv.reader(handle))
        with codes.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
            for copy in range(2, 11):
                writer.writerows([f"{row[0]}Kopi{copy}", *row[1:]] for row in rows)
        large = build_workbook(release)
        base_time, base_peak, base_codes = imported(release_workbook)
        large_time, large_peak, large_codes = imported(large)
    return [
        (
            f"workbook import, the release's ({base_codes:,} codes, baseline): "
            f"peak RSS {base_peak:.0f} MiB",
            base_time,
            "1.00×",
        ),
        (
            f"workbook import, all fields and 10× the codes ({large_codes:,}): "
            f"peak RSS {large_peak:.0f} MiB",
            large_time,
            f"{large_time / base_time:.2f}× the time, {large_peak / base_peak:.2f}× the memory",
        ),
    ]


def _smdb_validate(path: Path) -> Callable[[], None]:
    def action() -> None:
        subprocess.run(
            [
                str(BIN / "python"),
                "-m",
                "smdb.cli",
                "validate",
                "--today",
                "2026-11-01",
                "--format",
                "json",
                str(path),
            ],
            cwd=ROOT,
            check=False,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": str(PACKAGE)},
        )

    return action


def cross_case(runs: int) -> list[tuple[str, float, str]]:
    """`smdb validate` on 5,000 cases of one borger and kommune (half of them active, so
    each active case conflicts) beside 5,000 cases of distinct borgere; and one 15 MB case
    beside 15 MB of ordinary cases (streaming is linear in the input, not in chunks²)."""
    import tempfile

    count = int(os.environ.get("BENCH_GROUP_CASES", "5000"))
    distinct = realistic_cases(count)
    one_borger = json.loads(json.dumps(distinct))
    for number, case in enumerate(one_borger):
        case["Anmodning"]["PersonIdentifikator"] = "0101901234"
        case["Anmodning"]["KommuneKode"] = 147
        if number % 2:
            case["Afslutning"] = None  # active
    large = base_case()
    large["Anmodning"]["Bilag"] = "x" * 15_000_000  # an unknown key: reported, never kept
    line = json.dumps(base_case()) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        paths = {}
        for name, content in (
            ("distinct.json", json.dumps(distinct)),
            ("one-borger.json", json.dumps(one_borger)),
            ("large-case.json", json.dumps(large)),
            ("small-cases.jsonl", line * (15_000_000 // len(line))),
        ):
            paths[name] = Path(folder) / name
            paths[name].write_text(content, encoding="utf-8")
        apart, together = best_of_pair(
            runs, _smdb_validate(paths["distinct.json"]), _smdb_validate(paths["one-borger.json"])
        )
        small, one_large = best_of_pair(
            runs,
            _smdb_validate(paths["small-cases.jsonl"]),
            _smdb_validate(paths["large-case.json"]),
        )
    return [
        (f"smdb validate, {count:,} cases of distinct borgere (baseline)", apart, "1.00×"),
        (
            f"smdb validate, {count:,} cases of one borger and kommune",
            together,
            f"{together / apart:.2f}×",
        ),
        ("smdb validate, 15 MB of ordinary cases (JSON Lines, baseline)", small, "1.00×"),
        ("smdb validate, one 15 MB case", one_large, f"{one_large / small:.2f}×"),
    ]


def main() -> int:
    sys.path.insert(0, str(PACKAGE))
    runs = int(os.environ.get("BENCH_RUNS", "5"))
    # BENCH_ONLY=generation,xml runs some sections (the streaming one takes a minute or two).
    only = {name for name in os.environ.get("BENCH_ONLY", "").split(",") if name}
    sections = [
        (title, measure())
        for key, title, measure in [
            ("generation", "Generation", lambda: generation(runs)),
            (
                "imports",
                "Import time (fresh interpreter, timed inside it)",
                lambda: imports(runs),
            ),
            ("xml", "XML", lambda: xml_round_trip(runs)),
            (
                "validation",
                "Validation (best of runs; time per case)",
                lambda: validation(min(runs, 3)),
            ),
            (
                "cross",
                "Cross-case check and large values (smdb validate, whole command)",
                lambda: cross_case(min(runs, 3)),
            ),
            ("streaming", "Streaming memory", streaming_memory),
            ("workbook", "Large workbook import (fresh interpreter)", large_workbook),
            ("soap", "SOAP client (time per construction / envelope)", lambda: soap.client(runs)),
            ("emulator", "Emulator (time per request)", lambda: soap.emulator(runs)),
            (
                "security",
                "Security: one signed request (time per request)",
                lambda: signed_request(runs),
            ),
            (
                "secure",
                "Secure emulator: signed round trip and inserts (time per request)",
                lambda: secure.round_trip(runs, best_of) + secure.inserts(runs),
            ),
            (
                "memory",
                "Secure emulator under 8 concurrent 5 MB requests: peak memory (VmHWM)",
                memory.peak_memory,
            ),
        ]
        if not only or key in only
    ]
    shown_only = f", BENCH_ONLY={','.join(sorted(only))}" if only else ""
    print(f"Command: make bench (BENCH_RUNS={runs}{shown_only}, best of {runs})")
    print(
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}\n"
    )
    for title, rows in sections:
        print(f"### {title}\n")
        print("| what | time | ratio to baseline |\n|---|---:|---:|")
        for label, seconds, ratio in rows:
            if seconds < 0.001:
                shown = f"{seconds * 1e6:.1f} µs"
            else:
                shown = f"{seconds * 1000:.2f} ms" if seconds < 1 else f"{seconds:.2f} s"
            print(f"| {label} | {shown} | {ratio} |")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
