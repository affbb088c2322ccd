"""What the API reads and writes, as JSON.

The input serializers say the shape and the types (and so the OpenAPI schema); the rules a
value must keep are the pages' own: each create hands what it was given to the page's form
(``ehcp.forms``: the NHS number's check digit and the duplicate refusal, the date of birth
within 0-25, bounded text without control characters, dates in the window) and then to the
service, so no rule is written twice. Dates are ISO 8601 (``2026-03-01``); times carry
their offset (``2026-03-01T09:30:00+00:00``, London time).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ehcp import statutory
from ehcp.models import (
    AdviceRequest,
    Assessment,
    Child,
    ClockException,
    Need,
    Plan,
    ProviderService,
)
from send_portal.converters import ID_MAX

#: Longest NHS number as typed: ten digits with a space or dash between the groups.
NHS_NUMBER_TYPED_MAX = 14
#: An NHS number as a system sends it: ten digits, in groups of 3, 3 and 4 separated by
#: a space or a dash if at all (or "", no number known). Its check digit is checked
#: as the pages check it (``ehcp.statutory.nhs_number_digits``).
NHS_NUMBER_PATTERN = r"^[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{4}$"


def _max(model, field: str) -> int:
    return model._meta.get_field(field).max_length


#: Text without control characters (C0, DEL, C1), as every one-line box of the pages
#: (``send_portal.forms.ControlCharacterValidator``): in the schema, so a client knows. At
#: least one character: an empty value, where one is allowed, is the schema's own choice.
ONE_LINE = r"^[^\u0000-\u001f\u007f-\u009f]+$"
#: Text of several lines: tab and line breaks allowed, other control characters not.
MULTI_LINE = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]+$"


class StrictCharField(serializers.RegexField):
    """Text, and only text: DRF's CharField takes a number or a boolean and makes it text,
    which a client's bug should not get past. Bounded like the pages' boxes."""

    def __init__(self, *, multi_line: bool = False, regex: str | None = None, **kwargs):
        super().__init__(regex or (MULTI_LINE if multi_line else ONE_LINE), **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class IdField(serializers.IntegerField):
    """An id: a whole JSON number from 1 to the id column's largest, never text."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


# --- Problems -----------------------------------------------------------------------------


class ProblemSerializer(serializers.Serializer):
    """An RFC 9457 problem details object (``application/problem+json``)."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


# --- Areas and providers ----------------------------------------------------------------


class AreaSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True, help_text="The ONS code, e.g. E08000023.")


class ProviderSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    ods_code = serializers.CharField(read_only=True)


# --- Children ---------------------------------------------------------------------------


class ChildSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    nhs_number = serializers.CharField(read_only=True, allow_null=True)
    first_name = serializers.CharField(read_only=True)
    last_name = serializers.CharField(read_only=True)
    date_of_birth = serializers.DateField(read_only=True)
    school_or_setting = serializers.CharField(read_only=True)
    primary_need = serializers.ChoiceField(choices=Need.choices, read_only=True)
    secondary_need = serializers.CharField(read_only=True)
    area = AreaSerializer(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class ChildCreateSerializer(serializers.Serializer):
    first_name = StrictCharField(max_length=_max(Child, "first_name"))
    last_name = StrictCharField(max_length=_max(Child, "last_name"))
    date_of_birth = serializers.DateField()
    nhs_number = StrictCharField(
        regex=NHS_NUMBER_PATTERN,
        max_length=NHS_NUMBER_TYPED_MAX,
        required=False,
        allow_blank=True,
        help_text="10 digits (spaces allowed), checked by the NHS number's check digit. A "
        "number another child already has is refused with 409.",
    )
    school_or_setting = StrictCharField(
        max_length=_max(Child, "school_or_setting"), required=False, allow_blank=True
    )
    primary_need = serializers.ChoiceField(choices=Need.choices)
    secondary_need = serializers.ChoiceField(choices=Need.choices, required=False, allow_blank=True)
    area = IdField(
        required=False,
        help_text="The local area's id (GET /api/v1/areas/): needed only when the client "
        "works in more than one area.",
    )


# --- Assessments ------------------------------------------------------------------------


class DeadlinesSerializer(serializers.Serializer):
    """The assessment's statutory and practice dates (``ehcp/statutory.py``)."""

    requested_on = serializers.DateField(read_only=True)
    decision_due = serializers.DateField(
        read_only=True, help_text="6 weeks from the request (reg 5)."
    )
    practice_assessment_complete = serializers.DateField(
        read_only=True, help_text="12 weeks: assessment complete, in practice."
    )
    practice_draft_plan = serializers.DateField(
        read_only=True, help_text="16 weeks: the draft plan, in practice."
    )
    final_plan_due = serializers.DateField(
        read_only=True, help_text="20 weeks from the request (reg 13(2))."
    )


class ClockExceptionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    applies_to = serializers.ChoiceField(choices=ClockException.AppliesTo.choices, read_only=True)
    reason = serializers.CharField(read_only=True)
    reason_label = serializers.CharField(read_only=True)
    applies_from = serializers.DateField(read_only=True)
    advice_request = serializers.IntegerField(
        source="advice_request_id", read_only=True, allow_null=True
    )
    recorded_at = serializers.DateTimeField(read_only=True)


class AdviceRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    assessment = serializers.IntegerField(source="assessment_id", read_only=True)
    service = serializers.ChoiceField(choices=ProviderService.choices, read_only=True)
    provider = ProviderSerializer(read_only=True)
    requested_on = serializers.DateField(read_only=True)
    due_on = serializers.DateField(read_only=True, help_text="6 weeks from the request.")
    state = serializers.SerializerMethodField()
    deadline = serializers.ChoiceField(
        source="status", choices=statutory.DeadlineStatus.choices, read_only=True
    )
    returned_on = serializers.DateField(read_only=True, allow_null=True)
    last_chased_on = serializers.DateField(read_only=True, allow_null=True)
    times_chased = serializers.IntegerField(read_only=True)

    @extend_schema_field(serializers.ChoiceField(choices=["waiting", "returned"]))
    def get_state(self, advice_request: AdviceRequest) -> str:
        return "waiting" if advice_request.is_open else "returned"


class AssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    child = serializers.IntegerField(source="child_id", read_only=True)
    council_reference = serializers.CharField(read_only=True)
    requested_on = serializers.DateField(read_only=True)
    deadlines = DeadlinesSerializer(read_only=True)
    decision = serializers.CharField(read_only=True)
    decided_on = serializers.DateField(read_only=True, allow_null=True)
    draft_issued_on = serializers.DateField(read_only=True, allow_null=True)
    final_issued_on = serializers.DateField(read_only=True, allow_null=True)
    sections_status = serializers.ChoiceField(
        source="plan.status",
        choices=Plan.Status.choices,
        read_only=True,
        help_text="Where the health sections C and G are: draft, awaiting sign-off, signed off…",
    )


class AssessmentDetailSerializer(AssessmentSerializer):
    exceptions = ClockExceptionSerializer(many=True, read_only=True)
    advice_requests = AdviceRequestSerializer(many=True, read_only=True)


class AssessmentCreateSerializer(serializers.Serializer):
    requested_on = serializers.DateField(
        help_text="The date the council received the request for assessment: the statutory "
        "clock starts on it."
    )
    council_reference = StrictCharField(
        max_length=_max(Assessment, "council_reference"), required=False, allow_blank=True
    )


class AdviceRequestCreateSerializer(serializers.Serializer):
    service = serializers.ChoiceField(choices=ProviderService.choices)
    provider = IdField(help_text="The provider organisation's id (GET /api/v1/providers/).")
    requested_on = serializers.DateField()
    question = StrictCharField(
        multi_line=True,
        max_length=4000,
        required=False,
        allow_blank=True,
        help_text="What the council needs to know.",
    )


# --- Signed sections --------------------------------------------------------------------


class ProvisionRowSerializer(serializers.Serializer):
    provision = serializers.CharField(read_only=True)
    provided_by = serializers.CharField(read_only=True)
    frequency = serializers.CharField(read_only=True)
    duration = serializers.CharField(read_only=True)
    outcome = serializers.CharField(read_only=True)


class SignatureSerializer(serializers.Serializer):
    signed_by = serializers.CharField(read_only=True, help_text="The name of who signed.")
    role = serializers.CharField(read_only=True, help_text="The role they signed in.")
    organisation = serializers.CharField(read_only=True)
    registration_number = serializers.CharField(read_only=True)
    signed_at = serializers.DateTimeField(read_only=True)
    attestation = serializers.CharField(read_only=True)


class SignedSectionsSerializer(serializers.Serializer):
    version = serializers.IntegerField(read_only=True, help_text="The version's id.")
    number = serializers.IntegerField(read_only=True, help_text="The version's number.")
    section_c = serializers.CharField(read_only=True)
    section_g = ProvisionRowSerializer(many=True, read_only=True)
    signature = SignatureSerializer(read_only=True)
    signed_text = serializers.CharField(
        read_only=True,
        help_text="The exact text the sign-off covers (sections C and G as canonical JSON, "
        "UTF-8): its SHA-256 is ``sha256``.",
    )
    sha256 = serializers.CharField(read_only=True)
    text_intact = serializers.BooleanField(
        read_only=True, help_text="The stored text still hashes to what was signed."
    )
    newer_version_exists = serializers.BooleanField(
        read_only=True, help_text="A newer version has been sent for sign-off since."
    )
    pdf = serializers.URLField(read_only=True, help_text="The signed sections as a PDF.")
