"""The deadlines of health's side of a SEND Tribunal appeal, each with its source.

Sources:
- The Special Educational Needs and Disability (First-tier Tribunal Recommendations Power)
  Regulations 2017 (SI 2017/1306), cited as "reg": when the Tribunal makes a recommendation
  about the health care provision of an EHC plan, the responsible commissioning body
  responds in writing to the parent or young person and to the council, saying what it
  will do or why it will not follow the recommendation, within 5 weeks of the date of the
  recommendation (reg 6).

  Checked on 2026-12-06 against legislation.gov.uk's explanatory note to SI 2017/1306
  (https://www.legislation.gov.uk/uksi/2017/1306/note): the title, the number, and that
  reg 6 is the regulation on health recommendations sent to the responsible commissioning
  body. The words of its time limit could not be read there; if they say "5 weeks
  beginning with" the date, the first day counts and the last day is a day before ``response_due``
  (one constant below). Check https://www.legislation.gov.uk/uksi/2017/1306/regulation/6
  before relying on the last day.
- The dates by which the Tribunal asks for evidence are set by the Tribunal in each case
  (Tribunal Procedure (First-tier Tribunal) (Health, Education and Social Care Chamber)
  Rules 2008, rule 5 case management directions): the portal stores the date it sets.

Deadlines are calendar dates, as in ``ehcp/statutory.py``: 5 weeks from the recommendation
ends 35 days after its date, whatever the clock change does to the hours in between, and
"today" is the date in Europe/London (``timezone.localdate``).
"""

from __future__ import annotations

import datetime

from ehcp.statutory import DeadlineStatus, deadline_status

#: reg 6: health responds to a recommendation within 5 weeks of the date it was made.
RESPONSE_PERIOD = datetime.timedelta(weeks=5)

#: Reminders go out this many days before a due date (local practice), and on the day.
REMIND_BEFORE = (datetime.timedelta(days=7), datetime.timedelta(days=0))

__all__ = ["DeadlineStatus", "deadline_status", "response_due", "is_response_on_time"]


def response_due(recommendation_made_on: datetime.date) -> datetime.date:
    """reg 6: the last day for the written response, 5 weeks after the recommendation.

    A recommendation made on a Monday is answered by the Monday 5 weeks later: the day
    it was made does not count and the last day does (as "within 5 weeks of" is read for
    the 6 weeks of health advice in ehcp/statutory.py).
    """
    return recommendation_made_on + RESPONSE_PERIOD


def is_response_on_time(recommendation_made_on: datetime.date, sent_on: datetime.date) -> bool:
    """Sent to the family and the council on or before the last day of the 5 weeks."""
    return sent_on <= response_due(recommendation_made_on)
