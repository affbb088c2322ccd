"""The API's endpoints: thin, like the pages' views.

Each one checks the scope (``permissions.HasResourceScope``, by the view's ``resource``),
fetches its record through ``ehcp.selectors.reachable_by`` (another organisation's or
area's record is a 404, as on the pages), asks the same named permission the page asks
(``ehcp/rules.py``, for the case system's account), and calls the same form and service
the page calls. A service's ``RefusedChange`` becomes a 422 problem (``problems.py``).
"""

from __future__ import annotations

import math
import re

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from oauth2_provider import views as oauth2_views
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response

from audit.services import Kind, record_event
from case_systems import serializers as api
from case_systems.models import CaseSystem
from case_systems.problems import Conflict, problem_json_response
from case_systems.throttling import TokenRequestThrottle
from ehcp import selectors, services, statutory
from ehcp.forms import AdviceRequestForm, AssessmentForm, ChildForm, provider_organisations
from ehcp.models import AdviceRequest, Assessment, Child, SectionsVersion, signed_text
from ehcp.views.printing import VersionPrintout
from roles.models import LocalArea
from roles.selectors import areas_of
from send_portal.converters import ID_MAX
from send_portal.pdf import pdf_download, pdf_font, render_pdf

# --- What every endpoint shares ---------------------------------------------------------


def _require(request, permission: str, record=None) -> None:
    """The page's own permission, asked for the case system's account: 403 if refused."""
    if not request.user.has_perm(permission, record):
        raise exceptions.PermissionDenied("The portal's rules do not let this client do this.")


def _form_errors(form) -> dict[str, list[str]]:
    """A page form's errors by the API's field names (``date_of_birth_day`` is
    ``date_of_birth``; errors of the whole form are ``non_field_errors``)."""
    errors: dict[str, list[str]] = {}
    for name, messages in form.errors.items():
        key = "non_field_errors" if name == "__all__" else name
        errors.setdefault(key, []).extend(str(m) for m in messages)
    return errors


def _date_parts(name: str, value) -> dict[str, str]:
    """A date as the day, month and year boxes the page's date field reads."""
    if value is None:
        return {}
    return {
        f"{name}_day": str(value.day),
        f"{name}_month": str(value.month),
        f"{name}_year": str(value.year),
    }


def _validated(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _check_page_form(form) -> None:
    if not form.is_valid():
        raise exceptions.ValidationError(_form_errors(form))


def _child_access(request, child: Child, what: str) -> None:
    """A read of a child's record is logged as the pages log it (CHILD_RECORD_VIEWED)."""
    services.record_child_access(request._request, child, f"API: {what}")


ID = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1, "maximum": ID_MAX},
    OpenApiParameter.PATH,
    description="The record's id.",
)


class ApiView(GenericAPIView):
    """An endpoint of the API: ``resource`` names the scopes it needs."""

    resource: str = ""
    # No OPTIONS (the schema describes every endpoint), so Allow names only what answers.
    http_method_names = ["get", "post", "head"]


# --- Areas and providers: what a create names -------------------------------------------


@extend_schema(tags=["reference"])
class AreaList(ApiView):
    """The local areas this client works in (the council's areas)."""

    resource = "children"
    serializer_class = api.AreaSerializer
    pagination_class = None

    @extend_schema(operation_id="areas_list", responses=api.AreaSerializer(many=True))
    def get(self, request):
        areas = LocalArea.objects.filter(pk__in=areas_of(request.user)).order_by("name")
        return Response(api.AreaSerializer(areas, many=True).data)


@extend_schema(tags=["reference"])
class ProviderList(ApiView):
    """The provider organisations health advice may be asked of."""

    resource = "advice"
    serializer_class = api.ProviderSerializer
    pagination_class = None

    @extend_schema(operation_id="providers_list", responses=api.ProviderSerializer(many=True))
    def get(self, request):
        _require(request, "ehcp.view_advice_requests")
        providers = provider_organisations().order_by("name")
        return Response(api.ProviderSerializer(providers, many=True).data)


# --- Children -----------------------------------------------------------------------------


NHS_NUMBER_FILTER = OpenApiParameter(
    "nhs_number",
    {"type": "string", "pattern": api.NHS_NUMBER_PATTERN, "maxLength": api.NHS_NUMBER_TYPED_MAX},
    OpenApiParameter.QUERY,
    required=False,
    description="Only the child with this NHS number (10 digits, spaces allowed).",
)


