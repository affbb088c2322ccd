"""The DMO's sign-off queue, the review page, signing off and returning for amendment."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from rules.contrib.views import permission_required

from ehcp import presenters, quality, selectors, services
from ehcp.filters import SignOffQueueFilter
from ehcp.forms import ReturnForm, SignOffForm
from ehcp.models import SectionsVersion
from session_security import step_up

PAGE_SIZE = 25


@permission_required("ehcp.view_sign_off_queue", raise_exception=True)
def queue(request):
    plans = SignOffQueueFilter(
        request.GET, queryset=selectors.plans_waiting(request.user), request=request
    )
    filtered = not plans.form.is_valid() or any(
        value not in (None, "") for value in plans.form.cleaned_data.values()
    )
    page = selectors.sign_off_queue_page(
        request.user, plans.qs if filtered else None, request.GET.get("page"), PAGE_SIZE
    )
    return render(
        request,
        "ehcp/sign_off_queue.html",
        {
            "filter": plans,
            "page": page,
            "rows": presenters.queue_rows(page.object_list),
            # Unfiltered, the pages already counted every plan waiting.
            "waiting": selectors.plans_waiting_count(request.user)
            if filtered
            else page.paginator.count,
            "breadcrumbs": [("Home", reverse("home"))],
        },
    )


def _review_page(request, version, sign_off_form=None, return_form=None, status=200):
    plan = version.plan
    child = plan.assessment.child
    services.record_child_access(request, child, "sign-off review")
    is_waiting = services.waits_for_sign_off(version)
    can_sign = is_waiting and request.user.has_perm("ehcp.sign_off_plan")
    findings = (
        selectors.open_sign_off_findings(version)
        if is_waiting
        else quality.sections_findings(version.section_c, version.section_g)
    )
    if can_sign and sign_off_form is None:
        sign_off_form = SignOffForm(
            initial={"registration_number": request.user.registration_number},
            findings=findings,
            with_password=not step_up.confirms_elsewhere(request),
        )
    if can_sign and return_form is None:
        return_form = ReturnForm()
    # Signed in through NHS CIS2 or Entra ID: the DMO confirms it is them at the provider
    # (as others type their password) before the form is offered.
    confirm_first = (
        step_up.confirm_password_url(reverse("ehcp:sign-off-review", args=[version.pk]))
        if can_sign
        and step_up.confirms_elsewhere(request)
        and not step_up.password_recently_confirmed(request)
        else None
    )
    return render(
        request,
        "ehcp/sign_off_review.html",
        {
            "confirm_first": confirm_first,
            "version": version,
            "plan": plan,
            "child": child,
            "assessment": plan.assessment,
            "advice_requests": selectors.advice_for_assessment(plan.assessment),
            "quality_review": plan.quality_reviews.select_related("reviewed_by")
            .prefetch_related("results__criterion")
            .first(),
            "findings": findings,
            "is_waiting": is_waiting,
            "can_sign": can_sign,
            "sign_off_form": sign_off_form if can_sign else None,
            "form": sign_off_form if can_sign else None,  # "Error: " in the page title
            "return_form": return_form if can_sign else None,
            "attestation": services.ATTESTATION,
            "sign_off": getattr(version, "sign_off", None),
            "breadcrumbs": [
                ("Home", reverse("home")),
                ("Sign-off queue", reverse("ehcp:sign-off-queue")),
            ],
        },
        status=status,
    )


def _version(request, pk):
    return get_object_or_404(
        selectors.reachable_by(request.user, SectionsVersion).select_related(
            "plan__assessment__child", "submitted_by", "sign_off__signed_by"
        ),
        pk=pk,
    )


@permission_required("ehcp.view_sign_off_queue", raise_exception=True)
def review(request, pk: int):
    version = _version(request, pk)
    if request.method == "POST":
        if not request.user.has_perm("ehcp.sign_off_plan"):
            # Others on the queue review; only the DMO signs. Refused and logged, not a form error.
            raise PermissionDenied
        elsewhere = step_up.confirms_elsewhere(request)
        if elsewhere and not step_up.password_recently_confirmed(request):
            # Signed in through NHS CIS2 or Entra ID, and the last authentication there is
            # stale: back to the page, which offers to confirm it there first (a link: a
            # form's redirect to the provider would break the form-action policy).
            messages.info(request, "Confirm it is you before you sign off.")
            return redirect("ehcp:sign-off-review", pk=version.pk)
        form = SignOffForm(
            request.POST,
            findings=selectors.open_sign_off_findings(version),
            with_password=not elsewhere,
        )
        if form.is_valid():
            try:
                signed = services.sign_off(
                    version,
                    request.user,
                    form.cleaned_data.get("password", ""),
                    form.cleaned_data["registration_number"],
                    form.reasons(),
                    confirmed_at_provider=elsewhere,
                )
            except services.RefusedChange as refusal:
                form.add_error(None, str(refusal))
            else:
                if elsewhere:
                    # Spent: the next sign-off asks the provider again, as a password
                    # sign-off asks for the password every time.
                    step_up.forget_password_entered(request)
                else:
                    # The password was just checked: other sensitive actions need not ask.
                    step_up.note_password_entered(request)
                messages.success(
                    request,
                    f"Version {version.number} signed off. SHA-256 of the signed text: "
                    f"{signed.text_hash}",
                )
                return redirect("ehcp:plan", pk=version.plan_id)
        return _review_page(request, version, sign_off_form=form)
    return _review_page(request, version)


@require_POST
@permission_required("ehcp.return_plan", raise_exception=True)
def return_sections(request, pk: int):
    version = _version(request, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.return_for_amendment(version, request.user, form.cleaned_data["comments"])
        except services.RefusedChange as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(
                request, "The sections have been returned; the author has been told by email."
            )
            return redirect("ehcp:sign-off-queue")
    return _review_page(request, version, return_form=form)
