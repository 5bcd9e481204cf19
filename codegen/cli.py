"""`smdbgen`: the framework's command line.

    smdbgen spec [--release R] [--json] [--check]   the canonical spec only
    smdbgen generate [--release R]                  the spec and everything generated from it
    smdbgen inspect [--release R]                   what the workbook importer understood

Bad input prints one line, `smdbgen: error: <file, sheet, cell or line>: <problem>`, and exits
2 without writing anything.
"""

from __future__ import annotations

import argparse
import gc
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

DEFAULT_RELEASE = "2026-01-01"
GENERATED = SPEC_DIR.parent / "generated"
MANAGED = ("python", "schema")  # folders of generated/ whose every file comes from an emitter
DOCS = SPEC_DIR.parent / "docs"
DOCS_MANAGED = ("reference",)  # docs/reference/ is generated; the rest of docs/ is hand-written


def _build(args: argparse.Namespace):
    """The spec, its JSON document and text, and where the text is written."""
    from codegen.build import build_spec
    from codegen.spec_json import dumps, spec_document, validate

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

    sys.stdout.write(inspect_workbook(*workbook_source(args.release, args.sources)))
    return 0


def command_generate(args: argparse.Namespace) -> int:
    """The canonical spec, then every emitter; nothing is written unless all succeed."""
    release_name(args.release)  # before it names any path
    target = args.output / f"{args.release}.json"
    fingerprint = inputs_fingerprint(args.sources / args.release)
    if is_up_to_date(args.release, fingerprint, _outputs(target)):
        print("up to date: no input changed since the last generation")
        return 0
    # Generation builds large, long-lived object graphs (xmlschema components, rule trees,
    # pydantic models): collecting the young generation every 700 allocations, as Python
    # does by default, costs ~5-10% of a cold run for nothing (mypy raises it the same way).
    gc.set_threshold(100_000, 50, 100)
    from codegen import parallel

    # Cold, this is ~3 s of work on one core. The helper process reads the WSDLs that are
    # not in the memo (loading xmlschema) and then loads its emitters; meanwhile this process
    # loads the importers and reads the workbook, and if it then has to wait for the WSDLs,
    # it loads the libraries of its own emitters (datamodel-code-generator, ~0.6 s) rather
    # than idle. See codegen.parallel.
    with parallel.helper():
        from codegen.importers.wsdl_memo import prefetch_wsdls

        prefetch_wsdls(args.release, args.sources)
        from codegen.emitters import EmitError, emit_all, libraries
        from codegen.emitters.context import EmitContext

        parallel.preload(*libraries(apart=True))
        parallel.import_while_waiting(*libraries(apart=False))
        spec, document, text, target = _build(args)
        try:
            sources = (args.sources / args.release).resolve()
            context = EmitContext(spec=spec, document=document, sources=sources)
            files = emit_all(context)
            pages = _docs(context, sources, files)
        except EmitError as exc:
            print(f"smdbgen: error: {_one_line(str(exc))}", file=sys.stderr)
            return 2
    from codegen.generate import write_tree

    changed = [_shown(target)] if write_if_changed(target, text) else []
    changed += [f"generated/{p}" for p in write_tree(GENERATED, files, MANAGED)]
    changed += [f"docs/{p}" for p in write_tree(DOCS, pages, DOCS_MANAGED)]
    remember(args.release, fingerprint, _outputs(target))
    print(f"{len(files) + len(pages) + 1} files generated, {len(changed)} changed")
    for path in changed:
        print(f"  {path}")
    return 0


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


def _outputs(target: Path) -> list[Path]:
    """Everything generation owns: the canonical spec and every file of the managed folders."""
    from codegen.generate import is_leftover

    managed = [
        path
        for root, folders in ((GENERATED, MANAGED), (DOCS, DOCS_MANAGED))
        for folder in folders
        for path in (root / folder).rglob("*")
        if path.is_file() and not is_leftover(path.relative_to(root).as_posix())
    ]
    return [target, *managed]


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
    generate = commands.add_parser("generate", help="build the spec and everything from it")
    generate.add_argument("--release", default=DEFAULT_RELEASE, help="e.g. 2026-01-01")
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
    inspect.add_argument("--release", default=DEFAULT_RELEASE, help="e.g. 2026-01-01")
    inspect.add_argument(
        "--sources", type=Path, default=SPEC_DIR / "sources", help=argparse.SUPPRESS
    )
    inspect.set_defaults(run=command_inspect)
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
