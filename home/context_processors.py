"""Values every page needs: the service name and the navigation this user may use."""

from django.conf import settings
from django.http import HttpRequest

from home.navigation import navigation_for


def portal(request: HttpRequest) -> dict:
    return {
        "service_name": settings.SERVICE_NAME,
        "local_area_name": settings.LOCAL_AREA_NAME,
        "primary_navigation": navigation_for(request),
    }