@extend_schema(tags=["children"])
class ChildList(ApiView):
    """The children of the client's local areas, newest first; and adding a child."""

    resource = "children"
    serializer_class = api.ChildSerializer

    def get_queryset(self):
        return selectors.children_visible_to(self.request.user).select_related("area")

    @extend_schema(
        operation_id="children_list",
        parameters=[NHS_NUMBER_FILTER],
        responses=api.ChildSerializer(many=True),
    )
    def get(self, request):
        _require(request, "ehcp.view_children")
        children = self.get_queryset()
        typed = request.query_params.getlist("nhs_number")
        if typed:
            if len(typed) > 1 or not re.fullmatch(api.NHS_NUMBER_PATTERN, typed[0]):
                raise exceptions.ValidationError(
                    {"nhs_number": ["Give one NHS number of 10 digits, like 943 476 5919."]}
                )
            try:
                digits = statutory.nhs_number_digits(typed[0])
            except statutory.InvalidNhsNumber as problem:
                raise exceptions.ValidationError({"nhs_number": [str(problem)]}) from None
            children = children.filter(nhs_number=digits or None)
        page = self.paginate_queryset(children)
        return self.get_paginated_response(api.ChildSerializer(page, many=True).data)

    @extend_schema(
        operation_id="children_create",
        request=api.ChildCreateSerializer,
        responses={201: api.ChildSerializer},
    )
    def post(self, request):
        _require(request, "ehcp.manage_assessments")
        given = _validated(api.ChildCreateSerializer, request)
        data = {
            name: given.get(name, "")
            for name in (
                "first_name",
                "last_name",
                "nhs_number",
                "school_or_setting",
                "primary_need",
                "secondary_need",
            )
        }
        data.update(_date_parts("date_of_birth", given["date_of_birth"]))
        if "area" in given:
            data["area"] = str(given["area"])
        form = ChildForm(data, user=request.user)
        if not form.is_valid():
            if form.has_error("nhs_number", code="duplicate"):
                # The pages' refusal, as a conflict: the number is a child's already.
                raise Conflict(form.errors["nhs_number"][0])
            raise exceptions.ValidationError(_form_errors(form))
        with transaction.atomic():
            child = form.save()
        child = Child.objects.select_related("area").get(pk=child.pk)
        return Response(
            api.ChildSerializer(child).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:child", args=[child.pk])},
        )


@extend_schema(tags=["children"], parameters=[ID])
class ChildDetail(ApiView):
    """One child of the client's local areas."""

    resource = "children"
    serializer_class = api.ChildSerializer

    @extend_schema(operation_id="children_retrieve")
    def get(self, request, pk: int):
        child = get_object_or_404(
            selectors.reachable_by(request.user, Child).select_related("area"), pk=pk
        )
        _require(request, "ehcp.view_child", child)
        _child_access(request, child, "child record")
        return Response(api.ChildSerializer(child).data)


# --- Assessments --------------------------------------------------------------------------


def _assessments(user):
    return selectors.reachable_by(user, Assessment).select_related("plan", "child")


@extend_schema(tags=["assessments"], parameters=[ID])
class ChildAssessments(ApiView):
    """A child's EHC needs assessments; and starting one."""

    resource = "assessments"
    serializer_class = api.AssessmentSerializer

    def _child(self, request, pk: int) -> Child:
        child = get_object_or_404(selectors.reachable_by(request.user, Child), pk=pk)
        _require(request, "ehcp.view_child", child)
        return child

    @extend_schema(
        operation_id="children_assessments_list",
        responses=api.AssessmentSerializer(many=True),
    )
    def get(self, request, pk: int):
        child = self._child(request, pk)
        _child_access(request, child, "child's assessments")
        page = self.paginate_queryset(_assessments(request.user).filter(child=child))
        return self.get_paginated_response(api.AssessmentSerializer(page, many=True).data)

    @extend_schema(
        operation_id="children_assessments_create",
        request=api.AssessmentCreateSerializer,
        responses={201: api.AssessmentDetailSerializer},
    )
    def post(self, request, pk: int):
        _require(request, "ehcp.manage_assessments")
        child = self._child(request, pk)
        given = _validated(api.AssessmentCreateSerializer, request)
        form = AssessmentForm(
            {
                **_date_parts("requested_on", given["requested_on"]),
                "council_reference": given.get("council_reference", ""),
            }
        )
        _check_page_form(form)
        # No case officer: the case system is not a person (the council's officer is named
        # in its own system); the pages show the assessment without one.
        assessment = services.start_assessment(
            child,
            form.cleaned_data["requested_on"],
            council_reference=form.cleaned_data["council_reference"],
        )
        assessment = _assessment_detail(request.user, assessment.pk)
        return Response(
            api.AssessmentDetailSerializer(assessment).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:assessment", args=[assessment.pk])},
        )


