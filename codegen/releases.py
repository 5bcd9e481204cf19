"""The releases of a sources folder, and `smdbgen release new`: a new release folder made from
the newest one, with the checklist of what its maintainer must replace and review."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from codegen.errors import SourceError
from codegen.importers.release import _is_date, release_name

CHECKLIST = "CHECKLIST.md"


def all_releases(sources: Path) -> list[str]:
    """Every release folder (named by its date, holding a release.json), oldest first."""
    releases = sorted(
        path.name
        for path in sources.iterdir()
        if path.is_dir() and _is_date(path.name) and (path / "release.json").is_file()
    )
    if not releases:
        raise SourceError("no release folder (YYYY-MM-DD/ with a release.json)", file=str(sources))
    return releases


def new_release(sources: Path, date: str) -> Path:
    """spec/sources/<date>/, a copy of the newest release with its manifest renamed and a
    CHECKLIST.md; a date not after the newest release is refused."""
    release_name(date)
    newest = all_releases(sources)[-1]
    if date <= newest:
        raise SourceError(
            f"a new release must come after the newest one, {newest}", file=f"release new {date}"
        )
    folder = sources / date
    if folder.exists():
        raise SourceError("already exists", file=str(folder))
    shutil.copytree(sources / newest, folder, symlinks=False)
    (folder / CHECKLIST).unlink(missing_ok=True)  # the previous release's, if never removed
    manifest_path = folder / "release.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["release"] = manifest["effective"] = date
    manifest.pop("package_patch", None)  # a new release starts at patch 0
    manifest_path.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    (folder / CHECKLIST).write_text(checklist(date, newest, manifest), encoding="utf-8")
    return folder


def checklist(date: str, previous: str, manifest: dict) -> str:
    files = [
        ("kravspec_text", "the new kravspec's text (from DST's PDF); update `kravspec` too"),
        ("workbook", "DST's new *Skemaoversigt og Kodelister* workbook"),
        ("wsdls", "DST's WSDLs (`?singlewsdl` of each service, v1 and v0)"),
        ("actions", "the SOAP action list of the new kravspec §1.2, with its groups"),
        ("date_control", "the date-control points (§1.1, §6.2, §6.3): add the new ones"),
        ("municipalities", "the municipality codes, if DST changed them"),
        ("service_facts", "endpoints, reporting unit, start-date lock, deletion, server checks"),
        ("knowledge", "what the release does not know; delete it when it knows everything"),
    ]
    lines = [
        f"# Checklist for release {date}",
        "",
        f"This folder is a copy of release {previous}. Until each box is ticked it describes",
        f"{previous}, not {date}: work through the list, then delete this file (it is hashed",
        "into the canonical spec like every file of the folder).",
        "",
        "## Replace",
        "",
        f"- [ ] `release.json`: `effective` (now {date}) if the release takes effect on another",
        "      day; `kravspec` (the new document's title); file names if DST's differ.",
    ]
    for key, what in files:
        if key in manifest:
            names = manifest[key] if isinstance(manifest[key], list) else [manifest[key]]
            shown = ", ".join(f"`{name}`" for name in names)
            lines.append(f"- [ ] {shown}: {what}.")
    lines += [
        "- [ ] `reconstruction/` (only for a reconstructed release): the transcription, then",
        f"      `make reconstruct RELEASE={date}`; delete the folder for DST's real files.",
        "- [ ] `seed/`: the emulator's sample data, if the new release changes tilbud or lande.",
        "",
        "## Review",
        "",
        "- [ ] `PROVENANCE.md`: every decision (D…, E…, S…) still holds against the new",
        "      kravspec; cite its line numbers; record new gaps and contradictions.",
        "- [ ] `spec/rules/`: each rule's `cites` and `applies` against the new §6; rules the",
        "      new release changes get an `applies` period (the rules are shared by releases).",
        "- [ ] `spec/workbook-layout.json`: `smdbgen inspect` shows the workbook read as meant.",
        "- [ ] `make generate`, then review the diff of `spec/canonical/` and `generated/`",
        f"      against {previous} (`smdbgen diff {previous} {date}` lists every change).",
        "- [ ] The package version follows the release; `package_patch` in `release.json`",
        "      counts fixes that change no spec fact (README, 'Versions').",
        "",
    ]
    return "\n".join(lines)
