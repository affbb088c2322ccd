"""The meetings' forms, one module per part of the work:

- ``series``: a meeting series (its pattern in words), moving or cancelling one meeting;
- ``meeting``: a meeting's page: agenda items and papers;
- ``chairing``: chairing a meeting: minutes and decisions, actions, guests, attendance.

Import them from here (``from meetings.forms import SeriesForm``).
"""

from meetings.forms.chairing import (
    ActionForm,
    AttendanceForm,
    GuestForm,
    ItemRecordForm,
    attendance_choices,
    default_action_due,
)
from meetings.forms.meeting import AgendaItemForm, CaseChoiceField, PaperForm
from meetings.forms.series import CancelForm, MoveForm, SeriesForm

__all__ = [
    "ActionForm",
    "AttendanceForm",
    "AgendaItemForm",
    "CancelForm",
    "CaseChoiceField",
    "GuestForm",
    "ItemRecordForm",
    "MoveForm",
    "PaperForm",
    "SeriesForm",
    "attendance_choices",
    "default_action_due",
]
