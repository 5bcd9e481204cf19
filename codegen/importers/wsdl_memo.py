"""The WSDL importer, memoised: xmlschema takes ~0.2 s a WSDL.

A module of its own, light to import, so that the process that hands WSDLs to generation's
helper process (codegen.parallel) need not load xmlschema itself (~0.3 s).
"""

from __future__ import annotations

from pathlib import Path

from codegen.cache import memo, source_of
from codegen.model import ServiceVersion


def load_wsdl(path: Path, base: Path) -> ServiceVersion:
    """`codegen.importers.wsdl.load_wsdl`, memoised on the file's bytes and the importer's
    code; paths in errors and in the result are shown from `base`."""
    import xmlschema

    from codegen.importers import wsdl

    if not path.is_file():
        return wsdl.load_wsdl(path, root=base)  # reports the missing file
    parts = (
        str(path.relative_to(base)),
        path.read_bytes(),
        source_of(wsdl),
        f"xmlschema {xmlschema.__version__}",
    )
    return memo("wsdl", parts, lambda: wsdl.load_wsdl(path, root=base))
