"""The changelogs of the releases up to the one being generated: for the vendor package
(what changed since each earlier release) and the docs (what each release changed against
the one before it)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from codegen.diff import changelog


@dataclass(frozen=True)
class Changelogs:
    """`per_release`: per release up to the current one, what it changed against the one
    before it (None for the first release known); `since`: per earlier release, what changed
    from it to the current one. Each pair is diffed once."""

    per_release: dict[str, dict | None]
    since: dict[str, dict]


def changelogs(earlier: tuple[dict, ...], current: dict) -> Changelogs:
    documents = (*earlier, current)
    per_release: dict[str, dict | None] = {documents[0]["release"]["id"]: None}
    for before, after in itertools.pairwise(documents):
        per_release[after["release"]["id"]] = changelog(before, after)
    since = {doc["release"]["id"]: changelog(doc, current) for doc in earlier[:-1]}
    if earlier:
        since[earlier[-1]["release"]["id"]] = per_release[current["release"]["id"]]
    return Changelogs(per_release=per_release, since=dict(sorted(since.items())))
