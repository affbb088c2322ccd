"""A select's model choices are read in one query, never through QuerySet.iterator(), which
on PostgreSQL is a server-side cursor: three round trips (DECLARE, FETCH, CLOSE) for a list
drawn whole anyway (send_portal.forms.ChoicesReadAtOnce). Every portal form's model choice
fields (through bound_fields) and the filters' ModelChoiceFilter."""

from __future__ import annotations

import pytest
from django import forms
from django.db.models.query import QuerySet
from django.urls import reverse

from ehcp.tests.factories import make_advice_request, make_assessment
from roles.models import Organisation
from send_portal.forms import ChoicesReadAtOnce, ModelChoiceFilter, PortalForm
from tests.factories import OrganisationFactory


@pytest.fixture
def no_server_side_cursor(monkeypatch):
    def refused(self, *args, **kwargs):
        raise AssertionError("model choices read through QuerySet.iterator()")

    monkeypatch.setattr(QuerySet, "iterator", refused)


class ChooseOrganisations(PortalForm):
    one = forms.ModelChoiceField(queryset=Organisation.objects.order_by("name"))
    several = forms.ModelMultipleChoiceField(queryset=Organisation.objects.order_by("name"))


@pytest.mark.django_db
def test_a_portal_forms_model_choices_are_read_at_once(no_server_side_cursor):
    OrganisationFactory(name="Beta Trust")
    OrganisationFactory(name="Alpha Trust")

    form = ChooseOrganisations()
    html = str(form["one"]) + str(form["several"])

    assert isinstance(form.fields["one"].iterator(form.fields["one"]), ChoicesReadAtOnce)
    assert html.index("Alpha Trust") < html.index("Beta Trust")
    assert [label for _, label in form.fields["one"].choices] == [
        "---------",
        "Alpha Trust",
        "Beta Trust",
    ]


@pytest.mark.django_db
def test_a_queryset_set_after_the_form_is_made_is_read_at_once_too(no_server_side_cursor):
    OrganisationFactory(name="Alpha Trust")
    gamma = OrganisationFactory(name="Gamma Trust")
    form = ChooseOrganisations()

    form.fields["one"].queryset = Organisation.objects.filter(pk=gamma.pk)

    assert "Gamma Trust" in str(form["one"]) and "Alpha Trust" not in str(form["one"])


@pytest.mark.django_db
def test_the_filters_model_choices_keep_their_empty_and_null_choices(no_server_side_cursor):
    OrganisationFactory(name="Alpha Trust")
    field = ModelChoiceFilter(
        queryset=Organisation.objects.all(), empty_label="Any provider", null_label="None"
    ).field

    assert [label for _, label in field.choices] == ["Any provider", "None", "Alpha Trust"]


@pytest.mark.django_db
def test_the_sign_off_queues_provider_filter_is_read_at_once(client, dmo, no_server_side_cursor):
    asked = OrganisationFactory(name="Speech and Language Therapy Trust")
    make_advice_request(assessment=make_assessment(), provider=asked)
    client.force_login(dmo)

    response = client.get(reverse("ehcp:sign-off-queue"))

    assert response.status_code == 200
    assert "Speech and Language Therapy Trust" in response.content.decode()


@pytest.mark.django_db
def test_choices_offered_by_a_function_are_read_once_and_a_value_must_be_one_of_them(
    no_server_side_cursor,
):
    """A filter given ``offered`` (the providers of the person's areas, read by SQL prepared
    once per process) draws those records, asks for them once however often the choices are
    drawn, and takes a value only if it is the id of one of them: with no query of its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    alpha = OrganisationFactory(name="Alpha Trust")
    beta = OrganisationFactory(name="Beta Trust")
    asked = []

    def offered(request):
        asked.append(request)
        return [beta, alpha]

    field = ModelChoiceFilter(
        queryset=Organisation.objects.none(), offered=offered, empty_label="Any provider"
    ).field
    with CaptureQueriesContext(connection) as queries:
        drawn = [label for _, label in field.choices]
        again = [label for _, label in field.choices]
        chosen = field.clean(str(alpha.pk))
        spaced = field.clean(f" {beta.pk} ")
        counted = (len(field.choices), bool(field.choices))
        refused = []
        for value in (alpha.pk + beta.pk, "Alpha", "1.5", "9" * 30):
            with pytest.raises(forms.ValidationError) as error:
                field.clean(str(value))
            refused.append(error.value.code)

    assert drawn == again == ["Any provider", "Beta Trust", "Alpha Trust"]
    assert (chosen, spaced) == (alpha, beta)
    assert counted == (3, True)
    assert refused == ["invalid_choice"] * 4
    assert field.clean("") is None
    assert len(asked) == 1
    assert len(queries) == 0
