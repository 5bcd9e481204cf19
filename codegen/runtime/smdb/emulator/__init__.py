"""A local SMDB for vendors' laptops and CI: `smdb emulator`, or in Python

    from smdb.emulator import Emulator
    app = Emulator(":memory:", kommune=101).app       # an ASGI app; serve it with uvicorn

It serves the HentData, IndsaetData and TokenTest services at DST's paths (v1 and v0), with
the release's WSDLs at `?wsdl`/`?singlewsdl`, and stores cases in SQLite.
"""

from __future__ import annotations

from smdb._extras import require

require("emulator", __name__)  # one line naming smdb[emulator] when a part is missing

from .app import Emulator, load_seed, run

__all__ = ["Emulator", "load_seed", "run"]
