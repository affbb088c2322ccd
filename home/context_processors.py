"""Values every page needs: the service name and the navigation this user may use."""

from django.conf import settings
from django.http import HttpRequest

from home.navigation import navigation_for
from roles.selectors import areas_of, place_name, service_name_in


def portal(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    several = len(areas_of(user)) > 1
    # The header, title and footer name the areas the person works in (read with the user:
    # no query): a Sunderland DCO is not told they are in South Tyneside.
    place = place_name(user, settings.LOCAL_AREA_NAME)
    return {
        "service_name": service_name_in(place),
        "local_area_name": place,
        "primary_navigation": navigation_for(request),
        # Someone working in several local areas sees the area named on each row of a list
        # (read with the user: no query): the children's records through ``area_column``
        # (the header is left out otherwise: nhsuk_tables), meetings, clinic and concerns
        # through ``works_in_several_areas``. A request made without the middleware (a
        # template drawn in a test) has no user: one area, nothing to tell apart.
        "area_column": "Local area" if several else "",
        "works_in_several_areas": several,
    }
