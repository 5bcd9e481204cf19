"""Emitters: each turns the canonical spec into files under `generated/`.

An emitter is a module with `emit(context) -> dict[str, str]`, mapping a path relative to
`generated/` to the file's full text. They run in the order below; all output is kept in
memory until every emitter has succeeded, so a failure leaves `generated/` untouched.
"""

from __future__ import annotations

from codegen.emitters import (
    changes,
    cli,
    codelists,
    emulator,
    jsonschema,
    models,
    package,
    runtime,
    soap,
    spec_meta,
    validation,
    xml,
)
from codegen.emitters.context import EmitContext

EMITTERS = (
    package,
    runtime,
    codelists,
    jsonschema,
    models,
    validation,
    spec_meta,
    xml,
    soap,
    emulator,
    cli,
    changes,
)


class EmitError(Exception):
    """A spec an emitter cannot render (e.g. the WSDL and the forms disagree); names the emitter."""


def emit_all(context: EmitContext) -> dict[str, str]:
    files: dict[str, str] = {}
    for emitter in EMITTERS:
        name = _name(emitter)
        try:
            emitted = emitter.emit(context)
        except ValueError as exc:  # the emitters' way of refusing a spec
            raise EmitError(f"emitter {name}: {exc}") from exc
        for path, text in emitted.items():
            if path in files:
                raise EmitError(f"emitter {name} and an earlier emitter both write {path}")
            files[path] = text
    return dict(sorted(files.items()))


def _name(emitter) -> str:
    return emitter.__name__.rsplit(".", 1)[-1]