def _assessment_detail(user, pk: int) -> Assessment:
    from django.db.models import Prefetch

    return get_object_or_404(
        _assessments(user).prefetch_related(
            "exceptions",
            Prefetch(
                "advice_requests",
                queryset=AdviceRequest.objects.select_related("provider").order_by("due_on", "pk"),
            ),
        ),
        pk=pk,
    )


@extend_schema(tags=["assessments"], parameters=[ID])
class AssessmentDetail(ApiView):
    """An EHC needs assessment with its statutory dates, the exceptions recorded and its
    requests for health advice."""

    resource = "assessments"
    serializer_class = api.AssessmentDetailSerializer

    @extend_schema(operation_id="assessments_retrieve")
    def get(self, request, pk: int):
        assessment = _assessment_detail(request.user, pk)
        _require(request, "ehcp.view_child", assessment.child)
        _child_access(request, assessment.child, "assessment")
        return Response(api.AssessmentDetailSerializer(assessment).data)


# --- Health advice ------------------------------------------------------------------------


@extend_schema(tags=["advice"], parameters=[ID])
class AssessmentAdviceRequests(ApiView):
    """The requests for health advice of an assessment; and asking a provider for
    advice."""

    resource = "advice"
    serializer_class = api.AdviceRequestSerializer

    def _assessment(self, request, pk: int) -> Assessment:
        assessment = get_object_or_404(_assessments(request.user), pk=pk)
        _require(request, "ehcp.view_child", assessment.child)
        return assessment

    @extend_schema(
        operation_id="assessments_advice_requests_list",
        responses=api.AdviceRequestSerializer(many=True),
    )
    def get(self, request, pk: int):
        _require(request, "ehcp.view_advice_requests")
        assessment = self._assessment(request, pk)
        _child_access(request, assessment.child, "requests for health advice")
        requests = selectors.advice_requests_visible_to(request.user).filter(assessment=assessment)
        page = self.paginate_queryset(requests)
        return self.get_paginated_response(api.AdviceRequestSerializer(page, many=True).data)

    @extend_schema(
        operation_id="assessments_advice_requests_create",
        request=api.AdviceRequestCreateSerializer,
        responses={201: api.AdviceRequestSerializer},
    )
    def post(self, request, pk: int):
        _require(request, "ehcp.request_advice")
        assessment = self._assessment(request, pk)
        given = _validated(api.AdviceRequestCreateSerializer, request)
        form = AdviceRequestForm(
            {
                "service": given["service"],
                "provider": str(given["provider"]),
                "question": given.get("question", ""),
                **_date_parts("requested_on", given["requested_on"]),
            }
        )
        _check_page_form(form)
        advice_request = services.request_advice(
            assessment,
            service=form.cleaned_data["service"],
            provider=form.cleaned_data["provider"],
            requested_on=form.cleaned_data["requested_on"],
            requested_by=request.user,
            question=form.cleaned_data["question"],
        )
        return Response(
            api.AdviceRequestSerializer(advice_request).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("api:advice-request", args=[advice_request.pk])},
        )


@extend_schema(tags=["advice"], parameters=[ID])
class AdviceRequestDetail(ApiView):
    """A request for health advice and its state."""

    resource = "advice"
    serializer_class = api.AdviceRequestSerializer

    @extend_schema(operation_id="advice_requests_retrieve")
    def get(self, request, pk: int):
        advice_request = get_object_or_404(
            selectors.reachable_by(request.user, AdviceRequest).select_related(
                "provider", "assessment__child"
            ),
            pk=pk,
        )
        _require(request, "ehcp.view_advice_request", advice_request)
        _child_access(request, advice_request.assessment.child, "health advice request")
        return Response(api.AdviceRequestSerializer(advice_request).data)


