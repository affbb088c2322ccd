"""The plan page (sections C and G with their whole history) and editing the sections."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from ehcp import quality, selectors, services
from ehcp.forms import ProvisionFormSet, SectionCForm
from ehcp.models import G_ROW_FIELDS, Plan
from ehcp.presenters import PlanHistory, version_cards
from send_portal.forms import whole_number
from send_portal.page_records import fetched_once


def _crumbs(plan, user):
    """Home, then the child and the assessment for whoever may open them (commissioners
    see plans only): a breadcrumb never leads to a refusal."""
    child = plan.assessment.child
    crumbs = [("Home", reverse("home"))]
    if user.has_perm("ehcp.view_child", child):
        crumbs += [
            (child.full_name, reverse("ehcp:child", args=[child.pk])),
            ("Assessment", reverse("ehcp:assessment", args=[plan.assessment_id])),
        ]
    return crumbs


def _plan_records(request, pk: int) -> selectors.PlanRecords:
    """The page's plan among those the person reaches (404 for another area's), with all the
    page shows: fetched once, for the rule (which reads its area) and then for the page."""
    return fetched_once(
        request, (Plan, pk, "plan page"), lambda: selectors.plan_for_page(request.user, pk)
    )


def _plan_for_page(request, pk: int) -> Plan:
    return _plan_records(request, pk).plan


@permission_required("ehcp.view_plan", fn=_plan_for_page, raise_exception=True)
def plan_detail(request, pk: int):
    records = _plan_records(request, pk)
    plan = records.plan
    child = plan.assessment.child
    services.record_child_access(request, child, "health sections")
    versions = records.versions  # newest first
    newest = versions[0] if versions else None
    agreeable = (
        newest
        if newest and services.agreement_refusal(newest, newest_number=newest.number) is None
        else None
    )
    return render(
        request,
        "ehcp/plan_detail.html",
        {
            "plan": plan,
            "child": child,
            # Each version's card, with a link to agree it only on the one version the ICB
            # may agree now, for someone who may agree provision.
            "versions": version_cards(
                records, agreeable, request.user.has_perm("ehcp.agree_provision")
            ),
            "waiting_version": versions[0] if plan.status in Plan.WAITING_FOR_SIGN_OFF else None,
            "findings": quality.provision_findings(plan.section_g)
            + quality.section_c_findings(plan.section_c),
            "quality_reviews": records.quality_reviews,
            "history": PlanHistory.of(records.saves, versions, records.returns),
            "can_edit": request.user.has_perm("ehcp.edit_sections", plan)
            and plan.status not in Plan.WAITING_FOR_SIGN_OFF,
            "breadcrumbs": _crumbs(plan, request.user),
        },
    )


def _rows_from(formset) -> list[dict]:
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if data.get("DELETE") or not data.get("provision"):
            continue
        rows.append({key: data.get(key, "").strip() for key in G_ROW_FIELDS})
    return rows


@permission_required(
    "ehcp.edit_sections", fn=selectors.reachable_getter(Plan), raise_exception=True
)
def sections_edit(request, pk: int):
    plan = get_object_or_404(
        selectors.reachable_by(request.user, Plan).select_related("assessment__child"), pk=pk
    )
    stale = False
    if request.method == "POST":
        form = SectionCForm(request.POST)
        formset = ProvisionFormSet(request.POST, prefix="g")
        if form.is_valid() and formset.is_valid():
            try:
                services.save_sections(
                    plan,
                    request.user,
                    form.cleaned_data["section_c"],
                    _rows_from(formset),
                    form.cleaned_data["edit_count"],
                )
            except services.StaleEdit as refusal:
                stale = True
                form.add_error(None, str(refusal))
                plan.refresh_from_db()
            except services.RefusedChange as refusal:
                form.add_error(None, str(refusal))
            else:
                plan.refresh_from_db()
                if plan.status == Plan.Status.AWAITING_SIGN_OFF_AGAIN:
                    messages.success(
                        request,
                        "Saved. The sections had been signed off, so this change has gone to "
                        "the DMO to sign off again; the signed version is kept.",
                    )
                else:
                    messages.success(request, "The health sections have been saved.")
                return redirect("ehcp:plan", pk=plan.pk)
    else:
        form = SectionCForm(initial={"section_c": plan.section_c, "edit_count": plan.edit_count})
        formset = ProvisionFormSet(initial=plan.section_g, prefix="g")
    services.record_child_access(request, plan.assessment.child, "edit health sections")
    return render(
        request,
        "ehcp/sections_form.html",
        {
            "plan": plan,
            "form": form,
            "formset": formset,
            "stale": stale,
            "advice_requests": selectors.advice_for_assessment(plan.assessment),
            "breadcrumbs": _crumbs(plan, request.user)
            + [("Health sections", reverse("ehcp:plan", args=[pk]))],
        },
    )


@require_POST
@permission_required(
    "ehcp.edit_sections", fn=selectors.reachable_getter(Plan), raise_exception=True
)
def sections_submit(request, pk: int):
    plan = get_object_or_404(selectors.reachable_by(request.user, Plan), pk=pk)
    try:
        version = services.submit_for_sign_off(
            plan,
            request.user,
            # Not a count the page wrote: -1 matches no plan, so the change is refused as stale.
            whole_number(request.POST.get("edit_count"), default=-1, low=0),
        )
    except services.RefusedChange as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, f"Version {version.number} has been sent to the DMO for medical sign-off."
        )
    return redirect("ehcp:plan", pk=pk)
