"""The API's addresses, under ``/api/v1/`` (``send_portal/urls.py``).

Every view here authenticates by access token, never by the portal's sign-in session, so
each is marked ``login_not_required`` for Django's LoginRequiredMiddleware (which would
otherwise send a case system to the sign-in page): the API's own authentication and
permission classes guard them instead.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from oauth2_provider.views import TokenView

app_name = "api"

urlpatterns = [
    path("token/", TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
]

for _pattern in urlpatterns:
    login_not_required(_pattern.callback)
