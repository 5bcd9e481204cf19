"""`smdb changes --since RELEASE`: what changed in SMDB since the release your code was
written for, from the changelog shipped in this package (`smdb/changelog.json`).

    smdb changes --since 2025-07-01                      the changes, breaking first
    smdb changes --since 2025-07-01 --fail-on breaking   exit 1 if any would break you (CI)

Each change is breaking (a message valid before may be rejected, or a client built for the
old release may fail), unknown (the old release's state is not known), additive or cosmetic,
with its Felt-IDs, codes, actions and dates. Exit status: 0; 1 with --fail-on when there is
such a change; 2 when the release is not one this package has a changelog from.
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from typing import Any

from smdb import _changelog
from smdb._privacy import shown


def load() -> dict[str, Any]:
    """{"release": this package's release, "since": {earlier release: changelog}}."""
    shipped = resources.files("smdb").joinpath("changelog.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(shipped)
    return data


def add_command(commands: argparse._SubParsersAction[Any]) -> None:
    changes = commands.add_parser(
        "changes", help="what changed since the release your code was written for"
    )
    changes.add_argument(
        "--since",
        required=True,
        metavar="RELEASE",
        help="the release your code was written for, e.g. 2025-07-01",
    )
    changes.add_argument(
        "--format",
        choices=("markdown", "json"),
        default="markdown",
        help="markdown for people (default), json for programs",
    )
    changes.add_argument(
        "--fail-on",
        choices=("breaking", "unknown"),
        default=None,
        help="exit 1 on any breaking change (unknown: on any breaking or unknown one)",
    )
    changes.set_defaults(run=command_changes)


def command_changes(args: argparse.Namespace) -> int:
    data = load()
    if args.since == data["release"]:
        print(f"This package is release {data['release']}: nothing changed since it.")
        return 0
    changelog = data["since"].get(args.since)
    if changelog is None:
        known = ", ".join(data["since"]) or "none"
        print(
            f"smdb: error: no changelog from release {shown(args.since)} in this package "
            f"(release {data['release']}; changelogs from: {known})",
            file=sys.stderr,
        )
        return 2
    if args.format == "json":
        sys.stdout.write(_changelog.dumps(changelog))
    else:
        sys.stdout.write(_changelog.markdown(changelog))
    return 1 if _changelog.failing(changelog, args.fail_on) else 0
