"""The admin is used by people too: what Django's admin pages get wrong for WCAG 2.2 AA is
put right for the portal (docs/ACCESSIBILITY.md; the walk of every page checks each admin
page in a browser, tests/browser/test_every_page.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ehcp.models import QualityCriterion

pytestmark = pytest.mark.django_db


def test_every_input_of_an_editable_list_is_named_after_its_column_and_row(client, administrator):
    criteria = list(QualityCriterion.objects.order_by("display_order", "pk")[:3])
    assert criteria, "the quality criteria are installed by a migration"
    client.force_login(administrator)

    page = client.get(reverse("admin:ehcp_qualitycriterion_changelist")).content.decode()

    inputs = re.findall(r"<input[^>]*name=\"form-\d+-(?:display_order|is_active)\"[^>]*>", page)
    assert inputs, "the list has editable inputs"
    unnamed = [tag for tag in inputs if "aria-label=" not in tag]
    assert not unnamed, unnamed
    first = str(criteria[0])[:80]
    assert f'aria-label="Display order: {first}"' in page.replace("&#x27;", "'")


def test_the_admin_pages_load_the_portals_corrections_to_djangos_styles(client, administrator):
    client.force_login(administrator)

    page = client.get(reverse("admin:index")).content.decode()

    assert "css/admin.css" in page
