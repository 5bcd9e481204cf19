"""A request's body read with bounds: a body over a limit is refused before it is buffered
or parsed, so that no request makes the emulator hold more than a bounded multiple of it.

Two limits: bytes, and markup (`<`, which every element, comment and PI starts with). A parsed
node costs libxml2 ~130 bytes while `<a/>` is 4 bytes of body: 5 MiB of empty elements parsed
twice (the envelope, then the signature check) took ~300 MiB, and counting `<` bounds the node
count before anything is parsed.
"""

from __future__ import annotations

from starlette.requests import Request

__all__ = ["TooLarge", "read_body"]


class TooLarge(Exception):
    """A body over a limit (declared, or counted while read); the message says which, in
    Danish, as the emulator's other answers."""


async def read_body(request: Request, limit: int, tags: int) -> bytes:
    """At most `limit` bytes and `tags` `<` of `request`'s body: a Content-Length over the limit
    is refused before anything is read, and a body without one (chunked) is counted while it
    arrives and refused at the first chunk past a limit; the rest is never read."""
    too_large = f"Forespørgslen er større end {limit} bytes."
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise TooLarge(too_large)
    chunks: list[bytes] = []
    size = markup = 0
    async for chunk in request.stream():
        size += len(chunk)
        markup += chunk.count(b"<")
        if size > limit:
            raise TooLarge(too_large)
        if markup > tags:
            raise TooLarge(f"Forespørgslen har mere end {tags} elementer (tegnet <).")
        chunks.append(chunk)
    return b"".join(chunks)
