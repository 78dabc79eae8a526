"""An application's learned statement templates (``medshield audit learn``), one a line."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from medshield import atomic
from medshield.audit.sql.fingerprint import normalise
from medshield.datafiles import check_size
from medshield.errors import AuditError


class LearnedTemplates:
    def __init__(self, templates: Iterable[str] = ()) -> None:
        self._known: set[str] = set(templates)
        self._slots: list[tuple[str, str, str]] | None = None

    def __contains__(self, text: object) -> bool:
        return text in self._known

    def __len__(self) -> int:
        return len(self._known)

    def learn(self, sql: str) -> None:
        self._known.add(normalise(sql))
        self._slots = None

    def slot_match(self, text: str) -> str | None:
        """A learned template equal to ``text`` up to one parameter slot, whose tail ``text``
        also ends with (or ``text`` ends in a comment there); the first such, else None."""
        if self._slots is None:
            self._slots = []
            for known in sorted(self._known):
                start = 0
                while (at := known.find("?", start)) >= 0:
                    self._slots.append((known[:at], known[at + 1 :], known))
                    start = at + 1
        for head, tail, known in self._slots:
            if text.startswith(head) and len(text) > len(head) + 1:
                rest = text[len(head) :]
                if rest.endswith(tail) or "--" in rest or "#" in rest or "/*" in rest:
                    return known
        return None

    def save(self, path: Path) -> None:
        atomic.write_text(path, "".join(f"{t}\n" for t in sorted(self._known)))

    @classmethod
    def load(cls, path: Path) -> LearnedTemplates:
        check_size(path)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise AuditError(f"cannot read templates: {exc.strerror}", where=str(path)) from None
        return cls(line for line in lines if line.strip())
