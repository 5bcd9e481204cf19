"""`smdb`: the vendor's command line.

    smdb validate [--today YYYY-MM-DD] [--format text|json] [--strict] PATH...   (`-`: stdin)
    smdb send | fetch | emulator ...                                    (see smdb.cli_soap)

Reads JSON case documents (one case, a list of cases, or JSON Lines) and XML forms or cases,
and checks every case against SMDB's business rules (of the release, `smdb._facts.RELEASE`).
Cases given in one run are also checked against each other (at most one active case per
borger per kommune).
Each violation is an error (the kravspec states the rule for the case's date), a warning
(our reading of a gap, or this release's rule on a case under older rules) or a notice;
`--strict` reports warnings as errors. Exit status: 0 no error (warnings and notices alone
pass), 1 some error, 2 an input could not be read (or any other failure: one line
`smdb: error: ...` on stderr, never a traceback; JSON output is still a whole JSON array).
Files are streamed: a large JSON Lines file or JSON array is never loaded whole. Everything
printed shows CPR numbers masked and control characters escaped (`smdb._privacy`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO, cast

from smdb._cli_facts import (
    CASE_SLOTS,
    CROSS_CASE_RULES,
    GROUP_KEY,
    SUMMARY_FORMS,
    WITNESS_FILTERS,
)
from smdb._extras import MissingExtra
from smdb._facts import RELEASE
from smdb._privacy import mask_text, shown

if TYPE_CHECKING:
    from smdb._engine import Violation

    Validate = Callable[..., list[Violation]]  # smdb.validation.validate, strict or not

CHUNK = 1 << 16
MAX_VALUE = 1 << 24  # a case document larger than 16 MB is not a case document
MAX_XML = 1 << 26  # nor an XML file larger than 64 MB
_BLANK = re.compile(r"[ \t\r\n,]*")


class InputError(Exception):
    """An input that cannot be read, with its file and line (shown: CPR masked, controls
    escaped)."""

    def __init__(self, file: str, line: int | None, message: str):
        where = shown(file) + ("" if line is None else f":{line}")
        super().__init__(f"{where}: {shown(message)}")


class _Progress:
    """A one-line progress report on stderr, only when stderr is a terminal. It shows only
    counts this command made (no input text)."""

    def __init__(self, total_bytes: int):
        self.enabled = sys.stderr.isatty() and total_bytes > 5_000_000
        self.total = total_bytes
        self.done_bytes = 0
        self.cases = 0
        self.started = self.shown = time.monotonic()

    def advance(self, nbytes: int = 0, cases: int = 0) -> None:
        self.done_bytes += nbytes
        self.cases += cases
        now = time.monotonic()
        if self.enabled and now - self.shown > 0.5:
            self.shown = now
            rate = self.cases / max(now - self.started, 1e-9)
            share = 100 * self.done_bytes / max(self.total, 1)
            sys.stderr.write(f"\r{share:5.1f}%  {self.cases:,} cases  {rate:,.0f}/s ")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def iter_json(path: Path, progress: _Progress) -> Iterator[object]:
    """Cases of a JSON file: one object, an array of objects, or JSON Lines; streamed.

    The file is read in chunks and decoded one top-level value (or array item) at a time,
    so memory stays flat however large the file is. A value cut by a chunk is decoded again
    only after the buffer has at least doubled, so a large value costs linear time.
    """
    decoder = json.JSONDecoder()
    with path.open("r", encoding="utf-8") as handle:
        buffer, pos, line, eof, in_array = "", 0, 1, False, None

        def read_more(size: int = CHUNK) -> None:
            nonlocal buffer, pos, eof
            chunk = handle.read(size)
            eof = not chunk
            buffer = buffer[pos:] + chunk
            pos = 0
            progress.advance(len(chunk))

        while True:
            # `_BLANK` matches everywhere (the empty string at least).
            skipped = cast("re.Match[str]", _BLANK.match(buffer, pos)).end()
            line += buffer.count("\n", pos, skipped)
            pos = skipped
            rest = len(buffer) - pos
            if not rest or (in_array is None and not eof and rest < 2):
                if eof:
                    if in_array:
                        raise InputError(str(path), line, "invalid JSON: the array is not closed")
                    return
                read_more()
                continue
            if in_array is None:
                in_array = buffer[pos] == "["
                if in_array:
                    pos += 1
                continue
            if in_array and buffer[pos] == "]":
                return
            try:
                value, end = decoder.raw_decode(buffer, pos)
            except json.JSONDecodeError as exc:
                # The value may just be cut by the chunk (inside a string, a number, `true`):
                # read on. An error far from the end is real: memory stays bounded.
                if not eof and len(buffer) - exc.pos < MAX_VALUE:
                    read_more(max(CHUNK, rest))
                    continue
                raise InputError(
                    str(path), line + buffer.count("\n", pos, exc.pos), f"invalid JSON: {exc.msg}"
                ) from None
            except RecursionError:
                raise InputError(str(path), line, "invalid JSON: nested too deeply") from None
            except ValueError as exc:  # an integer of more than 4,300 digits
                raise InputError(str(path), line, f"invalid JSON: {_first_line(exc)}") from None
            if end == len(buffer) and not eof:  # a number may go on in the next chunk
                read_more(max(CHUNK, rest))
                continue
            line += buffer.count("\n", pos, end)
            pos = end
            if isinstance(value, list) and not in_array:
                yield from value
            else:
                yield value


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def iter_xml(path: Path, progress: _Progress) -> Iterator[object]:
    """The case of an XML file; a lone form is checked as a case holding just that form."""
    from smdb import xml

    if path.stat().st_size > MAX_XML:
        raise InputError(str(path), None, f"larger than {MAX_XML >> 20} MB: not a case")
    data = path.read_bytes()
    progress.advance(len(data))
    # The API version shows in the root element's namespace (v1 unless v0's is there).
    head = data[:4096]
    version = next(
        (v for v, ns in xml.NAMESPACES.items() if ns.encode() in head), xml.DEFAULT_VERSION
    )
    try:
        parsed = xml.loads(data, version=version)
    except (ValueError, RecursionError) as exc:
        raise InputError(str(path), None, _first_line(exc)) from None
    slot = CASE_SLOTS.get(type(parsed).__name__.removesuffix("Skema"))
    if slot is None:
        yield parsed
        return
    key, is_list = slot
    form = parsed.model_dump(mode="json")
    yield {key: [form] if is_list else form}


def iter_cases(path: Path, progress: _Progress) -> Iterator[object]:
    if not path.is_file():
        raise InputError(str(path), None, "no such file")
    if path.suffix.lower() == ".xml":
        return iter_xml(path, progress)
    return iter_json(path, progress)


def _summary(case: object) -> dict[str, Any] | None:
    """The part of a case the cross-case rules read."""
    try:
        if hasattr(case, "model_dump"):
            case = case.model_dump(mode="json")
        if not isinstance(case, dict):
            return None
        return {key: case.get(key) for key in SUMMARY_FORMS}
    except Exception:  # a case that cannot even be looked at is reported by validate()
        return None


def _group(summary: dict[str, Any]) -> bytes:
    """A short digest of the fields two cases must share to conflict."""
    values = []
    for form, field in GROUP_KEY:
        part = summary.get(form)
        values.append(part.get(field) if isinstance(part, dict) else None)
    try:
        text = json.dumps(values, sort_keys=True, default=repr)
    except (ValueError, RecursionError):  # a value json cannot write: a group of its own
        text = repr(id(summary))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


# Characters written as \u escapes in JSON output although JSON allows them raw: C1
# controls, line separators, invisible format characters and lone surrogates (which UTF-8
# cannot even write: the output would stop half written).
_JSON_UNSAFE = re.compile(
    "[\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]"
)


def _json(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class _Report:
    def __init__(self, fmt: str, out: TextIO) -> None:
        self.fmt, self.out, self.count, self.cases_with = fmt, out, 0, 0
        self.closed = False
        self.errors = 0  # violations of severity "error": only they fail the run
        if fmt == "json":
            out.write("[")

    def case(self, file: str, index: int, violations: list[Violation]) -> None:
        if not violations:
            return
        self.cases_with += 1
        for violation in violations:
            self.count += 1
            self.errors += violation.severity == "error"
            if self.fmt == "json":
                item = {
                    "file": mask_text(file),
                    "index": index,
                    "rule": violation.rule,
                    "felt_ids": list(violation.felt_ids),
                    "severity": violation.severity,
                    "message_da": mask_text(violation.message_da),
                    "message_en": mask_text(violation.message_en),
                    "path": mask_text(violation.path),
                    "basis": violation.basis,
                    "cites": list(violation.cites),
                }
                self.out.write(("\n  " if self.count == 1 else ",\n  ") + _json(item))
        if self.fmt == "text":
            self.out.write(f"{shown(file)} [case {index}]\n")
            for v in violations:
                felt = ", ".join(shown(f) for f in v.felt_ids)
                rests = "" if v.basis == "stated" else f" ({v.basis}: {', '.join(v.cites)})"
                self.out.write(
                    f"  {v.severity.upper():7} {shown(v.rule)} [{felt}] "
                    f"{shown(v.path)}: {shown(v.message_da)}{rests}\n"
                )

    def close(self, cases: int) -> None:
        if self.closed:
            return
        self.closed = True
        if self.fmt == "json":
            self.out.write("\n]\n" if self.count else "]\n")
        else:
            self.out.write(
                f"{cases} case(s), {self.cases_with} with violations, {self.count} violation(s)\n"
            )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size if path.is_file() else 0
    except OSError:  # a name too long, a loop: reported when the file is read
        return 0


def _cannot_read(path: Path, exc: BaseException) -> str:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else _first_line(exc)
    return f"{shown(str(path))}: cannot read ({shown(reason)})"


def command_validate(args: argparse.Namespace) -> int:
    from smdb.cli_soap import stdin_paths
    from smdb.validation import validate

    paths = stdin_paths(args.paths)  # `-`: standard input
    progress = _Progress(sum(_size(p) for p in paths))
    report = _Report(args.format, sys.stdout)
    unreadable: list[str] = []
    cases = 0
    try:
        checked = functools.partial(validate, strict=args.strict)
        cases, shared = _check_each(paths, args.today, report, progress, checked, unreadable)
        if shared and not unreadable:
            _check_across(paths, shared, args.today, report, checked, unreadable)
    finally:
        progress.close()
        report.close(cases)  # the JSON array is closed whatever happened
    for message in unreadable:
        print(f"smdb: error: {message}", file=sys.stderr)
    if unreadable:
        return 2
    return 1 if report.errors else 0


def _check_each(
    paths: list[Path],
    today: dt.date | None,
    report: _Report,
    progress: _Progress,
    validate: Validate,
    unreadable: list[str],
) -> tuple[int, set[bytes]]:
    """Pass 1 validates each case on its own and only counts the cases per group (a 16-byte
    digest each), so memory stays small however many cases stream by."""
    group_sizes: dict[bytes, int] = {}
    cases = 0
    for path in paths:
        try:
            for index, case in enumerate(iter_cases(path, progress)):
                cases += 1
                report.case(str(path), index, validate(case, today=today))
                if CROSS_CASE_RULES and (summary := _summary(case)) is not None:
                    digest = _group(summary)
                    group_sizes[digest] = group_sizes.get(digest, 0) + 1
                progress.advance(cases=1)
        except InputError as exc:
            unreadable.append(str(exc))
        except (OSError, UnicodeError, ValueError, RecursionError, MemoryError) as exc:
            unreadable.append(_cannot_read(path, exc))
    shared = {digest for digest, size in group_sizes.items() if size > 1}
    return cases, shared


def _check_across(
    paths: list[Path],
    shared: set[bytes],
    today: dt.date | None,
    report: _Report,
    validate: Validate,
    unreadable: list[str],
) -> None:
    """Pass 2: cases given together are each other's other cases (6.1.2). Only the cases of
    groups that hold more than one are read again and kept, and only what the rules read."""
    groups: dict[bytes, list[tuple[str, int, dict[str, Any]]]] = {}
    quiet = _Progress(0)
    for path in paths:
        try:
            for index, case in enumerate(iter_cases(path, quiet)):
                summary = _summary(case)
                if summary is not None and (digest := _group(summary)) in shared:
                    groups.setdefault(digest, []).append((str(path), index, summary))
        except InputError as exc:  # the file changed since pass 1
            unreadable.append(str(exc))
            return
        except (OSError, UnicodeError, ValueError, RecursionError, MemoryError) as exc:
            unreadable.append(_cannot_read(path, exc))
            return
    for group in groups.values():
        summaries = [s for _, _, s in group]
        witnesses = _witnesses(summaries)
        for position, (file, index, summary) in enumerate(group):
            if witnesses is None:  # rules of another shape: every other case of the group
                others = summaries[:position] + summaries[position + 1 :]
            else:
                others = [summaries[w] for w in witnesses if w != position]
            found = validate(summary, today=today, other_cases=others)
            report.case(file, index, [v for v in found if v.rule in CROSS_CASE_RULES])


def _witnesses(summaries: list[dict[str, Any]]) -> list[int] | None:
    """For each filter of WITNESS_FILTERS, the first two cases of the group it keeps: a case
    conflicts with some other case of its group exactly when it conflicts with one of them
    (codegen.emitters.cli.witness_filters), so each case is checked in constant time."""
    if WITNESS_FILTERS is None:
        return None
    from smdb._engine import active_cases, read_case
    from smdb.validation import LAYOUT

    chosen: list[int] = []
    for kept in WITNESS_FILTERS:
        found = 0
        for position, summary in enumerate(summaries):
            if found == 2:
                break
            if kept is None or active_cases([read_case(summary, LAYOUT)], *kept):
                found += 1
                if position not in chosen:
                    chosen.append(position)
    return chosen


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{shown(repr(text))} is not a date (YYYY-MM-DD)"
        ) from None


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (`smdb: error: ...`), like every failure."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"smdb: error: {shown(message)} (see smdb --help)\n")
        sys.exit(2)


def parser() -> argparse.ArgumentParser:
    main_parser = _Parser(prog="smdb", description=f"SMDB tools, release {RELEASE}.")
    commands = main_parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    validate = commands.add_parser("validate", help="check case documents against the rules")
    validate.add_argument(
        "--today",
        type=_date,
        default=None,
        help="the date to judge 'not in the future' by (default: today)",
    )
    validate.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: one line per violation (default); json: the same as JSON",
    )
    validate.add_argument(
        "--strict",
        action="store_true",
        help="report what rests on our reading of the kravspec (warnings) as "
        "errors; exit status 1 then",
    )
    validate.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="case documents (JSON, JSON Lines or XML, API v1 or v0); - reads standard input",
    )
    validate.set_defaults(run=command_validate)
    from .cli_soap import add_commands  # smdb emulator (the SOAP side)

    add_commands(commands)
    from .changes import add_command  # smdb changes: what changed since a release

    add_command(commands)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        status: int = args.run(args)
        return status
    except BrokenPipeError:  # the reader went away: not a verdict on the cases
        _quiet_stdout()
        return 2
    except MissingExtra as exc:  # an optional part not installed: the extra that brings it
        print(f"smdb: error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # never a traceback, never exit 1
        print(
            f"smdb: error: {shown(type(exc).__name__)}: {shown(_first_line(exc))}", file=sys.stderr
        )
        return 2


def _quiet_stdout() -> None:
    """After a broken pipe, nothing more goes to stdout (not even at exit)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
