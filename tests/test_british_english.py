"""The portal is in British English with Django's translation switched off
(``USE_I18N = False``): the words are the ones the code writes, and LANGUAGE_CODE ("en-gb")
still chooses how dates are shown and typed.

Switching translation off is only right while the British English catalogues of the
installed packages translate nothing differently from the English they are written in; a
package that one day writes "colour" for "color" in them fails the first test here."""

from __future__ import annotations

import datetime
import gettext
import re
from pathlib import Path

import django
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

SITE_PACKAGES = Path(django.__file__).resolve().parent.parent


def _catalogues():
    return sorted(SITE_PACKAGES.glob("**/locale/en_GB/LC_MESSAGES/*.mo"))


def test_no_british_english_catalogue_changes_a_word():
    assert _catalogues(), "Django ships en_GB catalogues: the search found none"
    changed = []
    for catalogue in _catalogues():
        with catalogue.open("rb") as file:
            entries = gettext.GNUTranslations(file)._catalog
        for key, translated in entries.items():
            if not key:
                continue  # the catalogue's header
            if isinstance(key, tuple):
                # A plural: form 0 is the singular. (Form 1 is checked against the .po below.)
                original, form = key[0].split("\x04")[-1], key[1]
                if form == 0 and translated != original:
                    changed.append((catalogue.name, original, translated))
            elif translated != key.split("\x04")[-1]:
                changed.append((catalogue.name, key, translated))
    for source in SITE_PACKAGES.glob("**/locale/en_GB/LC_MESSAGES/*.po"):
        for block in source.read_text(encoding="utf-8").split("\n\n"):
            plural = re.search(r'msgid_plural ((?:".*"\n?)+)', block)
            translated = re.search(r"msgstr\[1\] ((?:\".*\"\n?)+)", block)
            if plural and translated:
                written = "".join(re.findall(r'"(.*)"', plural.group(1)))
                shown = "".join(re.findall(r'"(.*)"', translated.group(1)))
                if shown and shown != written:
                    changed.append((source.name, written, shown))
    assert changed == []


def test_translation_is_off_and_words_are_the_ones_written():
    assert settings.USE_I18N is False
    assert translation.gettext("Enter a valid date.") == "Enter a valid date."
    assert translation.ngettext("%d day", "%d days", 2) == "%d days"
    assert translation.get_language() == settings.LANGUAGE_CODE == "en-gb"


def test_dates_are_shown_and_typed_the_british_way():
    page = Template('{{ day }} | {{ day|date:"j F Y" }} | {{ day|date:"D j M" }}')
    assert page.render(Context({"day": datetime.date(2026, 12, 7)})) == (
        "7 Dec 2026 | 7 December 2026 | Mon 7 Dec"
    )
    # Day first, as a British user types it.
    assert forms.DateField().clean("07/12/2026") == datetime.date(2026, 12, 7)
