"""The shape of the plans `_codec` walks: a child element, and an operation of a service.

A plan is a tuple of children: name, kind (int, str, bool, date, strings, model, record, raw),
ref (the model or record class), item (an array's item element), is_list, and WSDL type.
The plans themselves are facts of the spec, generated into `_facts`.
"""

from __future__ import annotations

from typing import NamedTuple


class Child(NamedTuple):
    name: str
    kind: str
    ref: str
    item: str
    is_list: bool
    type: str


class Operation(NamedTuple):
    service: str
    name: str
    action: str
    group: str
    request: str  # the request wrapper element
    response: str  # the response wrapper element
    params: tuple[Child, ...]
    result: Child | None
    read_only: bool  # a Hent action (or TokenTest): safe to retry
