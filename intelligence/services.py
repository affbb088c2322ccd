"""Everything that changes intelligence records, and the rules that guard each change."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from intelligence.anonymity import identifying_details
from intelligence.models import Concern, Escalation, Theme
from roles.models import User
from send_portal.refusals import RefusedChange


def check_anonymous(*texts: str) -> None:
    problems = [p for text in texts for p in identifying_details(text)]
    if problems:
        raise RefusedChange(problems[0], problems)


@transaction.atomic
def log_concern(
    *,
    raised_on: datetime.date,
    source: str,
    summary: str,
    themes: Iterable[Theme],
    logged_by: User,
    families: int = 1,
    service: str = "",
    provider=None,
) -> Concern:
    themes = list(themes)
    if raised_on > timezone.localdate():
        raise RefusedChange("The date it was raised must be today or in the past.")
    if not summary.strip():
        raise RefusedChange("Write a summary of the concern.")
    if not themes:
        raise RefusedChange("Choose at least one theme.")
    if families < 1:
        raise RefusedChange("A concern represents at least one family.")
    check_anonymous(summary)
    concern = Concern.objects.create(
        raised_on=raised_on,
        source=source,
        summary=summary.strip(),
        families=families,
        service=service,
        provider=provider,
        logged_by=logged_by,
    )
    concern.themes.set(_current(themes))
    return concern


def _current(themes: Iterable[Theme]) -> list[Theme]:
    """A merged theme stands for the theme it joined."""
    result = []
    for theme in themes:
        while theme.merged_into_id:
            theme = theme.merged_into
        result.append(theme)
    return result


@transaction.atomic
def attach_to_meeting(concern: Concern, meeting, user: User) -> Concern:
    """Put a concern on an intelligence-sharing meeting's list, for its outcome there."""
    if concern.status == Concern.Status.CLOSED:
        raise RefusedChange("This concern is closed.")
    concern.meeting = meeting
    concern._history_user = user
    concern.save()
    return concern


@transaction.atomic
def record_meeting_outcome(concern: Concern, meeting, outcome: str, user: User) -> Concern:
    check_anonymous(outcome)
    concern.meeting = meeting
    concern.meeting_outcome = outcome.strip()
    if concern.status == Concern.Status.NEW:
        concern.status = Concern.Status.DISCUSSED
    concern._history_user = user
    concern.save()
    return concern


@transaction.atomic
def escalate(
    user: User, question: str, *, concern: Concern | None = None, theme: Theme | None = None
) -> Escalation:
    if concern is None and theme is None:
        raise RefusedChange("Escalate a concern or a theme.")
    if not question.strip():
        raise RefusedChange("Write the question for the commissioners.")
    check_anonymous(question)
    escalation = Escalation.objects.create(
        concern=concern, theme=theme, question=question.strip(), escalated_by=user
    )
    if concern is not None and concern.status in (Concern.Status.NEW, Concern.Status.DISCUSSED):
        concern.status = Concern.Status.ESCALATED
        concern._history_user = user
        concern.save()
    return escalation


@transaction.atomic
def answer(escalation: Escalation, response: str, action: str, user: User) -> Escalation:
    escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if escalation.is_answered:
        raise RefusedChange("This escalation has been answered already.")
    if not response.strip():
        raise RefusedChange("Write the commissioners' response.")
    check_anonymous(response, action)
    escalation.response = response.strip()
    escalation.action = action.strip()
    escalation.responded_by = user
    escalation.responded_at = timezone.now()
    escalation._history_user = user
    escalation.save()
    concern = escalation.concern
    if concern is not None and concern.status == Concern.Status.ESCALATED:
        concern.status = Concern.Status.RESPONDED
        concern._history_user = user
        concern.save()
    return escalation


@transaction.atomic
def close_concern(concern: Concern, user: User) -> Concern:
    concern.status = Concern.Status.CLOSED
    concern._history_user = user
    concern.save()
    return concern


@transaction.atomic
def merge_themes(source: Theme, into: Theme) -> Theme:
    """Fold ``source`` into ``into``: its concerns gain ``into``, and ``source`` stays,
    inactive, pointing at ``into`` (so history and earlier reports still read)."""
    if source.pk == into.pk:
        raise RefusedChange("Choose a different theme to merge into.")
    if into.merged_into_id:
        raise RefusedChange("That theme has itself been merged: merge into the theme it joined.")
    through = Concern.themes.through
    through.objects.bulk_create(
        [
            through(concern_id=concern_id, theme_id=into.pk)
            for concern_id in source.concerns.values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )
    source.merged_into = into
    source.is_active = False
    source.save()
    Theme.objects.filter(merged_into=source).update(merged_into=into)
    return into
