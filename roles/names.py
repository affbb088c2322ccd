"""How a person's name is shown: one home for every page, email and PDF.

People are recorded with one ``full_name`` as they write it ("Dr Aisha Khan", "Sam Lee",
sometimes only "Dr Khan"). Shown in full it is the name as written, tidied of stray
spaces; a name with no words beyond a title (or none at all) is not a name, and the email
address stands in. Greeted, a person with a title is addressed by title and surname
("Dr Khan"), as clinicians are in letters; one without a title by their first name.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Titles written before a name (with or without a full stop), compared lower-case.
TITLES = frozenset(
    {"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "sir", "dame", "rev", "revd"}
)


@dataclass(frozen=True)
class PersonName:
    titles: tuple[str, ...]
    names: tuple[str, ...]  # given names then surname, as written

    @classmethod
    def parse(cls, full_name: str) -> PersonName:
        words = (full_name or "").split()
        leading = 0
        while leading < len(words) and words[leading].rstrip(".").lower() in TITLES:
            leading += 1
        return cls(tuple(words[:leading]), tuple(words[leading:]))

    def full(self, fallback: str) -> str:
        """The whole name as written, or ``fallback`` when there is no name to show."""
        if not self.names:
            return fallback
        return " ".join(self.titles + self.names)

    def greeting(self, fallback: str) -> str:
        """How to address the person: "Dr Khan", "Sam", or ``fallback`` without a name."""
        if not self.names:
            return fallback
        if self.titles:
            return f"{self.titles[0]} {self.names[-1]}"
        return self.names[0]
