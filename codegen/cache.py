"""A local, content-addressed memo for the slow steps of generation: reading a WSDL with
xmlschema, loading and compiling the rules, running datamodel-code-generator.

A result is stored under the hash of everything it depends on (the input bytes, the code
that computes it, the Python version), in .cache/ (not tracked), so a stale entry can never
be found; deleting .cache/ is always safe. "The code" is all of codegen/ (code and
templates): a result holds objects of codegen.model and text shaped by helpers far from the
step itself, so any change of the framework recomputes everything. Set SMDBGEN_NO_CACHE=1
to bypass it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "memo"
T = TypeVar("T")


@functools.cache
def _framework() -> bytes:
    """A digest of every file of codegen/ (read once per process: code changed under a running
    process does not run in it anyway)."""
    digest = hashlib.sha256()
    package = ROOT / "codegen"
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.digest()


def _key(parts: tuple[bytes | str, ...]) -> str:
    digest = hashlib.sha256(sys.version.encode())
    digest.update(_framework())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def source_of(*modules: object) -> str:
    """The source text of modules, as a key part: changing the code invalidates its results."""
    return "".join(Path(m.__file__).read_text(encoding="utf-8") for m in modules)


def _path(name: str, parts: tuple[bytes | str, ...]) -> Path:
    return CACHE / f"{name}-{_key(parts)}.pickle"


def memo(name: str, parts: tuple[bytes | str, ...], compute: Callable[[], T]) -> T:
    if os.environ.get("SMDBGEN_NO_CACHE"):
        return compute()
    path = _path(name, parts)
    if path.is_file():
        try:
            return pickle.loads(path.read_bytes())
        except Exception:  # a damaged entry is recomputed, never trusted
            path.unlink(missing_ok=True)
    result = compute()
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(pickle.dumps(result))
    os.replace(tmp, path)
    return result
