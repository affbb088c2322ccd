"""The ICB agrees the health provision in section G of a version (CFA 2014 s42(3))."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from rules.contrib.views import permission_required

from ehcp import quality, selectors, services
from ehcp.forms import AgreeProvisionForm
from ehcp.models import SectionsVersion
from ehcp.views.printing import VersionPrintout
from roles.models import RoleCode
from roles.selectors import current_assignment


@permission_required("ehcp.agree_provision", raise_exception=True)
def agree_provision(request, pk: int):
    try:
        version = selectors.version_for_print(request.user, pk)
    except SectionsVersion.DoesNotExist:
        raise Http404("No such version.") from None
    plan = version.plan
    if request.method == "POST":
        form = AgreeProvisionForm(request.POST)
        if form.is_valid():
            try:
                services.agree_provision(version, request.user, form.cleaned_data["note"].strip())
            except services.RefusedChange as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(
                    request,
                    f"You have agreed the health provision in version {version.number} "
                    "for the ICB.",
                )
                return redirect("ehcp:plan", pk=plan.pk)
    else:
        form = AgreeProvisionForm()

    printout = VersionPrintout.of(version)
    child = printout.child
    services.record_child_access(request, child, "agree health provision")
    assignment = current_assignment(request.user, RoleCode.COMMISSIONER)
    return render(
        request,
        "ehcp/agreement/agree.html",
        {
            "form": form,
            "printout": printout,
            "version": version,
            "child": child,
            "organisation_name": assignment.organisation.name if assignment else "the ICB",
            "findings": quality.provision_findings(version.section_g),
            # The same rule the service applies: no button it would refuse.
            "can_agree": services.agreement_refusal(version) is None,
            "breadcrumbs": [
                ("Home", reverse("home")),
                ("Health sections", reverse("ehcp:plan", args=[plan.pk])),
            ],
        },
    )
