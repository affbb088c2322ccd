"""Refuse identifying details in intelligence records, which are shared widely.

Three checks, each with a message that says what to remove:
- anything that looks like an NHS number: 10 digits of any script, written together, as
  3-3-4 or with the same separator between every digit (spaces, dots, hyphens, slashes);
- anything that looks like a date of birth: a full date (12/03/2015, 12-3-15,
  12 March 2015, March 12 2015, and year first: 2015-03-12, 2015 March 12) — concerns
  carry their own raised-on date in a field;
- a child's name from the EHC plan records: two words next to each other, in either
  order ("Olivia Hedley", "Hedley Olivia", "Hedley, Olivia"), that are the first and last
  name of a child on record, compared by ``send_portal.text_match.name_key`` (any case,
  accents and apostrophes in any form; O'Connor, McDonald and Smith-Jones included).

The text is read through ``send_portal.text_match.normalise`` first: zero-width characters
cannot split a name or a number, and look-alike letters of other alphabets (a Cyrillic
"а" in "Harry") read as the Latin letters they imitate.
"""

from __future__ import annotations

import re

from ehcp.selectors import children_named_in
from send_portal.text_match import normalise

_SEPARATOR = r"[\s./-]"
NHS_NUMBER = re.compile(
    rf"(?<!\d)(\d{{3}}{_SEPARATOR}?\d{{3}}{_SEPARATOR}?\d{{4}}"
    rf"|\d(?P<sep>{_SEPARATOR})\d(?:(?P=sep)\d){{8}})(?!\d)"
)
MONTHS = (
    "jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|"
    "sep|sept|september|oct|october|nov|november|dec|december"
)
FULL_DATE = re.compile(
    rf"(?<!\d)(\d{{1,2}}[/.-]\d{{1,2}}[/.-](\d{{4}}|\d{{2}})(?!\d)"
    rf"|(?<!\d)\d{{4}}[/.-]\d{{1,2}}[/.-]\d{{1,2}}(?!\d)"
    rf"|\d{{4}}\s+({MONTHS})\.?\s+\d{{1,2}}(st|nd|rd|th)?(?!\d)"
    rf"|\d{{1,2}}(st|nd|rd|th)?\s+({MONTHS})\.?\s+\d{{4}}"
    rf"|({MONTHS})\.?\s+\d{{1,2}}(st|nd|rd|th)?,?\s+\d{{4}})",
    re.IGNORECASE,
)
#: A word as names are written: letters in any alphabet (with any combining accents), joined
#: by an apostrophe or a hyphen (one of each, once the text is normalised).
_LETTER = r"(?:[^\W\d_]|[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f])"
NAME_WORD = re.compile(rf"{_LETTER}+(?:['-]{_LETTER}+)*")

#: The longest free text the forms and the import take in these shared records: generous for
#: a summary, and it bounds the name check's query (two lists of the words in the text).
MAX_TEXT_LENGTH = 4000


def _without_possessive(word: str) -> str:
    for ending in ("'s", "'"):
        if word.endswith(ending):
            return word[: -len(ending)]
    return word


def identifying_details(text: str) -> list[str]:
    """What in ``text`` would identify a child, as messages; empty when it is anonymous."""
    problems = []
    text = normalise(text or "")
    if NHS_NUMBER.search(text):
        problems.append("Remove the NHS number: intelligence records must not identify a child.")
    if FULL_DATE.search(text):
        problems.append(
            "Remove the full date: it could be a date of birth. Say 'aged 7' or 'in March' instead."
        )
    named = children_named_in(adjacent_word_pairs(text))
    if named:
        problems.append(
            f"Remove the name “{named[0][0]} {named[0][1]}”: it is the name of a child on "
            "record. Describe the family's experience without names."
        )
    return problems


def adjacent_word_pairs(text: str) -> set[tuple[str, str]]:
    """Each (first name, last name) two words next to each other could be: with only spaces
    between them, in both orders ("Leo Armstrong's" gives ("Leo", "Armstrong") and, written
    surname first, ("Armstrong", "Leo")); with a comma between, surname first only
    ("Armstrong, Leo"), as lists of names are written. Possessive endings are dropped."""
    pairs = set()
    previous = None
    for match in NAME_WORD.finditer(text):
        word = _without_possessive(match.group())
        if previous is not None:
            between = text[previous.end() : match.start()]
            before = _without_possessive(previous.group())
            if between.isspace():
                pairs.update({(before, word), (word, before)})
            elif between.strip() == "," and between.endswith(tuple(" \t\n")):
                pairs.add((word, before))
        previous = match
    return pairs
