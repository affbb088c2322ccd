"""Refuse identifying details in intelligence records, which are shared widely.

Three checks, each with a message that says what to remove:
- anything that looks like an NHS number: 10 digits, written together or as 3-3-4;
- anything that looks like a date of birth: a full date (12/03/2015, 12-3-15,
  12 March 2015, March 12 2015) — concerns carry their own raised-on date in a field;
- a child's name from the EHC plan records: two words next to each other, in any case,
  that are the first and last name of a child on record (O'Connor, McDonald and
  Smith-Jones included).
"""

from __future__ import annotations

import re

from ehcp.selectors import children_named_in

NHS_NUMBER = re.compile(r"(?<!\d)(\d{3}[\s-]?\d{3}[\s-]?\d{4})(?!\d)")
MONTHS = (
    "jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|"
    "sep|sept|september|oct|october|nov|november|dec|december"
)
FULL_DATE = re.compile(
    rf"(?<!\d)(\d{{1,2}}[/.-]\d{{1,2}}[/.-](\d{{4}}|\d{{2}})(?!\d)"
    rf"|\d{{1,2}}(st|nd|rd|th)?\s+({MONTHS})\.?\s+\d{{4}}"
    rf"|({MONTHS})\.?\s+\d{{1,2}}(st|nd|rd|th)?,?\s+\d{{4}})",
    re.IGNORECASE,
)
#: A word as names are written: letters in any alphabet, joined by an apostrophe or a hyphen.
NAME_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")

#: The longest free text the forms and the import take in these shared records: generous for
#: a summary, and it bounds the name check's query (two lists of the words in the text).
MAX_TEXT_LENGTH = 4000


def _without_possessive(word: str) -> str:
    for ending in ("'s", "’s", "'", "’"):
        if word.endswith(ending):
            return word[: -len(ending)]
    return word


def identifying_details(text: str) -> list[str]:
    """What in ``text`` would identify a child, as messages; empty when it is anonymous."""
    problems = []
    if NHS_NUMBER.search(text or ""):
        problems.append("Remove the NHS number: intelligence records must not identify a child.")
    if FULL_DATE.search(text or ""):
        problems.append(
            "Remove the full date: it could be a date of birth. Say 'aged 7' or 'in March' instead."
        )
    named = children_named_in(adjacent_word_pairs(text or ""))
    if named:
        problems.append(
            f"Remove the name “{named[0][0]} {named[0][1]}”: it is the name of a child on "
            "record. Describe the family's experience without names."
        )
    return problems


def adjacent_word_pairs(text: str) -> set[tuple[str, str]]:
    """Each two words that stand next to each other with only spaces between them, the
    second without a possessive ending ("Leo Armstrong's" gives ("Leo", "Armstrong"))."""
    pairs = set()
    previous = None
    for match in NAME_WORD.finditer(text):
        word = _without_possessive(match.group())
        if previous is not None and text[previous.end() : match.start()].isspace():
            pairs.add((_without_possessive(previous.group()), word))
        previous = match
    return pairs
