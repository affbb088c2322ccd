"""Everything that changes intelligence records, and the rules that guard each change."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from intelligence.anonymity import identifying_details
from intelligence.models import Concern, Escalation, ReportPack, Theme
from intelligence.report import Period
from outbox.services import enqueue
from roles.models import User
from roles.selectors import areas_of
from send_portal.refusals import RefusedChange

logger = logging.getLogger(__name__)


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
    area,
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
    if area is None:
        raise RefusedChange("Choose the local area the concern was raised in.")
    concern = Concern.objects.create(
        area=area,
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
    user: User,
    question: str,
    *,
    concern: Concern | None = None,
    theme: Theme | None = None,
    area=None,
) -> Escalation:
    """Put a question to the commissioners: about a concern (the concern's area's), or
    about a theme, for ``area`` (themes are shared; the question is one area's)."""
    if concern is None and theme is None:
        raise RefusedChange("Escalate a concern or a theme.")
    area_id = concern.area_id if concern is not None else getattr(area, "pk", None)
    if area_id is None:
        raise RefusedChange("Choose the local area the escalation is for.")
    if not question.strip():
        raise RefusedChange("Write the question for the commissioners.")
    check_anonymous(question)
    escalation = Escalation.objects.create(
        concern=concern, theme=theme, area_id=area_id, question=question.strip(), escalated_by=user
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


#: Links inserted per statement when themes merge: PostgreSQL binds at most 65,535
#: parameters in one, and the portal binds on the server (send_portal/settings.py); a
#: region's theme can have tens of thousands of concerns, two parameters each.
MERGE_BATCH = 10_000


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
        batch_size=MERGE_BATCH,
    )
    source.merged_into = into
    source.is_active = False
    source.save()
    Theme.objects.filter(merged_into=source).update(merged_into=into)
    return into


# --- The PDF governance pack ------------------------------------------------------------

Pack = ReportPack.Status
#: How long a pack (its row and its PDF) stays for downloading. The figures are anonymous,
#: but a pack is a snapshot: asking again builds one from today's records.
PACK_KEEP = datetime.timedelta(hours=24)
#: A build "being built" for longer than the task's hard time limit was killed with its
#: worker (the limit kills the task); the outbox's next delivery may build it afresh.
PACK_BUILD_ABANDONED_AFTER = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)
PACK_FOLDER = ReportPack._meta.get_field("pdf").upload_to
PACK_ERROR_MAX = ReportPack._meta.get_field("error").max_length


@transaction.atomic
def request_report_pack(user: User, period: Period, area_id: int | None = None) -> ReportPack:
    """Record the asker's pack (of one of their areas, or of all) as waiting and have a
    worker build it once this commits."""
    if area_id is not None and area_id not in areas_of(user):
        raise PermissionDenied("A pack is only of an area its asker works in.")
    pack = ReportPack.objects.create(
        requested_by=user, starts_on=period.start, ends_on=period.end, area_id=area_id
    )
    enqueue("intelligence.tasks.build_report_pack", str(pack.pk))
    return pack


def build_report_pack(pack_id, now: datetime.datetime | None = None) -> str:
    """Build the pack's PDF and record how it went; return the pack's status afterwards.

    Every step is a conditional update of the row (healthchecks' claim of a flip): the build
    starts only for a pack still waiting (or one whose build was abandoned), so a second
    delivery of the same task builds nothing and never moves a pack back; a pack deleted
    meanwhile is left deleted, with no file behind it.
    """
    from intelligence.exports import pack_html
    from send_portal import pdf

    now = now or timezone.now()
    waiting = ReportPack.objects.filter(pk=pack_id, status=Pack.QUEUED)
    abandoned = ReportPack.objects.filter(
        pk=pack_id, status=Pack.BUILDING, started_at__lt=now - PACK_BUILD_ABANDONED_AFTER
    )
    claim = {"status": Pack.BUILDING, "progress": 10, "started_at": now}
    if not (waiting.update(**claim) or abandoned.update(**claim)):
        status = ReportPack.objects.filter(pk=pack_id).values_list("status", flat=True).first()
        logger.info("Report pack %s not built again: %s", pack_id, status or "deleted")
        return status or ""
    pack = ReportPack.objects.select_related("requested_by").get(pk=pack_id)
    building = ReportPack.objects.filter(pk=pack_id, status=Pack.BUILDING)
    try:
        # The figures of the areas the person who asked for it works in today (of the one
        # area asked for, if they still work in it).
        areas = areas_of(pack.requested_by)
        if pack.area_id is not None:
            areas = areas & {pack.area_id}
        html = pack_html(Period(pack.starts_on, pack.ends_on), areas=areas)
        building.update(progress=50)
        content = pdf.render_pdf(html)
    except Exception as error:
        logger.exception("Report pack %s could not be built", pack_id)
        building.update(
            status=Pack.FAILED,
            progress=100,
            finished_at=timezone.now(),
            error=error.__class__.__name__[:PACK_ERROR_MAX],
        )
        return Pack.FAILED
    name = default_storage.save(f"{PACK_FOLDER}{pack.pk}.pdf", ContentFile(content))
    if not building.update(status=Pack.READY, progress=100, finished_at=timezone.now(), pdf=name):
        default_storage.delete(name)  # the pack was deleted while it was being built
        return ""
    return Pack.READY


def delete_old_report_packs(now: datetime.datetime | None = None) -> int:
    """Delete the packs asked for more than PACK_KEEP ago, with their PDFs; return how many
    packs went. A run deletes whatever is old by then, so a missed or doubled run does no
    harm. Files in the packs' folder that no pack names and are as old (a pack deleted
    with the person who asked for it) go too."""
    cutoff = (now or timezone.now()) - PACK_KEEP
    old = ReportPack.objects.filter(created_at__lt=cutoff)
    for name in old.exclude(pdf="").values_list("pdf", flat=True):
        default_storage.delete(name)
    deleted, _ = old.delete()
    _delete_files_of_no_pack(cutoff)
    return deleted


def _delete_files_of_no_pack(cutoff: datetime.datetime) -> None:
    try:
        _, files = default_storage.listdir(PACK_FOLDER)
    except FileNotFoundError:
        return
    named = {Path(name).name for name in ReportPack.objects.values_list("pdf", flat=True)}
    for file in set(files) - named:
        path = f"{PACK_FOLDER}{file}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
