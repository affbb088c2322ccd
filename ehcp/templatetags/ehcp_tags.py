"""Small template helpers for deadline and plan status tags."""

from django import template
from django.template.defaultfilters import pluralize

from ehcp import statutory
from ehcp.presenters import PLAN_STATUS_TAG_COLOUR, STATUS_TAG_COLOUR
from nhsuk_forms.templatetags.nhsuk_components import status_tag

register = template.Library()


@register.simple_tag
def deadline_tag(due, done_on=None):
    """An NHS.UK tag saying how a deadline stands today."""
    status = statutory.deadline_status(due, done_on)
    return status_tag(status.label, STATUS_TAG_COLOUR[status])


@register.simple_tag
def plan_status_tag(plan_status):
    from ehcp.models import Plan

    status = Plan.Status(plan_status)
    return status_tag(status.label, PLAN_STATUS_TAG_COLOUR[status])


@register.simple_tag
def quality_status_tag(open_findings, checklist_run):
    """The sign-off queue's quality status of a plan: what the DMO will have to acknowledge
    (``quality.sign_off_findings``), as one tag."""
    others = len(open_findings) - (0 if checklist_run else 1)
    if not checklist_run:
        text = "Checklist not run"
        if others:
            text += f", {others} other open finding{pluralize(others)}"
        colour = "orange"
    elif others:
        text, colour = f"{others} open finding{pluralize(others)}", "yellow"
    else:
        text, colour = "No findings", "green"
    return status_tag(text, colour)
