"""A person's private calendar feed: the page that gives its address, and the feed itself.

The feed is the one page open without signing in (calendar apps cannot sign in): the
secret token in its address is the key. An unknown or revoked token gets a plain 404 that
says nothing about whose feed it was.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from meetings import calendar, services
from meetings.models import CalendarFeed
from send_portal.notifications import portal_url

TOKEN_MAX_LENGTH = CalendarFeed._meta.get_field("token").max_length


@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    if request.method == "POST":
        services.new_calendar_address(request.user)
        messages.success(
            request,
            "Your calendar has a new address. The old address no longer works: add the new one "
            "to your calendar app.",
        )
        return redirect("meetings:calendar")
    feed = services.calendar_feed_for(request.user)
    address = portal_url(reverse("meetings:calendar-feed", args=[feed.token]), request)
    return render(
        request,
        "meetings/calendar/settings.html",
        {
            "address": address,
            "webcal_address": "webcal://" + address.split("://", 1)[-1],
            "breadcrumbs": [("Home", reverse("home")), ("Your meetings", reverse("meetings:mine"))],
        },
    )


@login_not_required
@require_safe
def calendar_feed(request, token):
    if len(token) > TOKEN_MAX_LENGTH:
        raise Http404
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404
    response = HttpResponse(
        calendar.feed(feed.user, request=request), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="send-meetings.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
