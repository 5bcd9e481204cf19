"""What all releases together know, for the package built from the newest one.

Each release's canonical spec states only its own facts; a code list of the newest release
says nothing about when a code started ("not stated"). Across releases more is known:

- a code listed by the newest release and by the releases before it, back to release R
  without a gap, is known to be in force at least from R's effective date
  (`in_force_since`); a release that does not know whether it listed the code (`existence`
  unknown, codegen.importers.knowledge) ends the run, since unknown is never "unchanged";
- a code an older release listed and a later one, which knows the list, does not is known to
  have ended on that later release's effective date (`ended`): the package keeps it as a
  member in force until then, its start "not stated" (or `in_force_since` its first release).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from codegen.importers.knowledge import EXISTENCE
from codegen.model import NOT_STATED, Code, Spec, Validity


@dataclasses.dataclass(frozen=True)
class History:
    releases: tuple[str, ...]  # the releases the package was built from, oldest first
    # (code list, code) -> the first day it is known to be in force, for the newest's codes
    # and the ended ones
    in_force_since: dict[tuple[str, str], dt.date]
    # code list -> codes of older releases that a later one dropped, with their end date
    ended: dict[str, tuple[Code, ...]]
    package_patch: int = 0  # release.json "package_patch": a fix that changes no spec fact
    effective: tuple[dt.date, ...] = ()  # each release's effective date, as `releases`

    def release_of(self, day: dt.date) -> str:
        """The release whose effective date `day` is (an `in_force_since`)."""
        return dict(zip(self.effective, self.releases, strict=True))[day]

    @classmethod
    def of(cls, specs: list[Spec], package_patch: int = 0) -> History:
        """From the specs of every release up to the newest, oldest first."""
        specs = sorted(specs, key=lambda spec: spec.release.effective)
        listed = [_codes(spec) for spec in specs]
        newest = listed[-1]
        since = {key: _first_known(specs, listed, key, len(specs) - 1) for key in newest}
        ended: dict[str, list[Code]] = {}
        for index, codes in enumerate(listed[:-1]):
            later = specs[index + 1]
            lists = {codelist.name for codelist in later.codelists}
            for (name, value), code in sorted(codes.items()):
                gone = (name, value) not in listed[index + 1] and name in lists
                if gone and EXISTENCE not in code.unknown and (name, value) not in newest:
                    end = later.release.effective
                    since[name, value] = _first_known(specs, listed, (name, value), index)
                    ended.setdefault(name, []).append(
                        dataclasses.replace(
                            _known_only(code),
                            validity=Validity(valid_from=NOT_STATED, valid_to=end),
                        )
                    )
        return cls(
            releases=tuple(spec.release.id for spec in specs),
            in_force_since=since,
            ended={name: tuple(codes) for name, codes in ended.items()},
            package_patch=package_patch,
            effective=tuple(spec.release.effective for spec in specs),
        )

    @classmethod
    def single(cls, spec: Spec) -> History:
        return cls.of([spec])


def _first_known(specs: list[Spec], listed: list[dict], key: tuple[str, str], last: int):
    """The effective date of the earliest release from which on, up to release `last` (which
    lists the code), every release lists it; one that does not know whether it did ends
    the run."""
    first = specs[last].release.effective
    for index in range(last - 1, -1, -1):
        code = listed[index].get(key)
        if code is None or EXISTENCE in code.unknown:
            break
        first = specs[index].release.effective
    return first


def _known_only(code: Code) -> Code:
    """The code with what its release does not know about it emptied, never carried over."""
    blank = {"text_da": None, "option_number": None, "min_age": None, "max_age": None}
    blank |= {"note_da": ""}
    return dataclasses.replace(
        code, **{name: value for name, value in blank.items() if name in code.unknown}
    )


def _codes(spec: Spec) -> dict[tuple[str, str], Code]:
    return {(cl.name, code.code): code for cl in spec.codelists for code in cl.codes}
