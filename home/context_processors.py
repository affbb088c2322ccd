"""Values every page needs: the service name and the navigation this user may use."""

from django.conf import settings
from django.http import HttpRequest

from home.navigation import navigation_for
from roles.selectors import areas_of


def portal(request: HttpRequest) -> dict:
    several = len(areas_of(getattr(request, "user", None))) > 1
    return {
        "service_name": settings.SERVICE_NAME,
        "local_area_name": settings.LOCAL_AREA_NAME,
        "primary_navigation": navigation_for(request),
        # Someone working in several local areas sees the area named on each row of a list
        # (read with the user: no query): the children's records through ``area_column``
        # (the header is left out otherwise: nhsuk_tables), meetings, clinic and concerns
        # through ``works_in_several_areas``. A request made without the middleware (a
        # template drawn in a test) has no user: one area, nothing to tell apart.
        "area_column": "Local area" if several else "",
        "works_in_several_areas": several,
    }
