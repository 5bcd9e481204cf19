"""The WSDL importer, memoised (xmlschema takes ~0.2 s a WSDL).

Light to import: a WSDL found in the memo needs no xmlschema at all (~0.3 s to load).
"""

from __future__ import annotations

from functools import cache
from importlib.metadata import version
from pathlib import Path

from codegen.cache import memo
from codegen.importers.release import read_bounded
from codegen.model import ServiceVersion

IMPORTER = Path(__file__).with_name("wsdl.py")  # codegen.importers.wsdl, by its source


def load_wsdls(paths: list[Path], base: Path, limit: int) -> list[ServiceVersion]:
    """`load_wsdl` of each path, in order."""
    return [load_wsdl(path, base, limit) for path in paths]


def load_wsdl(path: Path, base: Path, limit: int) -> ServiceVersion:
    """`codegen.importers.wsdl.load_wsdl`, memoised on the file's bytes, the importer's code
    and xmlschema's version; paths in errors and in the result are shown from `base`. Files
    are read only up to `limit` bytes."""
    if not path.is_file():
        return _load(path, base, limit)  # reports the missing file
    return memo("wsdl", _key_parts(path, base, limit), lambda: _load(path, base, limit))


def _key_parts(path: Path, base: Path, limit: int) -> tuple[bytes | str, ...]:
    shown = str(path.relative_to(base))
    return (
        shown,
        read_bounded(path, limit, shown, "wsdl_bytes"),
        IMPORTER.read_text(encoding="utf-8"),
        _xmlschema_version(),
    )


def _load(path: Path, base: Path, limit: int) -> ServiceVersion:
    from codegen.importers import wsdl

    return wsdl.load_wsdl(path, root=base, limit=limit)


@cache
def _xmlschema_version() -> str:
    return f"xmlschema {version('xmlschema')}"  # from its metadata: no need to import it
