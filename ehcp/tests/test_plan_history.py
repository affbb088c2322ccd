"""The plan page's timeline says which section each save changed (``PlanHistory``): the
texts are compared by their MD5 in the database, not read."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ehcp import selectors, services
from ehcp.presenters import PlanHistory
from ehcp.tests.factories import SAMPLE_SECTION_C, SAMPLE_SECTION_G, make_assessment
from tests.factories import UserFactory


def _saved(plan, author, section_c, section_g):
    return services.save_sections(plan, author, section_c, section_g, plan.edit_count)


@pytest.mark.django_db
def test_each_save_says_which_section_changed_and_a_save_changing_nothing_is_left_out():
    author = UserFactory()
    plan = make_assessment().plan
    plan = _saved(plan, author, SAMPLE_SECTION_C, SAMPLE_SECTION_G)
    plan = _saved(plan, author, SAMPLE_SECTION_C + " Reviewed in clinic.", SAMPLE_SECTION_G)
    changed_g = [dict(SAMPLE_SECTION_G[0], provision="Weekly speech and language therapy")]
    changed_g += SAMPLE_SECTION_G[1:]
    plan = _saved(plan, author, SAMPLE_SECTION_C + " Reviewed in clinic.", changed_g)
    plan = _saved(plan, author, SAMPLE_SECTION_C + " Reviewed in clinic.", changed_g)  # same
    plan = _saved(plan, author, SAMPLE_SECTION_C, SAMPLE_SECTION_G)

    entries = [
        entry.what for entry in reversed(PlanHistory.of(selectors.plan_saves(plan.pk), [], {}))
    ]

    assert entries == [
        "Health sections created",
        "Edited section C and section G",
        "Edited section C",
        "Edited section G",
        "Edited section C and section G",
    ]


@pytest.mark.django_db
def test_the_history_reads_no_section_text():
    author = UserFactory()
    plan = _saved(make_assessment().plan, author, SAMPLE_SECTION_C, SAMPLE_SECTION_G)

    with CaptureQueriesContext(connection) as queries:
        PlanHistory.of(selectors.plan_saves(plan.pk), [], {})

    (history,) = queries.captured_queries
    select_list = history["sql"].split(" FROM ")[0]
    assert '"section_c"' not in select_list.replace('MD5("ehcp_historicalplan"."section_c")', "")
    assert "MD5" in select_list
