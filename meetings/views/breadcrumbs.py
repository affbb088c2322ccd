"""Where the meetings pages lead back to: the dashboard for whoever may open it; a chair
without it (a panel's chair) goes back to their meetings. A breadcrumb never leads to a
refusal."""

from django.urls import reverse


def back_to_meetings(user) -> list[tuple[str, str]]:
    if user.has_perm("meetings.view_dashboard"):
        return [("Home", reverse("home")), ("Meetings dashboard", reverse("meetings:dashboard"))]
    return [("Home", reverse("home")), ("My meetings", reverse("meetings:mine"))]
