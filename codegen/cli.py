"""`smdbgen`: the framework's command line.

    smdbgen spec [--release R] [--json] [--check]   the canonical spec only
    smdbgen generate [--release R]                  the spec and everything generated from it
    smdbgen inspect [--release R]                   what the workbook importer understood
    smdbgen release new DATE                        a new release folder from the newest one
    smdbgen diff OLD NEW [--format markdown|json] [--fail-on breaking|unknown]
                                                    what changed between two releases

Without --release, `generate` builds every release's canonical spec and the package from the
newest; `spec` and `inspect` take the newest.

Bad input prints one line, `smdbgen: error: <file, sheet, cell or line>: <problem>`, and exits
2 without writing anything.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from pathlib import Path
from typing import NoReturn

from codegen.errors import SourceError
from codegen.files import write_if_changed
from codegen.fingerprint import inputs_fingerprint, is_up_to_date, remember
from codegen.importers.release import release_name

# The importers and emitters load only when there is work, so an up-to-date
# `smdbgen generate` returns at once.
SPEC_DIR = Path(__file__).resolve().parents[1] / "spec"

GENERATED = SPEC_DIR.parent / "generated"
MANAGED = ("python", "schema")  # folders of generated/ whose every file comes from an emitter
DOCS = SPEC_DIR.parent / "docs"
DOCS_MANAGED = ("reference",)  # docs/reference/ is generated; the rest of docs/ is hand-written


def _build(args: argparse.Namespace):
    """The spec, its JSON document and text, and where the text is written."""
    from codegen.build import build_spec
    from codegen.spec_json import dumps, spec_document, validate

    args.release = args.release or _newest(args.sources)
    spec = build_spec(args.release, args.sources)
    document = spec_document(spec)
    text = dumps(document)
    target = args.output / f"{args.release}.json"
    if not (target.is_file() and target.read_text(encoding="utf-8") == text):
        validate(document)  # unchanged output was validated when it was written
    return spec, document, text, target


def command_spec(args: argparse.Namespace) -> int:
    _, _, text, target = _build(args)
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


def command_inspect(args: argparse.Namespace) -> int:
    from codegen.build import workbook_source
    from codegen.importers.inspect import inspect_workbook

    release = args.release or _newest(args.sources)
    sys.stdout.write(inspect_workbook(*workbook_source(release, args.sources)))
    return 0


def command_diff(args: argparse.Namespace) -> int:
    """Exit 0, or 1 when --fail-on is given and such a change is there."""
    from codegen.diff import changelog, report
    from codegen.diff.load import load

    old, new = (load(side, args.canonical) for side in (args.old, args.new))
    result = changelog(old, new)
    text = report.dumps(result) if args.format == "json" else report.markdown(result)
    sys.stdout.write(text)
    return 1 if report.failing(result, args.fail_on) else 0


def command_generate(args: argparse.Namespace) -> int:
    """Every release's canonical spec (up to --release, default the newest), then the package
    and the docs from that one, with what all of them know together; nothing is written
    unless all succeed."""
    releases = _releases_up_to(args)
    newest = releases[-1]
    target = args.output / f"{newest}.json"
    targets = [args.output / f"{release}.json" for release in releases]
    fingerprint = _fingerprint(args.sources, releases)
    if is_up_to_date(newest, fingerprint, _outputs(targets)):
        print("up to date: no input changed since the last generation")
        return 0
    # Generation builds large, long-lived object graphs (xmlschema components, rule trees,
    # pydantic models): collecting the young generation every 700 allocations, as Python
    # does by default, costs ~5-10% of a cold run for nothing (mypy raises it the same way).
    gc.set_threshold(100_000, 50, 100)
    from codegen.emitters import EmitError, emit_all
    from codegen.emitters.context import EmitContext
    from codegen.history import History

    older = [_build_release(args, release) for release in releases[:-1]]
    args.release = newest
    spec, document, text, target = _build(args)
    if not spec.knowledge.complete:
        print(
            f"smdbgen: error: release {newest} does not know all it holds (its knowledge "
            "file); the package is built only from a release that does (--release)",
            file=sys.stderr,
        )
        return 2
    history = History.of([s for s, _, _ in older] + [spec], _package_patch(args, newest))
    try:
        sources = (args.sources / newest).resolve()
        context = EmitContext(
            spec=spec,
            document=document,
            sources=sources,
            releases=history,
            earlier=tuple(json.loads(older_text) for _, older_text, _ in older),
        )
        files = emit_all(context)
        pages = _docs(context, sources, files)
    except EmitError as exc:
        print(f"smdbgen: error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    from codegen.generate import write_tree

    changed = [
        _shown(path)
        for _, older_text, path in [*older, (spec, text, target)]
        if write_if_changed(path, older_text)
    ]
    changed += [f"generated/{p}" for p in write_tree(GENERATED, files, MANAGED)]
    changed += [f"docs/{p}" for p in write_tree(DOCS, pages, DOCS_MANAGED)]
    remember(newest, fingerprint, _outputs(targets))
    print(f"{len(files) + len(pages) + len(targets)} files generated, {len(changed)} changed")
    for path in changed:
        print(f"  {path}")
    return 0


def _releases_up_to(args: argparse.Namespace) -> list[str]:
    """The releases of the sources folder, oldest first, up to --release (default: all)."""
    from codegen.releases import all_releases

    releases = all_releases(args.sources)
    if args.release is None:
        return releases
    release_name(args.release)
    if args.release not in releases:
        raise SourceError("no such release in the sources", file=f"--release {args.release}")
    return releases[: releases.index(args.release) + 1]


def _newest(sources: Path) -> str:
    from codegen.releases import all_releases

    return all_releases(sources)[-1]


def command_release_new(args: argparse.Namespace) -> int:
    from codegen.releases import new_release

    folder = new_release(args.sources, args.date)
    print(f"created {_shown(folder)}: work through {_shown(folder / 'CHECKLIST.md')}")
    return 0


def _build_release(args: argparse.Namespace, release: str):
    """An older release: its spec, the text of its canonical spec and where it goes."""
    from codegen.build import build_spec
    from codegen.spec_json import dumps, spec_document, validate

    spec = build_spec(release, args.sources)
    document = spec_document(spec)
    text = dumps(document)
    target = args.output / f"{release}.json"
    if not (target.is_file() and target.read_text(encoding="utf-8") == text):
        validate(document)
    return spec, text, target


def _package_patch(args: argparse.Namespace, release: str) -> int:
    from codegen.importers.release import locate, read_manifest

    return read_manifest(*locate(release, args.sources)).get("package_patch", 0)


def _fingerprint(sources: Path, releases: list[str]) -> str | None:
    prints = [inputs_fingerprint(sources / release) for release in releases]
    return None if None in prints else ":".join(prints)


def _docs(context, sources: Path, files: dict[str, str]) -> dict[str, str]:
    """The documentation site's generated pages (docs/reference/); `files`: the generated
    package, whose clients and emulator make the actions' example envelopes."""
    from codegen.docs import envelopes, site
    from codegen.docs.navigation import public_modules
    from codegen.emitters import EmitError

    try:
        examples = envelopes.examples(
            files, envelopes.BASE_CASE, context.document["release"]["effective"]
        )
        return site.emit(context, sources, examples, public_modules(files))
    except ValueError as exc:
        raise EmitError(f"emitter docs: {exc}") from exc


