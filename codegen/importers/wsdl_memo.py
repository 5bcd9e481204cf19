"""The WSDL importer, memoised (xmlschema takes ~0.2 s a WSDL) and read ahead.

Light to import: a WSDL found in the memo needs no xmlschema at all (~0.3 s to load). In
`smdbgen generate`, `prefetch_wsdls` hands the WSDLs the memo does not hold to generation's
helper process (codegen.parallel) at once, and `load_wsdls` later takes them from there.
"""

from __future__ import annotations

from concurrent.futures import Future
from functools import cache
from importlib.metadata import version
from pathlib import Path

from codegen import parallel
from codegen.cache import cached, memo
from codegen.errors import SourceError
from codegen.importers.release import locate, read_bounded, read_manifest, size_limit
from codegen.model import ServiceVersion

IMPORTER = Path(__file__).with_name("wsdl.py")  # codegen.importers.wsdl, by its source

# WSDLs being read in the helper process, by path.
_prefetched: dict[Path, Future[ServiceVersion]] = {}


def prefetch_wsdls(release: str, sources_root: Path | None = None) -> None:
    """Start reading the release's WSDLs that are not in the memo, in the helper process.
    Without a helper, or with a broken manifest (reported by build_spec), nothing."""
    _prefetched.clear()  # nothing left from an earlier run in this process
    if not parallel.active():
        return
    release_dir, base = locate(release, sources_root)
    try:
        manifest = read_manifest(release_dir, base)
        names, limit = manifest["wsdls"], size_limit(manifest, "wsdl_bytes")
    except SourceError:
        return
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        return
    for path in (release_dir / name for name in names):
        try:
            read_ahead = path.is_file() and not cached("wsdl", _key_parts(path, base, limit))
        except SourceError:  # reported by build_spec
            continue
        if read_ahead:
            _prefetched[path] = parallel.submit(load_wsdl, path, base, limit)


def load_wsdls(paths: list[Path], base: Path, limit: int) -> list[ServiceVersion]:
    """`load_wsdl` of each path, taking those being read ahead from the helper; the first
    error in the order of `paths` is raised."""
    loaded = []
    for path in paths:
        future = _prefetched.pop(path, None)
        if future is None or future.cancelled():  # not read ahead, or its helper is gone
            loaded.append(load_wsdl(path, base, limit))
        else:
            loaded.append(parallel.result(future))
    return loaded


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
