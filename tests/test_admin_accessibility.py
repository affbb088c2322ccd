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


def test_each_half_of_a_date_and_time_input_is_labelled(client, administrator):
    client.force_login(administrator)

    page = client.get(reverse("admin:django_celery_beat_clockedschedule_add")).content.decode()

    assert '<label for="id_clocked_time_0">' in page
    assert '<label for="id_clocked_time_1">' in page


def test_each_input_of_a_persons_role_assignments_is_named_after_its_column_and_row(
    client, administrator
):
    client.force_login(administrator)

    page = client.get(reverse("admin:roles_user_change", args=[administrator.pk])).content
    page = page.decode()

    for column in ("Role", "Starts on", "Ends on", "Note"):
        assert f'aria-label="{column}, row 1"' in page, column
    assert "js/admin.js" in page  # names the organisation's search box after its row


def test_a_blank_value_in_a_filter_is_named(client, administrator):
    from audit.services import Kind, record_event

    record_event(Kind.SIGNED_IN, actor=administrator)  # an event with no target
    client.force_login(administrator)

    page = client.get(reverse("admin:audit_auditevent_changelist")).content.decode()

    assert re.search(r'<a href="\?target_type=">\s*\(none\)\s*</a>', page), "blank unnamed"
