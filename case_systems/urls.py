"""The API's addresses, under ``/api/v1/`` (``send_portal/urls.py``).

Every view here authenticates by access token, never by the portal's sign-in session, so
each is marked ``login_not_required`` for Django's LoginRequiredMiddleware (which would
otherwise send a case system to the sign-in page): the API's own authentication and
permission classes guard them instead.
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from case_systems import changes, views

app_name = "api"

urlpatterns = [
    path("token/", views.TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("areas/", views.AreaList.as_view(), name="areas"),
    path("providers/", views.ProviderList.as_view(), name="providers"),
    path("children/", views.ChildList.as_view(), name="children"),
    path("children/<id:pk>/", views.ChildDetail.as_view(), name="child"),
    path(
        "children/<id:pk>/assessments/",
        views.ChildAssessments.as_view(),
        name="child-assessments",
    ),
    path("assessments/<id:pk>/", views.AssessmentDetail.as_view(), name="assessment"),
    path(
        "assessments/<id:pk>/advice-requests/",
        views.AssessmentAdviceRequests.as_view(),
        name="assessment-advice-requests",
    ),
    path(
        "assessments/<id:pk>/signed-sections/",
        views.SignedSections.as_view(),
        name="signed-sections",
    ),
    path("advice-requests/<id:pk>/", views.AdviceRequestDetail.as_view(), name="advice-request"),
    path(
        "sections-versions/<id:pk>/pdf/",
        views.SignedSectionsPdf.as_view(),
        name="sections-pdf",
    ),
    path("changes/", changes.ChangesFeed.as_view(), name="changes"),
]

for _pattern in urlpatterns:
    login_not_required(_pattern.callback)
