"""When each code is known to be in force, as the docs show it: what `smdb.codelists` holds
(codegen/history.py), in words a vendor cannot take for a date DST states:
"≥ 2025-07-01 (in release 2025-07-01)". Where the run of releases listing the code stops
before the oldest release, the words say why: the release before did not list it, or does
not know whether it did ("unknown", never "unchanged")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from codegen.history import History
from codegen.model import Code


@dataclass(frozen=True)
class Dating:
    history: History
    per_release: dict[str, dict | None]  # what each release changed (codegen.diff.changelogs)

    def since(self, codelist: str, code: str) -> str | None:
        """ "≥ 2025-07-01 (in release 2025-07-01)" for a code whose start DST does not state,
        or None where no release dates it (a former option, codegen.datecontrol)."""
        day = self.history.in_force_since.get((codelist, code))
        if day is None:
            return None
        release = self.history.release_of(day)
        before = self._before(release, codelist, code)
        return f"≥ {day.isoformat()} (in release {release}{f'; {before}' if before else ''})"

    def since_day(self, codelist: str, code: str) -> dt.date | None:
        return self.history.in_force_since.get((codelist, code))

    def ended(self, codelist: str) -> tuple[Code, ...]:
        """The codes an earlier release listed and a later one dropped, with their end."""
        return self.history.ended.get(codelist, ())

    def _before(self, release: str, codelist: str, code: str) -> str:
        """Why the release before `release` does not date the code further back ("" where
        `release` is the first)."""
        changelog = self.per_release.get(release)
        if not changelog:
            return ""
        old = changelog["old"]["release"]
        concerned = {("code", f"{codelist}/{code}"), ("code list", codelist)}
        concerned.add(("section", "codelists"))
        for change in changelog["changes"]:
            if (change["kind"], change["id"]) not in concerned:
                continue
            if change["change"] == "added":
                return f"not in {old}"
            if change["change"] == "unknown" and not change["attributes"]:
                return f"unknown in {old}"
        # The run stopped there for a reason the changelog does not name: not known.
        return f"unknown in {old}"
