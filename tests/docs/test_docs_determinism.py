"""The generated pages are the same bytes under two hash seeds, and equal those committed."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

from tests.docs.conftest import ROOT

EMIT = """
import hashlib, json
from codegen.build import build_spec
from codegen.cli import SPEC_DIR
from codegen.docs import envelopes, site
from codegen.docs.navigation import public_modules
from codegen.emitters import emit_all
from codegen.emitters.context import EmitContext
from codegen.history import History
from codegen.spec_json import spec_document

spec = build_spec("2026-01-01", SPEC_DIR / "sources")
# The earlier releases' canonical specs, as generation passes them (their changelogs).
earlier = tuple(
    json.loads(path.read_text(encoding="utf-8"))
    for path in sorted((SPEC_DIR / "canonical").glob("*.json"))
    if path.stem < "2026-01-01"
)
# What the releases know together (the codes' dating), as generation builds it.
history = History.of([build_spec(doc["release"]["id"]) for doc in earlier] + [spec])
context = EmitContext(
    spec=spec, document=spec_document(spec), earlier=earlier, releases=history
)
package = emit_all(context)
examples = envelopes.examples(
    package, envelopes.BASE_CASE, context.document["release"]["effective"]
)
files = site.emit(context, SPEC_DIR / "sources" / "2026-01-01", examples, public_modules(package))
print(json.dumps({path: hashlib.sha256(text.encode()).hexdigest() for path, text in files.items()}))
"""


def emitted(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.run(
        [sys.executable, "-c", EMIT], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout


def test_docs_pages_are_the_same_under_two_hash_seeds_and_as_committed():
    first = emitted("1")
    assert first == emitted("2")
    pages = json.loads(first)
    reference = ROOT / "docs"
    on_disk = {
        path.relative_to(reference).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in (reference / "reference").rglob("*")
        if path.is_file()
    }
    assert pages == on_disk
