"""The one error type the pipeline raises for bad input.

The CLI prints it as `error: <where>: <message>` and exits 2, without a traceback.
"""

from __future__ import annotations


class SourceError(Exception):
    """Bad input, with its location: file, and sheet/cell or line where known."""

    def __init__(self, message: str, *, file: str, sheet: str = "", cell: str = "", line=None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.sheet = sheet
        self.cell = cell
        self.line = line

    def __reduce__(self):
        # Pickled whole (keyword arguments too) when raised in generation's helper process.
        return _rebuild, (self.message, self.file, self.sheet, self.cell, self.line)

    @property
    def location(self) -> str:
        where = self.file
        if self.sheet:
            where += f", sheet {self.sheet!r}"
        if self.cell:
            where += f", cell {self.cell}"
        if self.line is not None:
            where += f", line {self.line}"
        return where

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


def _rebuild(message: str, file: str, sheet: str, cell: str, line) -> SourceError:
    return SourceError(message, file=file, sheet=sheet, cell=cell, line=line)
