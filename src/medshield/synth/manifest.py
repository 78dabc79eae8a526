"""What a build of the synthetic alliance made: ``out/manifest.json``."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from medshield import atomic
from medshield.datafiles import check_size
from medshield.errors import InputError

MANIFEST = "manifest.json"


class AllianceManifest(BaseModel):
    """Databases (passwords hidden), the ground-truth file, and row counts per table."""

    model_config = ConfigDict(extra="forbid")

    out: Path
    seed: int
    patients: int  # distinct people; each is a patient of one to three institutions
    policy_version: str
    databases: dict[str, str]  # institution id -> database URL
    styles: dict[str, str]  # institution id -> vendor style
    ground_truth: Path
    rows: dict[str, dict[str, int]]  # institution id -> physical table -> rows
    seconds: float
    # institution id -> logical table (patient, visit, ...) -> its name in that HIS (brjbxx, ...)
    tables: dict[str, dict[str, str]] = Field(default_factory=dict)

    def table(self, institution: str, logical: str) -> str:
        """The physical name of a logical table at one institution: ``table("h2", "patient")``
        is ``brjbxx``."""
        try:
            return self.tables[institution][logical]
        except KeyError:
            raise InputError(f"no table {logical!r} at {institution!r}") from None

    @property
    def total_rows(self) -> int:
        return sum(sum(tables.values()) for tables in self.rows.values())

    def write(self) -> Path:
        path = self.out / MANIFEST
        atomic.write_text(path, self.model_dump_json(indent=2))
        return path

    @classmethod
    def read(cls, out: Path) -> AllianceManifest:
        """The manifest in ``out`` (the folder given to ``build_alliance``)."""
        path = Path(out) / MANIFEST
        check_size(path)
        try:
            return cls.model_validate_json(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(
                "no synthetic alliance here (manifest.json missing)", where=str(out)
            ) from None
        except ValidationError as exc:
            raise InputError(
                f"malformed manifest: {exc.errors()[0]['msg']}", where=str(path)
            ) from None
