"""Forms of a meeting's page: agenda items and papers.

The forms check what a person can get wrong (an empty title, a file of the wrong kind);
whether the change is allowed at all (the agenda has locked) is the services' rule.
"""

from __future__ import annotations

from django import forms
from django.urls import reverse

from ehcp import selectors as ehcp_selectors
from meetings import services
from meetings.models import AgendaItem, Meeting, MeetingKind
from nhsuk_forms.helpers import NhsukFormHelper
from send_portal.forms import PortalForm
from send_portal.london_time import long_date


class CaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, assessment) -> str:
        reference = assessment.council_reference or "no council reference"
        return (
            f"{assessment.child.full_name} ({reference}), final plan due "
            f"{long_date(assessment.final_plan_due)}"
        )


class AgendaItemForm(PortalForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={"required": "Enter the title of the item"},
    )
    presenter = forms.CharField(
        label="Presenter",
        max_length=150,
        required=False,
        help_text="Who introduces the item, for example Dr Dee Emmo (DMO)",
    )
    minutes_allotted = forms.IntegerField(
        label="Time for the item, in minutes",
        min_value=1,
        max_value=480,
        initial=10,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter the time for the item, in minutes",
            "invalid": "Time for the item must be a whole number of minutes, like 15",
            "min_value": "Time for the item must be at least 1 minute",
            "max_value": "Time for the item must be 480 minutes or fewer",
        },
    )

    def __init__(self, *args, meeting: Meeting, user, item: AgendaItem | None = None, **kwargs):
        if item is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": item.title,
                    "presenter": item.presenter,
                    "minutes_allotted": item.minutes_allotted,
                    "assessment": item.assessment_id,
                },
            )
        super().__init__(*args, **kwargs)
        if meeting.series.kind == MeetingKind.SEND_PANEL:
            self.fields["assessment"] = CaseChoiceField(
                label="Case",
                required=False,
                queryset=ehcp_selectors.open_assessments_visible_to(
                    user, also=item.assessment_id if item else None
                ),
                empty_label="Not a case (another item)",
                help_text="The EHC needs assessment this item is about, if it is a panel case",
            )
        self.helper = NhsukFormHelper(
            self,
            submit_label="Save changes" if item else "Add to the agenda",
            secondary_label="Cancel",
            secondary_href=reverse("meetings:meeting", args=[meeting.pk]),
        )


class PaperForm(PortalForm):
    title = forms.CharField(
        label="Title of the paper",
        max_length=200,
        error_messages={"required": "Enter the title of the paper"},
        help_text="Members see this title. Do not put a child's name in it.",
    )
    agenda_item = forms.ModelChoiceField(
        label="Agenda item",
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label="Not for one item (the whole meeting)",
    )
    file = forms.FileField(
        label="File",
        error_messages={
            "required": "Select a file to upload",
            "empty": "The selected file is empty.",
        },
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.order_by("position", "pk")
        self.fields["file"].help_text = (
            "A PDF, Word document (.docx), Excel spreadsheet (.xlsx), PowerPoint presentation "
            f"(.pptx), text or CSV file, PNG or JPEG image, smaller than "
            f"{services.paper_size_limit_text()}"
        )
        self.helper = NhsukFormHelper(
            self,
            submit_label="Upload the paper",
            secondary_label="Cancel",
            secondary_href=reverse("meetings:meeting", args=[meeting.pk]),
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.paper_type = services.check_paper_file(upload)
        except services.RefusedChange as refusal:
            raise forms.ValidationError(str(refusal)) from None
        return upload
