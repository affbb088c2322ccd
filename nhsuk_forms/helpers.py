"""FormHelper and layout objects for NHS.UK forms.

A typical question page::

    class SignInForm(forms.Form):
        email = forms.EmailField(label="Email address")
        password = forms.CharField(label="Password", widget=forms.PasswordInput)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.helper = NhsukFormHelper(self, submit_label="Sign in")

and in the template ``{% load crispy_forms_tags %}{% crispy form %}``.
"""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Submit, TemplateNameMixin
from crispy_forms.utils import TEMPLATE_PACK, flatatt
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from .rendering import LABEL_SIZES


def _classes(*classes) -> str:
    return " ".join(c for c in classes if c)


class NhsukSubmit(Submit):
    """An NHS.UK submit button: ``NhsukSubmit("save", "Save and continue")``.

    Primary (green) unless ``secondary=True``. Double clicks are ignored by the
    NHS.UK script (``data-prevent-double-click``) so a slow connection does not
    send the form twice; pass ``prevent_double_click=False`` to allow them.
    """

    field_classes = "nhsuk-button"

    def __init__(
        self, name, value, *, secondary=False, prevent_double_click=True, css_class=None, **kwargs
    ):
        if prevent_double_click:
            kwargs.setdefault("data_prevent_double_click", "true")
        css_class = _classes("nhsuk-button--secondary" if secondary else "", css_class)
        super().__init__(name, value, css_class=css_class or None, **kwargs)


class NhsukButtonLink(TemplateNameMixin):
    """A link that looks like a button, such as "Cancel" back to a list.

    ``href`` is a URL or a URL name (``"ehcp:list"``). Secondary by default: the
    primary button on a page should be the one that submits the form.
    """

    template = "%s/layout/baseinput.html"
    input_type = "link"

    def __init__(self, value, href, *, secondary=True, css_class=None, css_id=None, **kwargs):
        self.value = value
        self.name = ""
        self._href = href
        self.id = css_id or ""
        self.field_classes = _classes(
            "nhsuk-button", "nhsuk-button--secondary" if secondary else "", css_class
        )
        self.flat_attrs = flatatt(kwargs)

    @property
    def href(self) -> str:
        try:
            return reverse(self._href)
        except NoReverseMatch:
            return self._href

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        return render_to_string(self.get_template_name(template_pack), {"input": self})


class NhsukField(Field):
    """A crispy ``Field`` with NHS.UK label options.

    ``NhsukField("date_of_birth", page_heading=True)`` makes the question the
    page's h1 (label or legend inside the heading, large by default), the NHS.UK
    pattern for one question per page. ``label_size`` is "s", "m", "l" or "xl".
    Other arguments are crispy's (``css_class``, ``wrapper_class``, attributes).
    """

    def __init__(self, *fields, label_size=None, page_heading=False, **kwargs):
        if label_size is not None and label_size not in LABEL_SIZES:
            raise ValueError(f"label_size must be one of {LABEL_SIZES}, not {label_size!r}")
        super().__init__(*fields, **kwargs)
        self.label_size = label_size
        self.page_heading = page_heading

    def render(self, form, context, template_pack=TEMPLATE_PACK, extra_context=None, **kwargs):
        extra_context = dict(extra_context or {})
        extra_context.update(nhsuk_label_size=self.label_size, nhsuk_page_heading=self.page_heading)
        return super().render(
            form, context, template_pack=template_pack, extra_context=extra_context, **kwargs
        )


class NhsukFormHelper(FormHelper):
    """A crispy ``FormHelper`` with NHS.UK defaults.

    Draws the ``<form method="post">`` tag with the CSRF token, and a primary
    button labelled ``submit_label`` ("Continue" unless the page says otherwise,
    for example "Sign in" or "Save and continue"). Optionally a secondary button:
    ``secondary_label`` with ``secondary_href`` gives a link ("Cancel"), without
    it a second submit button named ``secondary_name`` ("Save as draft").

    ``show_error_summary=False`` stops ``{% crispy form %}`` drawing the error
    summary above the form, for pages that draw it themselves with
    ``{% nhsuk_error_summary form %}``.
    """

    # Left to the class unless switched off, so that a page's
    # {% with show_error_summary=False %} is not overridden by the helper.
    show_error_summary = True

    def __init__(
        self,
        form=None,
        *,
        submit_label="Continue",
        submit_name="submit",
        secondary_label=None,
        secondary_href=None,
        secondary_name="secondary",
        form_action=None,
        form_method="post",
        show_error_summary=True,
    ):
        super().__init__(form)
        self.form_tag = True
        self.form_method = form_method
        if form_action:
            self.form_action = form_action
        if not show_error_summary:
            # As an instance attribute crispy passes it on to the templates.
            self.show_error_summary = False
        if submit_label:
            self.add_input(NhsukSubmit(submit_name, submit_label))
        if secondary_label:
            if secondary_href:
                self.add_input(NhsukButtonLink(secondary_label, secondary_href))
            else:
                self.add_input(NhsukSubmit(secondary_name, secondary_label, secondary=True))
