"""What an algorithm returns: declared outputs and the value types for tables and reports."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar


@dataclass
class Output:
    """Declaration of one output; ``name`` is the key in the dict ``run`` returns."""

    name: str
    label: str = ""
    description: str = ""
    type_name: ClassVar[str] = "value"

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"output name {self.name!r} must be a Python identifier")
        self.label = self.label or self.name.replace("_", " ").capitalize()

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type_name, "label": self.label}


@dataclass
class LayerOutput(Output):
    """A layer (a core Layer or a CityModel / VectorData / TerrainGrid) to add to the project."""

    kind: str = ""
    type_name: ClassVar[str] = "layer"


@dataclass
class TableOutput(Output):
    type_name: ClassVar[str] = "table"


@dataclass
class NumberOutput(Output):
    unit: str = ""
    type_name: ClassVar[str] = "number"


@dataclass
class ReportOutput(Output):
    type_name: ClassVar[str] = "report"


@dataclass
class ValuesOutput(Output):
    """A short list of numbers or strings (ids, indices) shown in the run summary and in
    the ``--json`` output as ``values`` (API 1.3)."""

    type_name: ClassVar[str] = "values"


@dataclass
class Table:
    """Columns of equal length; written as UTF-8 CSV."""

    columns: dict[str, list[Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        lengths = {len(v) for v in self.columns.values()}
        if len(lengths) > 1:
            raise ValueError(f"table columns have different lengths: {sorted(lengths)}")

    @classmethod
    def from_rows(cls, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Table:
        return cls({name: [row[i] for row in rows] for i, name in enumerate(header)})

    @property
    def n_rows(self) -> int:
        return len(next(iter(self.columns.values()), []))

    def rows(self) -> list[list[Any]]:
        cols = list(self.columns.values())
        return [[col[i] for col in cols] for i in range(self.n_rows)]

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns)
        for row in self.rows():
            writer.writerow([_cell(v) for v in row])
        return buffer.getvalue()

    def write_csv(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(self.to_csv(), encoding="utf-8", newline="")
        return path


def _cell(value: Any) -> Any:
    if isinstance(value, float):
        return repr(value) if value == value else ""  # shortest exact text; NaN is empty
    return "" if value is None else value


@dataclass
class Report:
    """Human-readable text (Markdown) summarising a run."""

    text: str
    title: str = ""
