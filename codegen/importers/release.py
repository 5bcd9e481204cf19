"""Where a release's sources are, and its manifest (`release.json`): which file is which.

A release is data, never code: its name is a date equal to its folder's name, its manifest's
values have the kinds below, and every file it names is a regular file inside its folder
(no absolute path, no `..`, no symlink leading out, no device or FIFO) of at most the size
that spec/source-limits.json allows. All of it is checked before any source is read.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
from pathlib import Path, PurePosixPath

from codegen.errors import SourceError

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "spec" / "sources"
LIMITS = ROOT / "spec" / "source-limits.json"
# Each key of the manifest and the kind of its value.
MANIFEST_KEYS = {
    "release": "date",
    "effective": "date",
    "kravspec": "text",
    "workbook": "file",
    "wsdls": "files",
    "actions": "file",
    "date_control": "file",
}
OPTIONAL_KEYS = {
    "$comment": "text",
    "kravspec_text": "file",
    "knowledge": "file",  # what the release does not know (codegen/importers/knowledge.py)
    "municipalities": "file",  # absent only where knowledge says they are unknown
    "package_patch": "count",  # the package's patch number: fixes that change no spec fact
    "limits": "limits",
    "service_facts": "file",
}
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")  # ASCII digits only: \d takes any digit


def release_name(name: str) -> str:
    """A release is named by the date it takes effect, `YYYY-MM-DD`: nothing else can name a
    folder or reach generated code."""
    if not _is_date(name):
        raise SourceError("a release is named by its date, YYYY-MM-DD", file=f"--release {name!r}")
    return name


def locate(release: str, sources_root: Path | None = None) -> tuple[Path, Path]:
    """The release folder, and the folder that paths in errors and in the spec start from
    (the repository root when the release is inside it)."""
    release_name(release)
    sources_root = sources_root or SOURCES
    release_dir = (sources_root / release).resolve()
    base = ROOT if release_dir.is_relative_to(ROOT) else sources_root.resolve().parent
    return release_dir, base


def limits() -> dict[str, int]:
    """The default size limits (spec/source-limits.json)."""
    values = json.loads(LIMITS.read_text(encoding="utf-8"))
    return {key: value for key, value in values.items() if not key.startswith("$")}


def read_manifest(release_dir: Path, base: Path) -> dict:
    """The manifest, its values checked for kind and its files for place, type and size."""
    path = release_dir / "release.json"
    name = _shown(path, base)
    if not path.is_file():
        raise SourceError("no release manifest here: is the release name right?", file=name)
    sizes = limits()
    data = read_bounded(path, sizes["manifest_bytes"], name, "manifest_bytes")
    try:
        manifest = json.loads(data.decode("utf-8"))
    except json.JSONDecodeError as exc:
        raise SourceError(exc.msg, file=name, line=exc.lineno) from None
    except (RecursionError, ValueError) as exc:  # not UTF-8, too deep, a 5,000-digit number
        raise SourceError(f"not a manifest: {str(exc).splitlines()[0][:120]}", file=name) from None
    if not isinstance(manifest, dict):
        raise SourceError("not a manifest: a JSON object is expected", file=name)
    missing = [key for key in MANIFEST_KEYS if key not in manifest]
    if missing:
        raise SourceError(f"missing key(s) {', '.join(missing)}", file=name)
    kinds = MANIFEST_KEYS | OPTIONAL_KEYS
    unknown = sorted(key for key in manifest if key not in kinds)
    if unknown:
        raise SourceError(f"unknown key(s) {', '.join(map(repr, unknown))}", file=name)
    for key, value in manifest.items():
        _check_kind(key, kinds[key], value, name)
    if manifest["release"] != release_dir.name:
        raise SourceError(
            f"release {manifest['release']!r} is not its folder's name {release_dir.name!r}",
            file=name,
        )
    sizes |= manifest.get("limits", {})
    for key, kind in kinds.items():
        if kind in ("file", "files") and key in manifest:
            names = manifest[key] if kind == "files" else [manifest[key]]
            limit = "wsdl_bytes" if key == "wsdls" else f"{key}_bytes"
            for file_name in names:
                source_file(release_dir, file_name, sizes.get(limit, sizes["file_bytes"]), name)
    return manifest


def source_file(release_dir: Path, file_name: str, limit: int, manifest_name: str) -> Path:
    """The path of a file the manifest names, once it is known to be a regular file inside
    the release folder of at most `limit` bytes."""
    parts = PurePosixPath(file_name).parts
    if (
        not file_name
        or "\\" in file_name
        or "\0" in file_name
        or PurePosixPath(file_name).is_absolute()
        or ".." in parts
    ):
        raise SourceError(
            f"{file_name!r} is not a file name inside the release folder", file=manifest_name
        )
    path = release_dir / file_name
    try:
        real = path.resolve(strict=True)
        info = real.stat()
    except (OSError, RuntimeError):  # missing, a symlink loop, a name too long
        raise SourceError(
            f"{file_name!r}: no such file in the release", file=manifest_name
        ) from None
    if not real.is_relative_to(release_dir.resolve()):
        raise SourceError(f"{file_name!r} leads out of the release folder", file=manifest_name)
    if not stat.S_ISREG(info.st_mode):
        raise SourceError(f"{file_name!r} is not a regular file", file=manifest_name)
    if info.st_size > limit:
        raise SourceError(
            f"{file_name!r} has {info.st_size:,} bytes, more than the limit of {limit:,}",
            file=manifest_name,
        )
    return path


def largest_file(manifest: dict) -> int:
    """The largest size any file of the release may have (its limits with the defaults)."""
    sizes = limits() | manifest.get("limits", {})
    return max(size for key, size in sizes.items() if key != "manifest_bytes")


def size_limit(manifest: dict, key: str) -> int:
    """One size limit of the release: its own in release.json, else the default."""
    return (limits() | manifest.get("limits", {}))[key]


def read_bounded(path: Path, limit: int, display_name: str, limit_name: str) -> bytes:
    """A regular file's bytes, read only up to `limit` (+1 to see it is longer)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise SourceError(f"cannot read ({exc.strerror})", file=display_name) from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SourceError("not a regular file", file=display_name)
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise SourceError(
            f"larger than the limit of {limit:,} bytes ({limit_name} in spec/source-limits.json)",
            file=display_name,
        )
    return data


