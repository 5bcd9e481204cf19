"""Emitters: each turns the canonical spec into files under `generated/`.

An emitter is a module with `emit(context) -> dict[str, str]`, mapping a path relative to
`generated/` to the file's full text. They run in the order below (those in APART in
generation's helper process, beside the others); all output is kept in memory until every
emitter has succeeded, so a failure leaves `generated/` untouched.
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
    privacy,
    security,
    soap,
    spec_meta,
    validation,
    xml,
)
from codegen.emitters.context import EmitContext
from codegen.parallel import submit

EMITTERS = (
    package,
    privacy,
    codelists,
    jsonschema,
    models,
    validation,
    spec_meta,
    xml,
    soap,
    emulator,
    security,
    cli,
    changes,
)
# Compiling the rules (~0.4 s cold) needs no other emitter's output: it runs beside them.
APART = (validation,)


def libraries(*, apart: bool) -> tuple[str, ...]:
    """What the emitters of the helper process (apart) or of this one import on first use
    (their PRELOAD), for the CLI to load ahead. The helper, forked before the emitters were
    imported, also loads their modules."""
    return tuple(
        module
        for emitter in EMITTERS
        if (emitter in APART) == apart
        for module in ((emitter.__name__,) if apart else ()) + getattr(emitter, "PRELOAD", ())
    )


class EmitError(Exception):
    """A spec an emitter cannot render (e.g. the WSDL and the forms disagree); names the emitter."""


def emit_all(context: EmitContext) -> dict[str, str]:
    # The APART emitters start first, the others run meanwhile; outputs are then taken in
    # EMITTERS order, so the first error reported is the same however they ran.
    apart = {emitter: submit(emitter.emit, context) for emitter in EMITTERS if emitter in APART}
    here = {emitter: _here(emitter, context) for emitter in EMITTERS if emitter not in apart}
    files: dict[str, str] = {}
    for emitter in EMITTERS:
        name = _name(emitter)
        try:
            emitted = apart[emitter].result() if emitter in apart else here[emitter]
            if isinstance(emitted, Exception):
                raise emitted
        except ValueError as exc:  # the emitters' way of refusing a spec
            raise EmitError(f"emitter {name}: {exc}") from exc
        for path, text in emitted.items():
            if path in files:
                raise EmitError(f"emitter {name} and an earlier emitter both write {path}")
            files[path] = text
    return dict(sorted(files.items()))


def _here(emitter, context: EmitContext) -> dict[str, str] | ValueError:
    try:
        return emitter.emit(context)
    except ValueError as exc:  # kept until the emitters before this one have been heard
        return exc


def _name(emitter) -> str:
    return emitter.__name__.rsplit(".", 1)[-1]
