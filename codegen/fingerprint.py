"""Skip a regeneration that cannot change anything.

The fingerprint covers every input of `smdbgen generate`: the release's sources, the hand-written
files of spec/, the framework's code and templates, the pinned dependencies and the Python
version. When it matches the last run's and every output file is still as that run wrote it,
the run has nothing to do. The record lives in .cache/ (not tracked).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from codegen.importers.release import largest_file, read_manifest, release_files

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache"


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(paths):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
        with path.open("rb") as handle:  # in blocks: memory stays flat for any file size
            while block := handle.read(1 << 20):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


def inputs_fingerprint(release_dir: Path) -> str | None:
    """None when the inputs are not all inside the repository (then never skip)."""
    if not release_dir.resolve().is_relative_to(ROOT):
        return None
    spec_files = [p for p in (ROOT / "spec").glob("*.json") if p.is_file()]
    spec_files += [p for p in (ROOT / "spec" / "rules").rglob("*") if p.is_file()]
    code = [
        p for p in (ROOT / "codegen").rglob("*") if p.is_file() and "__pycache__" not in p.parts
    ]
    # Regular files inside the folder only, within the release's size limits.
    sources = release_files(release_dir, ROOT, largest_file(read_manifest(release_dir, ROOT)))
    return _digest([*spec_files, *code, *sources, ROOT / "requirements.lock"])


def outputs_digest(paths: list[Path]) -> str:
    return _digest([p for p in paths if p.is_file()]) + f":{len(paths)}"


def _record(release: str) -> Path:
    return CACHE / f"generate-{release}.json"


def is_up_to_date(release: str, fingerprint: str | None, outputs: list[Path]) -> bool:
    if fingerprint is None or not _record(release).is_file():
        return False
    try:
        record = json.loads(_record(release).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if record.get("inputs") != fingerprint:
        return False
    recorded = [ROOT / p for p in record.get("outputs", [])]
    return all(p.is_file() for p in recorded) and record.get("digest") == outputs_digest(recorded)


def remember(release: str, fingerprint: str | None, outputs: list[Path]) -> None:
    if fingerprint is None:
        return
    CACHE.mkdir(exist_ok=True)
    record = {
        "inputs": fingerprint,
        "outputs": sorted(str(p.relative_to(ROOT)) for p in outputs),
        "digest": outputs_digest(outputs),
    }
    _record(release).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
