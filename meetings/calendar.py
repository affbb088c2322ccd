"""Meetings as iCalendar (RFC 5545): the invitation attached to reminders, and a person's feed.

Every meeting has one event UID for its whole life (``<calendar_uid>@send-portal``) and a
SEQUENCE that goes up each time it moves or is cancelled, so a calendar updates the event
it already holds instead of adding a second one. Times are written with
``TZID=Europe/London`` and the calendar carries the matching VTIMEZONE, so every client
puts a 10:00 meeting at 10:00 on the wall clock in winter and summer alike.

Nothing here names a child: an agenda item about an EHC needs assessment (a panel case)
is written as "Panel case", whatever its title.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from meetings.models import AgendaItem, Meeting
from roles.models import User
from roles.selectors import place_name
from send_portal.london_time import LONDON
from send_portal.notifications import portal_url

PRODID = "-//SEND Health Portal//Meetings//EN"
UID_DOMAIN = "send-portal"
#: The feed covers meetings from this long ago to this far ahead.
FEED_PAST = datetime.timedelta(days=92)
FEED_AHEAD = datetime.timedelta(days=366)
#: Calendar apps are asked to fetch the feed again after this long.
FEED_REFRESH = datetime.timedelta(hours=1)
PANEL_CASE = "Panel case"


def event_uid(meeting: Meeting) -> str:
    return f"{meeting.calendar_uid}@{UID_DOMAIN}"


def agenda_titles(meeting: Meeting) -> list[str]:
    """The agenda as it may be shown outside the portal: a panel case is never named."""
    return [agenda_title(item) for item in meeting.agenda_items.all()]


def agenda_title(item: AgendaItem) -> str:
    return PANEL_CASE if item.assessment_id else item.title


def meeting_path(meeting: Meeting) -> str:
    return reverse("meetings:meeting", args=[meeting.pk])


def location(meeting: Meeting) -> str:
    if meeting.place and meeting.online_link:
        return f"{meeting.place} (or online)"
    return meeting.place or ("Online" if meeting.online_link else "")


def meeting_event(
    meeting: Meeting, for_user: User | None = None, request: HttpRequest | None = None
) -> Event:
    """The meeting as a VEVENT. With ``for_user``, that person is named as the attendee (an
    invitation to them; no reply is asked for). With ``request`` (the feed), the meeting's
    link follows the address the feed was fetched from, unless PORTAL_BASE_URL is set."""
    page = portal_url(meeting_path(meeting), request)
    event = Event.new(
        uid=event_uid(meeting),
        sequence=meeting.sequence,
        stamp=timezone.now(),
        start=meeting.starts_at.astimezone(LONDON),
        end=meeting.ends_at.astimezone(LONDON),
        summary=meeting.series.name,
        location=location(meeting) or None,
        url=page,
        description=_description(meeting, page),
        status="CANCELLED" if meeting.is_cancelled else "CONFIRMED",
        organizer=_organiser(),
    )
    if for_user is not None:
        event.add(
            "attendee",
            vCalAddress.new(
                for_user.email,
                cn=for_user.display_name,
                role="REQ-PARTICIPANT",
                partstat="NEEDS-ACTION",
                rsvp=False,
            ),
        )
    return event


def invitation(meeting: Meeting, for_user: User | None = None) -> bytes:
    """A calendar with the one meeting: METHOD:REQUEST (add or update it), or METHOD:CANCEL
    for a cancelled meeting (remove it)."""
    method = "CANCEL" if meeting.is_cancelled else "REQUEST"
    return _calendar([meeting_event(meeting, for_user)], method=method).to_ical()


def invitation_attachment(meeting: Meeting, for_user: User | None = None):
    """The invitation as an email attachment: (file name, content, MIME type)."""
    method = "CANCEL" if meeting.is_cancelled else "REQUEST"
    return ("meeting.ics", invitation(meeting, for_user), f"text/calendar; method={method}")


def feed(
    user: User, now: datetime.datetime | None = None, request: HttpRequest | None = None
) -> bytes:
    """``user``'s meetings from 3 months ago to 12 months ahead (cancelled ones marked so)."""
    from meetings.selectors import calendar_meetings_for

    now = now or timezone.now()
    meetings = calendar_meetings_for(user, now - FEED_PAST, now + FEED_AHEAD)
    calendar = _calendar(
        [meeting_event(meeting, request=request) for meeting in meetings],
        method="PUBLISH",
        name=f"SEND meetings – {place_name(user, settings.LOCAL_AREA_NAME)}",
    )
    calendar.refresh_interval = FEED_REFRESH
    return calendar.to_ical()


def _calendar(events: Iterable[Event], *, method: str, name: str | None = None) -> Calendar:
    events = list(events)
    calendar = Calendar.new(prodid=PRODID, method=method, name=name)
    del calendar["UID"]  # a new random one each time otherwise: the events' UIDs are what count
    for event in events:
        calendar.add_component(event)
    # One VTIMEZONE for Europe/London, covering the years of the events (with a margin).
    years = [event.start.year for event in events] or [timezone.localdate().year]
    calendar.add_missing_timezones(
        first_date=datetime.date(min(years) - 1, 1, 1),
        last_date=datetime.date(max(years) + 2, 1, 1),
    )
    return calendar


def _organiser() -> vCalAddress:
    return vCalAddress.new(settings.DEFAULT_FROM_EMAIL, cn=settings.SERVICE_NAME)


def _description(meeting: Meeting, page: str) -> str:
    lines = []
    if meeting.is_cancelled:
        lines += [f"This meeting is cancelled: {meeting.cancelled_reason}".rstrip(": "), ""]
    titles = agenda_titles(meeting)
    if titles:
        lines.append("Agenda:")
        lines += [f"{number}. {title}" for number, title in enumerate(titles, start=1)]
        lines.append("")
    if meeting.online_link:
        lines += [f"Join online: {meeting.online_link}", ""]
    lines.append(f"Papers, and apologies if you cannot come: {page}")
    return "\n".join(lines)
