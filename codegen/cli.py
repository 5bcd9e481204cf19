"""`smdbgen`: the framework's command line.

    smdbgen spec [--release R] [--json] [--check]

Bad input prints one line, `smdbgen: error: <file, sheet, cell or line>: <problem>`, and exits
2 without writing anything.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from codegen.build import SPEC_DIR, build_spec
from codegen.errors import SourceError
from codegen.spec_json import dumps, spec_document, validate

DEFAULT_RELEASE = "2026-01-01"


def write_if_changed(path: Path, text: str) -> bool:
    """Atomically replace `path` when its content differs; untouched files keep their mtime."""
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; generated files are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def command_spec(args: argparse.Namespace) -> int:
    document = spec_document(build_spec(args.release, args.sources))
    validate(document)
    text = dumps(document)
    target = args.output / f"{args.release}.json"
    if args.json:
        sys.stdout.write(text)
        return 0
    if args.check:
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != text:
            print(f"{target} is stale: run 'make generate'", file=sys.stderr)
            return 1
        return 0
    changed = write_if_changed(target, text)
    print(f"{'wrote' if changed else 'unchanged'} {_shown(target)}")
    return 0


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(SPEC_DIR.parent))
    except ValueError:
        return str(path)


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(prog="smdbgen", description=__doc__.splitlines()[0])
    commands = main_parser.add_subparsers(dest="command", required=True)
    spec = commands.add_parser("spec", help="build the canonical spec of a release")
    spec.add_argument("--release", default=DEFAULT_RELEASE, help="e.g. 2026-01-01")
    spec.add_argument(
        "--sources",
        type=Path,
        default=SPEC_DIR / "sources",
        help="folder holding <release>/ (default: spec/sources)",
    )
    spec.add_argument(
        "--output",
        type=Path,
        default=SPEC_DIR / "canonical",
        help="folder for <release>.json (default: spec/canonical)",
    )
    mode = spec.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="print it instead of writing it")
    mode.add_argument("--check", action="store_true", help="exit 1 if the written one is stale")
    spec.set_defaults(run=command_spec)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except SourceError as exc:
        print(f"smdbgen: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
