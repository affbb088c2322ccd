"""Small template helpers for deadline and plan status tags."""

from django import template

from ehcp import presenters

register = template.Library()


@register.simple_tag
def deadline_tag(due, done_on=None):
    """An NHS.UK tag saying how a deadline stands today."""
    return presenters.deadline_tag(due, done_on)


@register.simple_tag
def plan_status_tag(plan_status):
    return presenters.plan_status_tag(plan_status)


@register.simple_tag
def quality_status_tag(open_findings, checklist_run):
    """The sign-off queue's quality status of a plan (``presenters.quality_status_tag``)."""
    return presenters.quality_status_tag(open_findings, checklist_run)
