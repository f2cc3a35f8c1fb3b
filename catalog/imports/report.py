"""The reject report: a CSV of the rows turned away, with row number, column, value and why.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path
from typing import IO

from ..spreadsheets import safe_row
from .columns import REPORT_COLUMNS


class _Report:
    """The CSV of rejected rows, opened on the first reject and written as it goes."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.used = False
        self._file: IO[str] | None = None

    def add(self, number: int, column: str, value: str, reason: str) -> None:
        if self._file is None:
            if self.path is None:
                handle, name = tempfile.mkstemp(prefix="catalog-import-", suffix="-rejects.csv")
                self.path = Path(name)
                self._file = open(handle, "w", encoding="utf-8", newline="")  # noqa: SIM115
            else:
                self._file = open(self.path, "w", encoding="utf-8", newline="")  # noqa: SIM115
            self._csv = csv.writer(self._file)
            self._csv.writerow(REPORT_COLUMNS)
            self.used = True
        self._csv.writerow(safe_row((number, column, value[:500], reason)))

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

