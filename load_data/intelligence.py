"""Each area's concerns over 3 years, by theme and service, with the meetings they were
discussed at, escalations to the commissioners and their answers.

Summaries are anonymous by construction (no names, dates of birth or NHS numbers), as the
anonymity check in intelligence/anonymity.py would require of anything typed in. One theme
rises in the last months, so the report has an emerging theme to show.
"""

from __future__ import annotations

import bisect
import datetime

from intelligence.demo import SUMMARIES as DEMO_SUMMARIES
from intelligence.models import Concern, ConcernSource, Escalation, Theme
from load_data.common import YEARS, Area, bulk, explicit_timestamps, fields_of

# The demo's summaries, and a few more so that a region's thousands of concerns read less
# alike.
MORE_SUMMARIES = {
    "Waiting times": [
        ("camhs", "The wait for a CAMHS appointment is longer than the school term."),
    ],
    "Communication between services": [
        ("council-send", "The council did not pass on the health advice to the school."),
    ],
    "Access to therapy": [
        ("salt", "Therapy is offered only in term time, so progress is lost each summer."),
    ],
    "School health support": [
        ("education", "Staff are not trained to use the child's feeding equipment."),
    ],
}
SUMMARIES = {
    theme: [*summaries, *MORE_SUMMARIES.get(theme, [])]
    for theme, summaries in DEMO_SUMMARIES.items()
}
THEME_WEIGHTS = {
    "Waiting times": 30,
    "Communication between services": 15,
    "EHCP health advice quality": 12,
    "Access to therapy": 12,
    "Autism assessment": 16,
    "Transition to adult services": 6,
    "School health support": 9,
}
SOURCES = {
    ConcernSource.SENDIASS: 40,
    ConcernSource.HEALTH_CAFE: 15,
    ConcernSource.PARENT_CARER_FORUM: 20,
    ConcernSource.PRACTITIONER: 15,
    ConcernSource.PANEL: 5,
    ConcernSource.OTHER: 5,
}
HEALTH_SERVICES = {"salt", "community-paediatrics", "ot", "camhs", "physiotherapy"}
RISING = "Transition to adult services"


def make_concerns(area: Area, count: int, intelligence_meetings) -> dict:
    rng = area.rng
    today = area.today
    people = area.people
    themes = {t.name: t for t in Theme.objects.filter(name__in=list(SUMMARIES))}
    names = [n for n in THEME_WEIGHTS if n in themes]
    weights = [THEME_WEIGHTS[n] for n in names]
    meetings = sorted(intelligence_meetings, key=lambda m: m.occurrence_date)
    meeting_days = [m.occurrence_date for m in meetings]
    loggers = [people["sendiass"]] * 6 + [people["dco"]] * 2 + [people["clinical-lead"]]
    span = YEARS * 365

    concerns, theme_links = [], []
    for _ in range(count):
        age = int(span * (rng.random() ** 1.1))
        raised_on = today - datetime.timedelta(days=age)
        name = rng.choices(names, weights=weights)[0]
        if age < 90 and rng.random() < 0.12:
            name = RISING if RISING in themes else name
        service, summary = rng.choice(SUMMARIES[name])
        concern = Concern(
            area=area.local_area,
            raised_on=raised_on,
            source=area.pick(SOURCES),
            service=service,
            provider=area.organisations["mental-health" if service == "camhs" else "trust"]
            if service in HEALTH_SERVICES and rng.random() < 0.6
            else None,
            summary=summary,
            families=rng.choice((1, 1, 1, 2, 2, 3, 4, 6)),
            logged_by=rng.choice(loggers),
            logged_at=area.past_moment(raised_on + datetime.timedelta(days=rng.randint(0, 3))),
        )
        roll = rng.random()
        if age > 120:
            concern.status = (
                Concern.Status.CLOSED
                if roll < 0.5
                else Concern.Status.DISCUSSED
                if roll < 0.85
                else Concern.Status.RESPONDED
                if roll < 0.95
                else Concern.Status.NEW
            )
        else:
            concern.status = (
                Concern.Status.NEW
                if roll < 0.6
                else Concern.Status.DISCUSSED
                if roll < 0.9
                else Concern.Status.ESCALATED
            )
        if concern.status in (Concern.Status.DISCUSSED, Concern.Status.CLOSED):
            at = bisect.bisect_left(meeting_days, raised_on)
            if at < len(meetings) and meetings[at].occurrence_date <= today:
                concern.meeting = meetings[at]
                concern.meeting_outcome = "Noted; shared with the provider for a response."
        concerns.append(concern)
        picked = {name}
        if rng.random() < 0.25:
            picked.add(rng.choices(names, weights=weights)[0])
        theme_links.append(picked)
    with explicit_timestamps(*fields_of(Concern, "logged_at")):
        bulk(Concern, concerns)
    through = Concern.themes.through
    bulk(
        through,
        [
            through(concern_id=concern.pk, theme_id=themes[name].pk)
            for concern, picked in zip(concerns, theme_links, strict=True)
            for name in sorted(picked)
        ],
        batch_size=5000,
    )

    escalations = []
    for concern in concerns:
        if concern.status not in (Concern.Status.ESCALATED, Concern.Status.RESPONDED):
            continue
        escalated_at = area.past_moment(concern.raised_on + datetime.timedelta(days=7))
        escalation = Escalation(
            concern=concern,
            area=area.local_area,
            question="What will the ICB do about this, and by when?",
            escalated_by=people["dco"],
            escalated_at=escalated_at,
        )
        if concern.status == Concern.Status.RESPONDED:
            escalation.response = "The ICB has funded extra capacity and will report monthly."
            escalation.action = "Waiting times published at each Health Café."
            escalation.responded_by = people["commissioner"]
            escalation.responded_at = min(
                escalated_at + datetime.timedelta(days=rng.randint(10, 60)),
                area.past_moment(today),
            )
        escalations.append(escalation)
    with explicit_timestamps(*fields_of(Escalation, "escalated_at")):
        bulk(Escalation, escalations)
    return {"concerns": len(concerns), "escalations": len(escalations)}
