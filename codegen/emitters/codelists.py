"""Placeholder: being written."""

from __future__ import annotations

from codegen.emitters.context import EmitContext


def emit(context: EmitContext) -> dict[str, str]:
    return {}
