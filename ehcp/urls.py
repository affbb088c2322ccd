from django.urls import path

from ehcp.views import (
    advice,
    agreement,
    assessments,
    children,
    plan_lists,
    printing,
    quality,
    reviews,
    sections,
    sign_off,
)

app_name = "ehcp"

urlpatterns = [
    # Children and young people, and their assessments
    path("children/", children.child_list, name="children"),
    path("children/new/", children.child_create, name="child-create"),
    path("children/<id:pk>/", children.child_detail, name="child"),
    path(
        "children/<id:pk>/assessments/new/",
        assessments.assessment_create,
        name="assessment-create",
    ),
    path("assessments/<id:pk>/", assessments.assessment_detail, name="assessment"),
    path("assessments/<id:pk>/dates/", assessments.assessment_dates, name="assessment-dates"),
    path(
        "assessments/<id:pk>/exceptions/new/",
        assessments.exception_create,
        name="exception-create",
    ),
    # Health advice
    path("advice/", advice.advice_list, name="advice-list"),
    path(
        "assessments/<id:pk>/advice/new/",
        advice.advice_request_create,
        name="advice-request-create",
    ),
    path("advice/<id:pk>/", advice.advice_detail, name="advice"),
    path("advice/<id:pk>/chase/", advice.advice_chase, name="advice-chase"),
    # Health sections C and G
    path("plans/<id:pk>/", sections.plan_detail, name="plan"),
    path("plans/<id:pk>/edit/", sections.sections_edit, name="sections-edit"),
    path("plans/<id:pk>/send-for-sign-off/", sections.sections_submit, name="sections-submit"),
    path("plans/<id:pk>/quality/", quality.quality_review, name="quality-review"),
    # Medical sign-off
    path("sign-off/", sign_off.queue, name="sign-off-queue"),
    path("sign-off/<id:pk>/", sign_off.review, name="sign-off-review"),
    path("sign-off/<id:pk>/return/", sign_off.return_sections, name="sign-off-return"),
    path("versions/<id:pk>/print/", printing.version_print, name="version-print"),
    path("versions/<id:pk>/pdf/", printing.version_pdf, name="version-pdf"),
    path("versions/<id:pk>/agree/", agreement.agree_provision, name="version-agree"),
    path("plans/returned/", plan_lists.returned, name="plans-returned"),
    path(
        "plans/awaiting-agreement/", plan_lists.awaiting_agreement, name="plans-awaiting-agreement"
    ),
    # Annual reviews
    path("annual-reviews/", reviews.review_list, name="annual-reviews"),
    path("annual-reviews/<id:pk>/", reviews.review_detail, name="annual-review"),
    path(
        "annual-reviews/<id:pk>/health-input/new/",
        reviews.review_input_request,
        name="annual-review-input",
    ),
]