def release_files(release_dir: Path, base: Path, ceiling: int | None = None) -> list[Path]:
    """Every file of the release folder, for the spec's source hashes: each a regular file
    inside the folder (a symlink out of it, a device, a FIFO stops the build), of at most
    `ceiling` bytes when given."""
    inside = release_dir.resolve()
    files = []
    for path in sorted(release_dir.rglob("*")):
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):  # a dangling link, a loop
            raise SourceError("a link that leads nowhere", file=_shown(path, base)) from None
        if not real.is_relative_to(inside):
            raise SourceError("leads out of the release folder", file=_shown(path, base))
        if real.is_dir():
            continue
        if not real.is_file():
            raise SourceError("not a regular file", file=_shown(path, base))
        if ceiling is not None and (size := real.stat().st_size) > ceiling:
            raise SourceError(
                f"{size:,} bytes, more than any file of a release may have ({ceiling:,})",
                file=_shown(path, base),
            )
        files.append(path)
    return files


def _check_kind(key: str, kind: str, value: object, name: str) -> None:
    ok = {
        "date": lambda v: isinstance(v, str) and _is_date(v),
        "text": lambda v: isinstance(v, str) and len(v) <= 1000,
        "file": lambda v: isinstance(v, str) and 0 < len(v) <= 255,
        "count": lambda v: type(v) is int and 0 <= v <= 1000,
        "files": lambda v: (
            isinstance(v, list)
            and 0 < len(v) <= 100
            and all(isinstance(i, str) and 0 < len(i) <= 255 for i in v)
        ),
        "limits": lambda v: (
            isinstance(v, dict)
            and all(k in limits() and type(n) is int and 0 < n <= 1 << 40 for k, n in v.items())
        ),
    }[kind]
    if not ok(value):
        wanted = {
            "date": "a date YYYY-MM-DD",
            "text": "a string of at most 1,000 characters",
            "file": "a file name",
            "count": "a whole number from 0 to 1000",
            "files": "a list of file names",
            "limits": "an object of known limits (spec/source-limits.json), each a count",
        }[kind]
        raise SourceError(f"{key!r} must be {wanted}, not {_kind_of(value)}", file=name)


def _is_date(text: object) -> bool:
    if not isinstance(text, str) or not DATE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _kind_of(value: object) -> str:
    return {dict: "an object", list: "a list", str: "this string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, int | float) else "null"
    )


def _shown(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)
