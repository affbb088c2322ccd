"""Automatic quality findings for the health sections C and G.

These are checks a computer can make before a person reviews the sections:
wording in section G that does not specify or quantify the provision, a row
that does not say who, how often, how long or what for, and a section C that
is empty or too short to describe a child's health needs. They help the author,
the QA reviewer and the DMO; they never stop anything being saved or signed.

Sources:

- SEND Code of Practice 0 to 25 years (2015), paragraph 9.69: provision "must
  be detailed and specific and should normally be quantified, for example, in
  terms of the type, hours and frequency of support and level of expertise".
- Council for Disabled Children, guidance and Section C checklist for health
  advice in EHC plans: provision says who will provide what, how often and for
  how long, and avoids wording such as "access to" or "as required".

The functions here are pure (text in, findings out) so the plan page, the
sign-off review and the QA checklist all show the same findings.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

#: Wording that leaves provision unspecified or unquantified (Code of Practice 9.69; CDC
#: guidance). Each phrase is matched case-insensitively as whole words, so "regular" does
#: not match "irregular". Add to this list rather than to the code.
VAGUE_WORDING: tuple[str, ...] = (
    "access to",
    "as required",
    "as needed",
    "when needed",
    "if necessary",
    "opportunities to",
    "opportunities for",
    "may benefit",
    "should have",
    "regular",
    "regularly",
    "ongoing",
    "support as appropriate",
)

#: The parts of a section G row where unquantified wording hides: what is provided, how
#: often and for how long. (Who provides it and the outcome are checked for being there.)
WORDING_CHECKED_IN: tuple[str, ...] = ("provision", "frequency", "duration")

#: What each section G field must say, as the end of "Row 2: say ...".
MISSING_FIELD_MESSAGES: dict[str, str] = {
    "provision": "describe the provision: what will be done with or for the child",
    "provided_by": "say who will provide this (the service or the professional)",
    "frequency": "say how often (for example, 6 sessions of 45 minutes each term)",
    "duration": "say for how long (for example, 12 months, reviewed at the annual review)",
    "outcome": "say which outcome this provision helps the child to achieve",
}

#: Fewer words than this in section C is unlikely to describe a child's health needs and
#: how they affect learning, unless it says there are none (CDC Section C checklist).
SECTION_C_MIN_WORDS = 20

_NO_HEALTH_NEEDS = re.compile(r"\bno\s+(?:\w+\s+){0,2}health\s+needs\b", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    """One thing to look at. ``row_index`` counts section G rows from 0 (``None`` for
    section C); ``field`` is the row's key (see ``G_ROW_FIELDS``) or "section_c"."""

    section: str
    row_index: int | None
    field: str
    message: str

    @property
    def row_number(self) -> int | None:
        """The row as people count it, from 1."""
        return None if self.row_index is None else self.row_index + 1

    @property
    def key(self) -> str:
        """Names this finding in a form and in the sign-off service. It follows from the
        message, so a reason typed against one finding can never be kept against another
        if the findings change between showing the page and signing."""
        return hashlib.sha256(self.message.encode()).hexdigest()[:16]


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    words = r"\s+".join(re.escape(word) for word in phrase.split())
    return re.compile(rf"(?<!\w){words}(?!\w)", re.IGNORECASE)


_VAGUE_PATTERNS = tuple((phrase, _phrase_pattern(phrase)) for phrase in VAGUE_WORDING)


def vague_phrases(text: str) -> list[str]:
    """The vague phrases in ``text``, each once, in the order they first appear."""
    found = []
    for phrase, pattern in _VAGUE_PATTERNS:
        match = pattern.search(text or "")
        if match:
            found.append((match.start(), -len(phrase), phrase))
    # A longer phrase that starts at the same place wins ("support as appropriate").
    found.sort()
    result: list[str] = []
    covered_until = -1
    for start, negative_length, phrase in found:
        if start < covered_until:
            continue
        result.append(phrase)
        covered_until = start - negative_length
    return result


def _text(row: dict, field: str) -> str:
    value = row.get(field, "")
    return value.strip() if isinstance(value, str) else str(value or "").strip()


def provision_findings(section_g_rows: list[dict]) -> list[Finding]:
    """Findings for each row of section G: vague wording, and who / what / how often /
    how long / outcome left out. Rows are numbered from 1 in the messages."""
    findings: list[Finding] = []
    for index, row in enumerate(section_g_rows or []):
        number = index + 1
        if not any(_text(row, field) for field in MISSING_FIELD_MESSAGES):
            findings.append(Finding("G", index, "provision", f"Row {number} is empty."))
            continue
        for field in WORDING_CHECKED_IN:
            for phrase in vague_phrases(_text(row, field)):
                findings.append(
                    Finding(
                        "G",
                        index,
                        field,
                        f"Row {number}: “{phrase}” is not quantified: say exactly what will "
                        "be provided, how often and for how long.",
                    )
                )
        for field, what_to_say in MISSING_FIELD_MESSAGES.items():
            if not _text(row, field):
                findings.append(Finding("G", index, field, f"Row {number}: {what_to_say}."))
    return findings


def section_c_findings(text: str) -> list[Finding]:
    """Findings for section C: empty, or very short without saying there are no needs."""
    text = (text or "").strip()
    if not text:
        return [
            Finding(
                "C",
                None,
                "section_c",
                "Section C is empty: describe the health needs that relate to the child's "
                "special educational needs, or say clearly that there are none.",
            )
        ]
    words = len(text.split())
    if words < SECTION_C_MIN_WORDS and not _NO_HEALTH_NEEDS.search(text):
        return [
            Finding(
                "C",
                None,
                "section_c",
                f"Section C is very short ({words} words): check that it describes each "
                "health need and how it affects the child's learning.",
            )
        ]
    return []


def sections_findings(section_c: str, section_g_rows: list[dict]) -> list[Finding]:
    """Every finding for both health sections: section C first, then section G by row."""
    return section_c_findings(section_c) + provision_findings(section_g_rows)


#: The finding when nobody has run the quality checklist on the text being signed.
CHECKLIST_NOT_RUN = Finding(
    "QA",
    None,
    "checklist",
    "No quality checklist has been run on these sections since they were last changed.",
)


def sign_off_findings(
    section_c: str, section_g_rows: list[dict], checklist_run: bool
) -> list[Finding]:
    """The open findings the DMO must acknowledge, each with a reason, before signing off.

    The statement the DMO signs says the provision "is specified and quantified" (SEND
    Code of Practice 9.69); each automatic finding questions that, and so does signing
    without the quality checklist (the local quality assurance framework for EHC plan
    health advice). The DMO either gives a reason for each or returns the sections.
    """
    return open_findings(sections_findings(section_c, section_g_rows), checklist_run)


def open_findings(findings: list[Finding], checklist_run: bool) -> list[Finding]:
    """The sections' automatic ``findings``, and the checklist's when it has not been run on
    the text (``sign_off_findings`` for sections whose automatic findings are known)."""
    return list(findings) if checklist_run else [CHECKLIST_NOT_RUN, *findings]
