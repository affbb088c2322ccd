"""England's published figures, shown beside the local areas' own on the ICB's page.

Only a figure measured the same way as the portal's goes here, with its year and source,
so a reader can check it. Update it when the Department for Education publishes the next
year (each June).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PublishedFigure:
    percent: float
    year: str
    measure: str
    source: str
    url: str


#: New EHC plans issued within the 20 weeks of reg 13(2), England, calendar year 2024,
#: with the cases where an exception applied left out of the count (down from 60.4% in
#: 2019). Department for Education, "Education, health and care plans", reporting year
#: 2025, published June 2025.
PLANS_WITHIN_20_WEEKS = PublishedFigure(
    percent=46.4,
    year="2024",
    measure="new EHC plans issued within 20 weeks, cases with an exception left out",
    source="Department for Education, Education, health and care plans (June 2025)",
    url="https://explore-education-statistics.service.gov.uk/find-statistics/education-health-and-care-plans",
)