def _outputs(targets: list[Path]) -> list[Path]:
    """Everything generation owns: the canonical specs and every file of the managed folders."""
    from codegen.generate import is_leftover

    managed = [
        path
        for root, folders in ((GENERATED, MANAGED), (DOCS, DOCS_MANAGED))
        for folder in folders
        for path in (root / folder).rglob("*")
        if path.is_file() and not is_leftover(path.relative_to(root).as_posix())
    ]
    return [*targets, *managed]


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(SPEC_DIR.parent))
    except ValueError:
        return str(path)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (`smdbgen: error: ...`), like every failure."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"smdbgen: error: {_one_line(message)} (see smdbgen --help)\n")
        sys.exit(2)


def parser() -> argparse.ArgumentParser:
    main_parser = _Parser(prog="smdbgen", description=__doc__.splitlines()[0])
    commands = main_parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    spec = commands.add_parser("spec", help="build the canonical spec of a release")
    spec.add_argument("--release", help="e.g. 2026-01-01 (default: the newest)")
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
    generate = commands.add_parser("generate", help="build the spec and everything from it")
    generate.add_argument("--release", help="e.g. 2026-01-01 (default: the newest)")
    generate.add_argument(
        "--sources", type=Path, default=SPEC_DIR / "sources", help=argparse.SUPPRESS
    )
    generate.add_argument(
        "--output", type=Path, default=SPEC_DIR / "canonical", help=argparse.SUPPRESS
    )
    generate.set_defaults(run=command_generate)
    inspect = commands.add_parser(
        "inspect", help="show, per sheet, what the workbook importer understood"
    )
    inspect.add_argument("--release", help="e.g. 2026-01-01 (default: the newest)")
    inspect.add_argument(
        "--sources", type=Path, default=SPEC_DIR / "sources", help=argparse.SUPPRESS
    )
    inspect.set_defaults(run=command_inspect)
    diff = commands.add_parser("diff", help="what changed between two releases")
    for side in ("old", "new"):
        diff.add_argument(side, help="a release (YYYY-MM-DD) or a canonical spec file")
    diff.add_argument("--format", choices=("markdown", "json"), default="markdown")
    diff.add_argument(
        "--fail-on",
        choices=("breaking", "unknown"),
        default=None,
        help="exit 1 on any breaking change (unknown: on any breaking or unknown one)",
    )
    diff.add_argument(
        "--canonical", type=Path, default=SPEC_DIR / "canonical", help=argparse.SUPPRESS
    )
    diff.set_defaults(run=command_diff)
    release = commands.add_parser("release", help="manage release folders")
    release_commands = release.add_subparsers(
        dest="release_command", required=True, parser_class=_Parser
    )
    new = release_commands.add_parser(
        "new", help="scaffold spec/sources/<date>/ from the newest release, with a checklist"
    )
    new.add_argument("date", help="the new release's date, YYYY-MM-DD, after the newest")
    new.add_argument("--sources", type=Path, default=SPEC_DIR / "sources", help=argparse.SUPPRESS)
    new.set_defaults(run=command_release_new)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except SourceError as exc:
        print(f"smdbgen: error: {_one_line(str(exc))}", file=sys.stderr)
        return 2
    except (Exception, RecursionError) as exc:  # a failure the importers did not foresee
        if os.environ.get("SMDBGEN_DEBUG"):
            raise
        print(
            f"smdbgen: error: {type(exc).__name__}: {_one_line(str(exc))} "
            "(SMDBGEN_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return 2


def _one_line(text: str) -> str:
    """A message as one line: line breaks and other controls written as escapes."""
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text[:2000]
    )


def run() -> NoReturn:
    """The console script: `main`, then exit without tearing the heap down. Generation
    leaves ~80 MB of objects (xmlschema, pydantic, datamodel-code-generator, rule trees)
    whose orderly release takes ~0.2 s; everything is written and closed by then."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
