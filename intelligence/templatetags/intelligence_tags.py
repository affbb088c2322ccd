"""Template helpers for intelligence pages: a concern's status as an NHS.UK tag."""

from django import template

from intelligence.models import Concern
from nhsuk_forms.templatetags.nhsuk_components import status_tag

register = template.Library()

# New work is blue, waiting on others orange, answered green; the rest is history (grey).
CONCERN_STATUS_COLOUR = {
    Concern.Status.NEW: "blue",
    Concern.Status.ESCALATED: "orange",
    Concern.Status.RESPONDED: "green",
}


@register.simple_tag
def concern_status_tag(concern):
    return status_tag(
        concern.get_status_display(), CONCERN_STATUS_COLOUR.get(concern.status, "grey")
    )
