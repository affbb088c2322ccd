"""Values every page needs: the service name and the navigation this user may use."""

from django.conf import settings
from django.http import HttpRequest

from home.navigation import navigation_for
from roles.selectors import areas_of


def portal(request: HttpRequest) -> dict:
    return {
        "service_name": settings.SERVICE_NAME,
        "local_area_name": settings.LOCAL_AREA_NAME,
        "primary_navigation": navigation_for(request),
        # The lists of children's records name each row's local area for someone who works
        # in several (the header is left out otherwise: nhsuk_tables). Read with the user.
        "area_column": "Local area" if len(areas_of(request.user)) > 1 else "",
        # Someone working in several local areas sees the area named on each row of a list
        # (read with the user: no query).
        "works_in_several_areas": len(areas_of(getattr(request, "user", None))) > 1,
    }
