"""The validated dossier as plain typed objects, the input of every later stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from safedossier.format.load import Page
from safedossier.format.schema import TABLE_BY_NAME


@dataclass
class Dossier:
    """A dossier that passed validation (possibly with warnings).

    `elements` maps slug → the element's YAML, normalised (dates as ISO strings, code aliases
    replaced by canonical values). `tables` maps name → DataFrame with typed columns: dates as
    datetime64, integers as nullable Int64, numbers as float, `many` references as lists.
    Private injury columns are still present here; only aggregates may leave `analyse`.
    """

    root: Path
    community: dict[str, Any]
    cycle: tuple[int, int]
    elements: dict[str, dict[str, Any]]
    tables: dict[str, pd.DataFrame]
    table_files: dict[str, str]
    pages: list[Page]
    files: list[str] = field(default_factory=list)  # source files (YAML, tables, pages), relative
    site_config: dict[str, Any] = field(default_factory=dict)  # the dossier's own mkdocs.yml

    @property
    def name(self) -> str:
        return str(self.community.get("name", ""))

    @property
    def years(self) -> list[int]:
        return list(range(self.cycle[0], self.cycle[1] + 1))

    def element(self, slug: str) -> dict[str, Any]:
        return self.elements.get(slug) or {}

    def table(self, name: str) -> pd.DataFrame:
        """The named table, or an empty frame with the schema's columns when the dossier lacks it."""
        if name in self.tables:
            return self.tables[name]
        return pd.DataFrame(columns=[f.key for f in TABLE_BY_NAME[name].fields])

    def public_columns(self, name: str) -> list[str]:
        """Columns of a table that may be published (no private fields, no unknown extras)."""
        schema = TABLE_BY_NAME[name]
        df = self.table(name)
        return [f.key for f in schema.fields if not f.private and f.key in df.columns]

