"""Where a release's sources are, and its manifest (`release.json`): which file is which."""

from __future__ import annotations

import json
from pathlib import Path

from codegen.errors import SourceError

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "spec" / "sources"
MANIFEST_KEYS = (
    "release",
    "effective",
    "kravspec",
    "workbook",
    "wsdls",
    "actions",
    "date_control",
    "municipalities",
)


def locate(release: str, sources_root: Path | None = None) -> tuple[Path, Path]:
    """The release folder, and the folder that paths in errors and in the spec start from
    (the repository root when the release is inside it)."""
    sources_root = sources_root or SOURCES
    release_dir = (sources_root / release).resolve()
    base = ROOT if release_dir.is_relative_to(ROOT) else sources_root.resolve().parent
    return release_dir, base


def read_manifest(release_dir: Path, base: Path) -> dict:
    path = release_dir / "release.json"
    name = str(path.relative_to(base))
    if not path.is_file():
        raise SourceError("no release manifest here: is the release name right?", file=name)
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise SourceError(exc.msg, file=name, line=exc.lineno) from None
    missing = [key for key in MANIFEST_KEYS if key not in manifest]
    if missing:
        raise SourceError(f"missing key(s) {', '.join(missing)}", file=name)
    return manifest