# --- Signed sections ----------------------------------------------------------------------


@extend_schema(tags=["sections"], parameters=[ID])
class SignedSections(ApiView):
    """The newest signed-off version of the assessment's health sections C and G."""

    resource = "sections"
    serializer_class = api.SignedSectionsSerializer

    @extend_schema(operation_id="assessments_signed_sections_retrieve")
    def get(self, request, pk: int):
        assessment = get_object_or_404(_assessments(request.user), pk=pk)
        plan = assessment.plan
        _require(request, "ehcp.view_plan", plan)
        sign_off = selectors.latest_sign_off(plan)
        if sign_off is None:
            raise exceptions.NotFound("No version of these health sections is signed off yet.")
        version = sign_off.version
        newest = plan.versions.order_by("-number").values_list("number", flat=True).first()
        _child_access(request, assessment.child, "signed health sections")
        body = {
            "version": version.pk,
            "number": version.number,
            "section_c": version.section_c,
            "section_g": version.section_g,
            "signature": {
                "signed_by": sign_off.signed_by.display_name,
                "role": sign_off.role_name,
                "organisation": sign_off.organisation_name,
                "registration_number": sign_off.registration_number,
                "signed_at": sign_off.signed_at,
                "attestation": sign_off.attestation,
            },
            "signed_text": signed_text(version.section_c, version.section_g),
            "sha256": sign_off.text_hash,
            "text_intact": version.text_intact,
            "newer_version_exists": (newest or 0) > version.number,
            "pdf": request.build_absolute_uri(reverse("api:sections-pdf", args=[version.pk])),
        }
        return Response(api.SignedSectionsSerializer(body).data)


class PdfRenderer(BaseRenderer):
    """Lets a client that asks for ``application/pdf`` have it (the view makes the bytes)."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


@extend_schema(tags=["sections"], parameters=[ID])
class SignedSectionsPdf(ApiView):
    """A signed-off version of the health sections as the PDF the pages make."""

    resource = "sections"
    # The PDF only (its problems are JSON all the same: problems.exception_handler).
    renderer_classes = [PdfRenderer]

    @extend_schema(
        operation_id="sections_versions_pdf_retrieve",
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    def get(self, request, pk: int):
        try:
            version = selectors.version_for_print(request.user, pk)
        except SectionsVersion.DoesNotExist:
            raise exceptions.NotFound() from None
        _require(request, "ehcp.view_plan", version.plan)
        printout = VersionPrintout.of(version)
        if not printout.is_signed_off:
            raise exceptions.NotFound("This version of the health sections is not signed off.")
        _child_access(request, printout.child, "health sections PDF")
        html = render_to_string(
            "ehcp/printing/version_pdf.html",
            {
                "printout": printout,
                "version": version,
                "child": printout.child,
                "pdf_font": pdf_font(),
            },
        )
        response = pdf_download(render_pdf(html), printout.filename)
        record_event(
            Kind.EXPORTED,
            request=request._request,
            target=version,
            summary="Health sections PDF, through the API",
        )
        return response


# --- The token endpoint ----------------------------------------------------------------


class TokenView(oauth2_views.TokenView):
    """django-oauth-toolkit's token endpoint, whose every answer for a known client is an
    ``api-call`` event of that client (``middleware.py``): a token given, or a secret
    refused, which a run of them would show as someone trying secrets."""

    def post(self, request, *args, **kwargs):
        throttle = TokenRequestThrottle()
        if not throttle.allow_request(request, self):
            wait = max(1, math.ceil(throttle.wait() or 1))
            return problem_json_response(
                429,
                f"Too many token requests from this address. Try again in {wait} seconds.",
                headers={"Retry-After": str(wait)},
            )
        response = super().post(request, *args, **kwargs)
        client_id = _client_id_of(request)
        if client_id:
            request.case_system = (
                CaseSystem.objects.select_related("account")
                .filter(application__client_id=client_id[:100])
                .first()
            )
        return response


def _client_id_of(request) -> str:
    """The client id a token request names: in HTTP Basic (RFC 6749 2.3.1) or the body."""
    import base64
    import binascii
    from urllib.parse import unquote

    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.startswith("Basic "):
        try:
            decoded = base64.b64decode(header[6:], validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return unquote(decoded.split(":", 1)[0])
    return request.POST.get("client_id", "")
