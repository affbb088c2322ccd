"""The Python-written <select> is exactly what Django's templates write."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.translation import gettext_lazy

from nhsuk_forms.renderer import PortalFormRenderer

CHOICES = [
    ("", "Any provider"),
    (1, 'Tyne & Wear "Children\'s" <Services>'),
    ("Community", [("2", "Speech and language"), ("3", gettext_lazy("Physiotherapy"))]),
    ("Acute <hospital>", [(4, "Paediatrics")]),
    (5, 0),
]


class Options(forms.Select):
    option_template_name = "nhsuk_forms_tests/never_used.html"


def both(widget, value, attrs=None):
    django_html = widget.render("provider", value, attrs=attrs, renderer=DjangoTemplates())
    portal_html = widget.render("provider", value, attrs=attrs, renderer=PortalFormRenderer())
    return django_html, portal_html


@pytest.mark.parametrize(
    "widget, value, attrs",
    [
        (forms.Select(choices=CHOICES), None, None),
        (forms.Select(choices=CHOICES), "1", {"id": "id_provider", "class": "nhsuk-select"}),
        (forms.Select(choices=CHOICES), 4, {"required": True, "disabled": False, "data-x": 0}),
        (forms.Select(choices=CHOICES), "<script>", {"aria-describedby": 'a" onclick="x'}),
        (forms.SelectMultiple(choices=CHOICES), ["2", "4"], {"id": "id_provider"}),
        (forms.NullBooleanSelect(), True, None),
        (forms.NullBooleanSelect(), "unknown", None),
        (forms.Select(choices=[]), None, None),
    ],
)
def test_same_markup_as_djangos_templates(widget, value, attrs):
    django_html, portal_html = both(widget, value, attrs)
    assert portal_html == django_html


def test_selected_and_escaped_options_really_are_in_the_markup():
    django_html, portal_html = both(forms.Select(choices=CHOICES), "1")
    assert (
        '<option value="1" selected>'
        "Tyne &amp; Wear &quot;Children&#x27;s&quot; &lt;Services&gt;</option>" in portal_html
    )
    assert '<optgroup label="Acute &lt;hospital&gt;">' in portal_html
    assert portal_html == django_html


@pytest.mark.django_db
def test_a_model_choice_field_draws_the_same():
    from django.contrib.auth.models import Group

    Group.objects.create(name="Designated <Medical> Officers")
    chosen = Group.objects.create(name="SENDIASS").pk
    field = forms.ModelChoiceField(Group.objects.order_by("name"), empty_label="Any group")
    django_html, portal_html = both(field.widget, chosen)
    assert portal_html == django_html
    assert f'<option value="{chosen}" selected>SENDIASS</option>' in portal_html


def test_an_option_with_its_own_template_is_left_to_the_templates(monkeypatch):
    drawn = []
    monkeypatch.setattr(
        DjangoTemplates,
        "render",
        lambda self, name, context, request=None: drawn.append(name) or "",
    )
    Options(choices=CHOICES).render("provider", None, renderer=PortalFormRenderer())
    assert drawn == ["django/forms/widgets/select.html"]


def test_the_portal_uses_this_renderer():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), PortalFormRenderer)
