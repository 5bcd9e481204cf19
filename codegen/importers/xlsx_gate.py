"""Check an .xlsx file against the layout's limits before any spreadsheet library reads it.

A hostile 20 KB file can otherwise take the machine down: openpyxl inflates every zip part,
expands DTD entities, and builds one object per cell of every merged range. Here each part is
streamed once through expat with bounded memory, and refused (with its sheet and cell where
there is one) when it declares a DTD, is not well-formed, is larger than allowed, holds more
cells than allowed, a cell longer than Excel allows, a merged range larger than allowed, or a
formula without a cached value (which a reader would take for an empty cell).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from codegen.errors import SourceError

_CHUNK = 1 << 16
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")


class _Refused(Exception):
    """Raised inside an expat handler; carries the message and the cell, if any."""

    def __init__(self, message: str, cell: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.cell = cell


@dataclass
class GateReport:
    """What the check saw: cells with a value per sheet (never the declared bounding box)."""

    cells: dict[str, int] = field(default_factory=dict)
    merged_cells: dict[str, int] = field(default_factory=dict)


def check_xlsx(path: Path, limits: dict, display_name: str) -> GateReport:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SourceError(f"cannot open as an .xlsx workbook ({exc})", file=display_name) from None
    with archive:
        members = {info.filename: info for info in archive.infolist()}
        _check_sizes(members, limits, display_name)
        gate = _Gate(archive, members, limits, display_name)
        for name in sorted(members):
            # VML drawings (comments) are legacy markup, often not well-formed, and never read.
            if name.endswith((".xml", ".rels")) and not gate.is_sheet(name):
                gate.scan(name, _PartScanner())
        shared = _SharedStrings(limits)
        if "xl/sharedStrings.xml" in members:
            gate.scan("xl/sharedStrings.xml", shared)
        report = GateReport()
        scanner = None
        for sheet_name, part in gate.sheets():
            scanner = _SheetScanner(sheet_name, shared.too_long, limits, scanner)
            gate.scan(part, scanner, sheet=sheet_name)
            report.cells[sheet_name] = scanner.cells
            report.merged_cells[sheet_name] = scanner.merged
        return report


def _check_sizes(members: dict, limits: dict, display_name: str) -> None:
    total = 0
    for name, info in members.items():
        if info.file_size > limits["max_part_bytes"]:
            raise SourceError(
                f"part {name!r} inflates to {info.file_size:,} bytes, more than "
                f"limits.max_part_bytes ({limits['max_part_bytes']:,}); not read",
                file=display_name,
            )
        total += info.file_size
    if total > limits["max_workbook_bytes"]:
        raise SourceError(
            f"the workbook inflates to {total:,} bytes, more than "
            f"limits.max_workbook_bytes ({limits['max_workbook_bytes']:,}); not read",
            file=display_name,
        )


class _Gate:
    def __init__(self, archive, members, limits, display_name) -> None:
        self.archive = archive
        self.members = members
        self.limits = limits
        self.display_name = display_name
        self._sheets: list[tuple[str, str]] | None = None

    def scan(self, name: str, scanner, sheet: str = "") -> None:
        """Stream one part through expat: no DTD, well-formed, handlers may refuse."""
        parser = expat.ParserCreate(namespace_separator="}")
        parser.StartDoctypeDeclHandler = _no_dtd
        parser.EntityDeclHandler = _no_dtd
        parser.ExternalEntityRefHandler = _no_dtd
        scanner.attach(parser)
        where = {"file": self.display_name, "sheet": sheet}
        try:
            with self.archive.open(self.members[name]) as handle:
                while chunk := handle.read(_CHUNK):
                    parser.Parse(chunk, False)
                parser.Parse(b"", True)
        except _Refused as exc:
            raise SourceError(f"{exc.message} (part {name})", cell=exc.cell, **where) from None
        except expat.ExpatError as exc:
            raise SourceError(
                f"part {name} is not well-formed XML ({expat.ErrorString(exc.code)}, "
                f"line {exc.lineno})",
                **where,
            ) from None
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise SourceError(f"part {name} cannot be read ({exc})", **where) from None

    def is_sheet(self, name: str) -> bool:
        return any(part == name for _, part in self.sheets())

    def sheets(self) -> list[tuple[str, str]]:
        """(sheet name, zip part) in workbook order, from xl/workbook.xml and its rels."""
        if self._sheets is None:
            self._sheets = []  # while the two small parts below are scanned
            book, rels = _WorkbookScanner(), _RelsScanner()
            for part, scanner in (("xl/workbook.xml", book), ("xl/_rels/workbook.xml.rels", rels)):
                if part not in self.members:
                    raise SourceError(f"no {part}: not an .xlsx workbook", file=self.display_name)
                self.scan(part, scanner)
            found = []
            for sheet_name, rel_id in book.sheets:
                target = rels.targets.get(rel_id, "")
                part = target.lstrip("/") if target.startswith("/") else "xl/" + target
                part = posixpath.normpath(part)
                if part in self.members:
                    found.append((sheet_name, part))
            self._sheets = found
        return self._sheets


def _no_dtd(*_args) -> None:
    raise _Refused("a DTD or entity declaration is not allowed in a workbook")


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


class _PartScanner:
    """Any other part: only well-formedness and the DTD ban apply."""

    def attach(self, parser) -> None:
        pass


class _WorkbookScanner:
    def __init__(self) -> None:
        self.sheets: list[tuple[str, str]] = []

    def attach(self, parser) -> None:
        parser.StartElementHandler = self.start

    def start(self, name, attrs) -> None:
        if _local(name) == "sheet":
            rel = next((v for k, v in attrs.items() if _local(k) == "id"), "")
            self.sheets.append((attrs.get("name", ""), rel))


class _RelsScanner:
    def __init__(self) -> None:
        self.targets: dict[str, str] = {}

    def attach(self, parser) -> None:
        parser.StartElementHandler = self.start

    def start(self, name, attrs) -> None:
        if _local(name) == "Relationship":
            self.targets[attrs.get("Id", "")] = attrs.get("Target", "")


class _SharedStrings:
    """Indexes of shared strings longer than a cell may be (counted, never accumulated)."""

    def __init__(self, limits: dict) -> None:
        self.max_length = limits["max_cell_length"]
        self.max_count = limits["max_cells"]
        self.too_long: set[int] = set()
        self._index = -1
        self._length = 0

    def attach(self, parser) -> None:
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text

    def start(self, name, _attrs) -> None:
        if _local(name) == "si":
            self._index += 1
            self._length = 0
            if self._index >= self.max_count:
                raise _Refused(f"more than limits.max_cells ({self.max_count:,}) shared strings")

    def text(self, data) -> None:
        self._length += len(data)

    def end(self, name) -> None:
        if _local(name) == "si" and self._length > self.max_length:
            self.too_long.add(self._index)


class _SheetScanner:
    """Counts cells that hold something, checks lengths, merges, error values and cached
    formula values. The cell and merge counts run on over the sheets (`before`)."""

    def __init__(self, sheet: str, long_strings: set[int], limits: dict, before=None) -> None:
        self.sheet = sheet
        self.long_strings = long_strings
        self.limits = limits
        self.cells = 0  # <c> elements of this sheet with a value or formula
        # every <c> element so far, empty styled ones too (each becomes an object later)
        self.elements = before.elements if before else 0
        self.merged = 0
        self.merged_so_far = before.merged_so_far if before else 0
        self._cell: dict | None = None
        self._in: str = ""
        self._length = 0

    def attach(self, parser) -> None:
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text

    def start(self, name, attrs) -> None:
        tag = _local(name)
        if tag == "c":
            self.elements += 1
            if self.elements > self.limits["max_cells"]:
                raise _Refused(
                    f"sheet holds more than limits.max_cells ({self.limits['max_cells']:,}) cells",
                    attrs.get("r", ""),
                )
            self._cell = {"r": attrs.get("r", ""), "t": attrs.get("t", ""), "f": False, "v": ""}
        elif self._cell is not None and tag in ("v", "t", "f"):
            self._in = tag
            self._length = 0
            if tag == "f":
                self._cell["f"] = True
        elif tag == "mergeCell":
            self._merge(attrs.get("ref", ""))

    def text(self, data) -> None:
        if self._in:
            self._length += len(data)
            if self._in == "v" and self._length <= 12:
                self._cell["v"] += data

    def end(self, name) -> None:
        tag = _local(name)
        if tag in ("v", "t") and self._cell is not None:
            if self._length > self.limits["max_cell_length"]:
                self._too_long()
            if self._length or tag == "t":  # an empty <v/> caches nothing
                self._cell["has_value"] = True
            self._in = ""
        elif tag == "f":
            self._in = ""
        elif tag == "c" and self._cell is not None:
            self._close_cell(self._cell)
            self._cell = None

    def _close_cell(self, cell: dict) -> None:
        if cell["f"] and not cell.get("has_value"):
            raise _Refused(
                "formula without a cached value: open and save the file in Excel or "
                "LibreOffice so that its value is stored",
                cell["r"],
            )
        if cell["t"] == "e":
            raise _Refused(
                "the cell holds an error value (#N/A, #REF!, ...): fix it in the workbook",
                cell["r"],
            )
        if cell.get("has_value"):
            self.cells += 1
            if cell["t"] == "s" and cell["v"].isdigit() and int(cell["v"]) in self.long_strings:
                self._too_long()

    def _too_long(self) -> None:
        raise _Refused(
            f"cell text longer than limits.max_cell_length ({self.limits['max_cell_length']:,})",
            self._cell["r"] if self._cell else "",
        )

    def _merge(self, ref: str) -> None:
        first, _, last = ref.partition(":")
        corners = [_REF.match(part) for part in (first, last or first)]
        if not all(corners):
            raise _Refused(f"merged range {ref!r} is not a cell range", first)
        (c1, r1), (c2, r2) = ((_column(m.group(1)), int(m.group(2))) for m in corners)
        area = (abs(c2 - c1) + 1) * (abs(r2 - r1) + 1)
        self.merged += area
        self.merged_so_far += area
        if self.merged_so_far > self.limits["max_merged_cells"]:
            raise _Refused(
                f"merged ranges cover more than limits.max_merged_cells "
                f"({self.limits['max_merged_cells']:,}) cells",
                first,
            )


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number
