"""The role directory, each role's history, and a person's roles over time."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from rules.contrib.views import objectgetter, permission_required

from roles import selectors
from roles.models import Role, User

HISTORY_PAGE_SIZE = 25
#: Holders named under each role on the directory; the role's page names them all.
DIRECTORY_HOLDERS_SHOWN = 10


@permission_required("roles.view_role_directory", raise_exception=True)
def directory(request):
    return render(
        request,
        "roles/directory.html",
        {
            "roles": selectors.role_directory(holders_shown=DIRECTORY_HOLDERS_SHOWN),
            "breadcrumbs": [("Home", reverse("home"))],
        },
    )


@permission_required("roles.view_role_history", raise_exception=True)
def role_detail(request, code: str):
    role = get_object_or_404(Role, code=code)
    current = selectors.role_directory().get(pk=role.pk).current_assignments
    page = Paginator(selectors.role_history(role), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "roles/role_detail.html",
        {
            "role": role,
            "current_assignments": current,
            "page": page,
            "breadcrumbs": [("Home", reverse("home")), ("Roles", reverse("roles:directory"))],
        },
    )


@permission_required("roles.view_person", fn=objectgetter(User, "pk"), raise_exception=True)
def person(request, pk: int):
    person = get_object_or_404(User, pk=pk)
    crumbs = [("Home", reverse("home"))]
    if request.user.has_perm("roles.view_role_directory"):
        crumbs.append(("Roles", reverse("roles:directory")))
    return render(
        request,
        "roles/person.html",
        {
            "person": person,
            "assignments": selectors.person_assignments(person),
            "is_me": person.pk == request.user.pk,
            "breadcrumbs": crumbs,
        },
    )


def my_roles(request):
    return redirect("roles:person", pk=request.user.pk)
