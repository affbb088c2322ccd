"""Forms for quality assurance of the health sections, and the ICB's agreement of provision.

The QA checklist is built from the audit criteria in the database (administrators add
more), so the form has one rating and one comment per active criterion.
"""

from __future__ import annotations

from crispy_forms.layout import HTML, Layout
from django import forms

from ehcp.models import QualityCriterion, QualityResult, QualityReview
from nhsuk_forms.helpers import NhsukField, NhsukFormHelper
from send_portal.forms import PortalForm

CRITERION_COMMENT_MAX_LENGTH = QualityResult._meta.get_field("comment").max_length

_SECTION_BREAK = HTML(
    '<hr class="nhsuk-section-break nhsuk-section-break--m nhsuk-section-break--visible">'
)


class _InlineRadios(NhsukField):
    """Radios side by side, with the NHS.UK label size options of ``NhsukField``."""

    def render(self, form, context, template_pack=None, extra_context=None, **kwargs):
        extra_context = {**(extra_context or {}), "inline_class": "inline"}
        return super().render(form, context, extra_context=extra_context, **kwargs)


class QualityReviewForm(PortalForm):
    """One rating (met, partly met, not met) and an optional comment per criterion, then an
    overall grade and comment.

    ``plan_edit_count`` carries the working copy the reviewer saw: if the sections are
    saved again before the review is, the review is refused (with everything typed kept)
    so that a review never describes text the reviewer did not read.
    """

    plan_edit_count = forms.IntegerField(widget=forms.HiddenInput)
    grade = forms.ChoiceField(
        label="Overall grade",
        choices=QualityReview.Grade.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose an overall grade"},
    )
    comment = forms.CharField(
        label="Overall comment",
        required=False,
        help_text="What is done well, and what would improve these sections.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, plan, criteria: list[QualityCriterion], **kwargs):
        kwargs.setdefault("initial", {}).setdefault("plan_edit_count", plan.edit_count)
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.criteria = list(criteria)
        layout = ["plan_edit_count"]
        for number, criterion in enumerate(self.criteria, start=1):
            rating_name, comment_name = self.field_names(criterion)
            self.fields[rating_name] = forms.ChoiceField(
                label=f"{number}. {criterion.text}",
                help_text=criterion.source,
                choices=QualityResult.Rating.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": f"Choose met, partly met or not met for criterion {number}"
                },
            )
            self.fields[comment_name] = forms.CharField(
                label=f"Comment on criterion {number}",
                required=False,
                max_length=CRITERION_COMMENT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "max_length": f"Comment on criterion {number} must be "
                    f"{CRITERION_COMMENT_MAX_LENGTH} characters or fewer"
                },
            )
            layout += [_InlineRadios(rating_name, label_size="s"), comment_name, _SECTION_BREAK]
        # The overall questions come after the criteria, in the order people answer them.
        self.order_fields([name for name in self.fields if name not in ("grade", "comment")])
        layout += [NhsukField("grade", label_size="m"), "comment"]
        self.helper = NhsukFormHelper(self, submit_label="Save quality review")
        self.helper.layout = Layout(*layout)

    @staticmethod
    def field_names(criterion: QualityCriterion) -> tuple[str, str]:
        return f"criterion_{criterion.pk}", f"criterion_{criterion.pk}_comment"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("plan_edit_count") != self.plan.edit_count:
            self.add_error(
                None,
                "Someone changed these health sections after you opened this page. Your "
                "ratings are kept below: read the sections again, then save the review.",
            )
            # Saving again now reviews the text on the page, which is the latest.
            self.data = self.data.copy()
            self.data["plan_edit_count"] = self.plan.edit_count
        return cleaned

    def ratings(self) -> dict[int, tuple[str, str]]:
        """What ``services.record_quality_review`` takes: criterion id -> (rating, comment)."""
        result = {}
        for criterion in self.criteria:
            rating_name, comment_name = self.field_names(criterion)
            result[criterion.pk] = (
                self.cleaned_data[rating_name],
                self.cleaned_data[comment_name].strip(),
            )
        return result


class AgreeProvisionForm(PortalForm):
    note = forms.CharField(
        label="Note",
        required=False,
        help_text="For example, the commissioning arrangement or a contract reference.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, submit_label="Agree the health provision")
