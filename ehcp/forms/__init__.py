"""The EHC plan forms, one module per part of the work:

- ``assessment``: a child, their EHC needs assessment (its dates and clock exceptions) and
  the health advice asked for it;
- ``sections``: sections C and G, and the DMO's sign-off or return of them;
- ``quality``: the quality checklist, and the ICB's agreement of the provision;
- ``annual_review``: annual reviews: the meeting, the decision, the amended plan, the health
  input asked for, and the list's filter.

Import them from here (``from ehcp.forms import ChildForm``).
"""

from ehcp.forms.annual_review import (
    AMENDED_PLAN_BUTTON,
    DECISION_BUTTON,
    MEETING_BUTTON,
    AmendedPlanFinalForm,
    AnnualReviewFilter,
    ReviewDecisionForm,
    ReviewInputRequestForm,
    ReviewMeetingForm,
)
from ehcp.forms.assessment import (
    AdviceForm,
    AdviceRequestForm,
    AssessmentDatesForm,
    AssessmentForm,
    ChildForm,
    ClockExceptionForm,
    provider_organisations,
)
from ehcp.forms.quality import AgreeProvisionForm, QualityReviewForm
from ehcp.forms.sections import (
    ProvisionFormSet,
    ProvisionRowForm,
    ReturnForm,
    SectionCForm,
    SignOffForm,
)

__all__ = [
    "AMENDED_PLAN_BUTTON",
    "DECISION_BUTTON",
    "MEETING_BUTTON",
    "AdviceForm",
    "AdviceRequestForm",
    "AgreeProvisionForm",
    "AmendedPlanFinalForm",
    "AnnualReviewFilter",
    "AssessmentDatesForm",
    "AssessmentForm",
    "ChildForm",
    "ClockExceptionForm",
    "ProvisionFormSet",
    "ProvisionRowForm",
    "QualityReviewForm",
    "ReturnForm",
    "ReviewDecisionForm",
    "ReviewInputRequestForm",
    "ReviewMeetingForm",
    "SectionCForm",
    "SignOffForm",
    "provider_organisations",
]
