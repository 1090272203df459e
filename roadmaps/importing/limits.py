"""How big a file the importer agrees to read, and the progress of reading it.

The portal passes its settings (UPLOAD_MAX_BYTES, IMPORT_MAX_ROWS, IMPORT_MAX_CELLS) in a
``ReadLimits``; ``None`` means no limit (the shell command). Readers count rows as they go, so a
file past a limit is refused on the first row too many, not after the whole sheet has been read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .errors import ImportRefused

Progress = Callable[[int], None]

# Reading the rows is the first half of the work, recognising the structure the second.
READ_FROM, READ_TO, BUILT = 1, 50, 95
REPORT_EVERY = 500  # rows between two progress reports


@dataclass(frozen=True)
class ReadLimits:
    max_bytes: int | None = None
    max_rows: int | None = None
    max_cells: int | None = None


def _number(value: int) -> str:
    return f"{value:,}".replace(",", "\u00a0")


def too_big(max_bytes: int) -> str:
    return f"Файл больше {max_bytes // (1024 * 1024)} МБ."


def too_many_rows(limit: int, found: int, exact: bool) -> str:
    count = _number(found) if exact else f"не меньше {_number(found)}"
    return (
        f"Слишком большая таблица: строк в файле — {count}, предел импорта — {_number(limit)}. "
        "Разделите таблицу на несколько файлов."
    )


def too_many_cells(limit: int, found: int) -> str:
    return (
        f"Слишком большая таблица: заполненных ячеек в файле — не меньше {_number(found)}, "
        f"предел импорта — {_number(limit)}. "
        "Удалите лишние столбцы или разделите таблицу на несколько файлов."
    )


class RowCounter:
    """Counts the rows and filled cells a reader takes, refusing the file past a limit, and reports
    reading progress when the reader said how many rows to expect."""

    def __init__(self, limits: ReadLimits | None = None, progress: Progress | None = None):
        self.limits = limits or ReadLimits()
        self.progress = progress
        self.rows = 0
        self.cells = 0
        self.expected = 0

    def expect(self, rows: int | None) -> None:
        """Rows a sheet or table declares, for the progress bar and the count in a refusal; the refusal
        itself waits for the rows really read (a declared size may be wrong)."""
        self.expected += rows or 0

    def take(self, cells: Sequence[object]) -> None:
        self.rows += 1
        self.cells += sum(1 for value in cells if value is not None and value != "")
        limits = self.limits
        if limits.max_rows is not None and self.rows > limits.max_rows:
            exact = self.expected >= self.rows
            raise ImportRefused(too_many_rows(limits.max_rows, self.expected if exact else self.rows, exact))
        if limits.max_cells is not None and self.cells > limits.max_cells:
            raise ImportRefused(too_many_cells(limits.max_cells, self.cells))
        if self.progress and self.expected and self.rows % REPORT_EVERY == 0:
            share = min(self.rows / self.expected, 1.0)
            self.progress(READ_FROM + int((READ_TO - READ_FROM) * share))

    def report(self, percent: int) -> None:
        if self.progress:
            self.progress(percent)

    def building(self, share: float) -> None:
        """Recognising the structure, ``share`` of the rows done: the second half of the bar."""
        self.report(READ_TO + int((BUILT - READ_TO) * share))
