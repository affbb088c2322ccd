"""Text compared for what it says, whatever way it was typed.

The anonymity check of shared records (``intelligence/anonymity.py``) and the keys by
which children's names are looked up (``ehcp.models.Child``) both read text through
here, so that a name or a number cannot slip past by being written differently:

- Unicode compatibility form (NFKC): full-width "Ｈａｒｒｙ" and "９４３" are "Harry" and "943";
- invisible characters removed: zero-width spaces and joiners, soft hyphens, direction
  marks (Unicode category Cf) and the few blank letters fonts draw as nothing;
- look-alike letters of other alphabets mapped to the Latin letter they imitate (a
  Cyrillic "а" in "Hаrry"), from Unicode's confusables list (TR39) as the maintained
  ``confusable-homoglyphs`` package ships it;
- apostrophes and hyphens of any form made one ("’", "ʼ", "‐", "–");
- for name keys: accents dropped whether typed precomposed ("é") or combining ("e\u0301"),
  apostrophes dropped ("O'Connor", "O’Connor" and "OConnor" are one name), and case folded
  ("ß" is "ss"), in Python, so SQLite and PostgreSQL compare the same keys.
"""

from __future__ import annotations

import functools
import unicodedata

from confusable_homoglyphs import confusables

#: Characters that draw as nothing but are not Unicode "format" characters (Cf).
_BLANK_LETTERS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0")
APOSTROPHES = "'’‘ʼʻ`´′ʹ＇"
HYPHENS = "-‐‑‒–—―−﹣－"
_MARKS = {ord(c): "'" for c in APOSTROPHES} | {ord(c): "-" for c in HYPHENS}

#: Names are keyed to this many characters (NFKC can make one character several).
KEY_LENGTH = 200


@functools.cache
def _lookalikes() -> dict[int, str]:
    """Each non-Latin letter that imitates a Latin one, to that Latin letter."""
    table = {}
    for character, entries in confusables.confusables_data.items():
        if len(character) != 1 or character.isascii():
            continue
        # Digits stay digits: an Arabic-Indic "٠" looks like a dot, but it is a zero.
        if unicodedata.category(character) == "Nd":
            continue
        for entry in entries:
            latin = entry["c"]
            if latin.isascii() and latin.isalpha():
                table[ord(character)] = latin
                break
    return table


def _visible(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) != "Cf" and c not in _BLANK_LETTERS)


def normalise(text: str) -> str:
    """``text`` as it reads: compatibility form, no invisible characters, look-alike
    letters as the Latin letters they imitate, one apostrophe and one hyphen."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _visible(text).translate(_MARKS)
    text = text.translate(_lookalikes())
    return unicodedata.normalize("NFC", text)


def name_key(name: str) -> str:
    """The key a name is compared by: ``normalise``d, without accents, apostrophes or
    case. "Zoë", "ZOE", "Zoe\u0308" and "Zое" (Cyrillic "ое") have one key."""
    text = unicodedata.normalize("NFKD", normalise(name))
    text = "".join(c for c in text if not unicodedata.combining(c) and c != "'")
    return unicodedata.normalize("NFC", text.casefold())[:KEY_LENGTH]
