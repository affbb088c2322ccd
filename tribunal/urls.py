from django.urls import path

from tribunal import views

app_name = "tribunal"

urlpatterns = [
    path("tribunal/appeals/", views.appeal_list, name="appeals"),
    path("tribunal/appeals/new/", views.appeal_create, name="appeal-create"),
    path("tribunal/appeals/<id:pk>/", views.appeal_detail, name="appeal"),
    path("tribunal/appeals/<id:pk>/decision/", views.appeal_decision, name="appeal-decision"),
    path(
        "tribunal/appeals/<id:pk>/evidence/new/",
        views.evidence_request_create,
        name="evidence-request-create",
    ),
    path("tribunal/evidence/<id:pk>/", views.evidence, name="evidence"),
    path("tribunal/evidence/<id:pk>/sent/", views.evidence_sent, name="evidence-sent"),
    path("tribunal/appeals/<id:pk>/witnesses/new/", views.witness_create, name="witness-create"),
    path("tribunal/witnesses/<id:pk>/confirm/", views.witness_confirm, name="witness-confirm"),
    path(
        "tribunal/appeals/<id:pk>/recommendations/new/",
        views.recommendation_create,
        name="recommendation-create",
    ),
    path("tribunal/recommendations/<id:pk>/response/", views.response_draft, name="response"),
    path(
        "tribunal/recommendations/<id:pk>/approve/",
        views.response_approve,
        name="response-approve",
    ),
    path(
        "tribunal/recommendations/<id:pk>/letter.pdf",
        views.response_letter,
        name="response-letter",
    ),
    path("tribunal/recommendations/<id:pk>/sent/", views.response_sent, name="response-sent"),
]
