"""NHS.UK form rendering: a django-crispy-forms template pack named "nhsuk".

With ``CRISPY_TEMPLATE_PACK = "nhsuk"`` every form drawn by crispy-forms comes out
as NHS.UK frontend components (nhsuk-frontend 10): label, hint, error message and
control in an ``nhsuk-form-group``; radios and checkboxes in a fieldset with a
legend; and the error summary above the form when there are errors.

Drawing a form
--------------
``{% load crispy_forms_tags %}`` then either:

``{% crispy form %}``
    The whole form: error summary, ``<form method="post" novalidate>`` with the
    CSRF token, the fields and the buttons. Give the form a
    :class:`~nhsuk_forms.helpers.NhsukFormHelper` for the NHS.UK button::

        self.helper = NhsukFormHelper(self, submit_label="Save and continue")

``{{ form|crispy }}``
    The error summary and the fields only; the page writes ``<form>``,
    ``{% csrf_token %}`` and the buttons.

How fields look
---------------
The widget decides: text-like inputs become ``nhsuk-input``, ``Textarea``
``nhsuk-textarea``, ``Select`` ``nhsuk-select``, ``RadioSelect`` NHS.UK radios,
``CheckboxSelectMultiple`` NHS.UK checkboxes, a ``BooleanField`` a single
checkbox, ``FileInput`` the NHS.UK file upload. The field's ``label`` is the
question and its ``help_text`` the hint. Required fields are not marked;
optional ones get " (optional)" after the label (not a single checkbox, where
leaving it unticked is an answer); a field needed only with some answers to another
question (``nhsuk_forms.fields.needed_when``) gets its condition there instead.
Errors show by the field, each with a hidden "Error:" for screen readers, and link
from the error summary.

Width and other classes go on the widget as usual, for example
``forms.TextInput(attrs={"class": "nhsuk-input--width-10"})``. For a question
that is also the page heading use ``NhsukField("name", page_heading=True)`` in
the helper's layout (see :mod:`nhsuk_forms.helpers`).

Dates
-----
Ask for dates with :class:`~nhsuk_forms.fields.NhsukDateField` (day, month and
year boxes; cleans to ``datetime.date``; messages such as "Date of birth must
include a month"). In a ModelForm: ``field_classes = {"date_of_birth": NhsukDateField}``
in ``Meta``. Use ``error_label="date of birth"`` when the label is a question.

The error summary
-----------------
Both ways of drawing a form put the NHS.UK error summary ("There is a problem")
above it, linking each error to its input (the day box, or the first box in
error, for a date; the first option for radios and checkboxes). Errors about the
whole form (``non_field_errors``) are listed without a link.

To put the summary elsewhere, say above the page's h1, use the tag before the form::

    {% load nhsuk_forms %}
    {% nhsuk_error_summary form %}
    <h1>...</h1>
    {% crispy form %}

Once the tag has drawn the summary for a form, crispy does not draw it again
(so put the tag before the form; after it, the summary would appear twice).
The summary can also be switched off for a form with
``NhsukFormHelper(..., show_error_summary=False)`` (or ``helper.show_error_summary
= False`` on any FormHelper), or for one ``{% crispy %}`` tag by wrapping it in
``{% with show_error_summary=False %}``. The tag takes several forms or formsets
at once (``{% nhsuk_error_summary form formset %}``) for pages with more than one.

NHS.UK pages with errors also start their ``<title>`` with "Error: "; in a page
template, ``{% if form.errors %}Error: {% endif %}`` at the start of the title block.

Running the tests on their own
------------------------------
They run under the project's settings (``pytest nhsuk_forms``); without the rest
of the portal (and its conftest.py), ``pytest nhsuk_forms --noconftest
--ds=nhsuk_forms.tests.settings_standalone``.
"""
