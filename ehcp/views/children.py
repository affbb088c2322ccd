"""Children and young people: the list, a child's record, adding a child."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from rules.contrib.views import permission_required

from ehcp import selectors, services
from ehcp.filters import ChildFilter
from ehcp.forms import ChildForm
from ehcp.models import Child
from ehcp.presenters import AssessmentPresenter
from send_portal.paging import page_by_ids

PAGE_SIZE = 25


@permission_required("ehcp.view_children", raise_exception=True)
def child_list(request):
    children = ChildFilter(
        request.GET, queryset=selectors.children_visible_to(request.user).select_related("area")
    )
    page = page_by_ids(
        children.qs.order_by("last_name", "first_name", "pk"), request.GET.get("page"), PAGE_SIZE
    )
    return render(
        request,
        "ehcp/child_list.html",
        {"filter": children, "page": page, "breadcrumbs": [("Home", reverse("home"))]},
    )


@permission_required("ehcp.manage_assessments", raise_exception=True)
def child_create(request):
    form = ChildForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        child = form.save()
        messages.success(request, f"{child.full_name} has been added.")
        return redirect("ehcp:child", pk=child.pk)
    return render(
        request,
        "ehcp/child_form.html",
        {
            "form": form,
            "breadcrumbs": [("Home", reverse("home")), ("Children", reverse("ehcp:children"))],
        },
    )


_child_record = selectors.reachable_getter(Child)


@permission_required("ehcp.view_child", fn=_child_record, raise_exception=True)
def child_detail(request, pk: int):
    child = _child_record(request, pk=pk)
    services.record_child_access(request, child, "child record")
    assessments = [
        AssessmentPresenter(a)
        for a in child.assessments.select_related("plan").order_by("-requested_on")
    ]
    return render(
        request,
        "ehcp/child_detail.html",
        {
            "child": child,
            "assessments": assessments,
            "breadcrumbs": [("Home", reverse("home")), ("Children", reverse("ehcp:children"))],
        },
    )
