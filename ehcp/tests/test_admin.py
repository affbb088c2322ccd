import pytest
from django.urls import reverse

from ehcp.models import QualityCriterion
from ehcp.tests.factories import ChildFactory


@pytest.mark.django_db
def test_an_administrator_adds_a_quality_criterion_as_data(client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("admin:ehcp_qualitycriterion_add"),
        {
            "text": "Names the key worker",
            "source": "Local audit",
            "display_order": 200,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    assert QualityCriterion.objects.filter(text="Names the key worker").exists()


@pytest.mark.django_db
def test_the_access_log_is_read_only_in_the_admin(client, administrator, dco):
    child = ChildFactory()
    client.force_login(dco)
    client.get(reverse("ehcp:child", args=[child.pk]))
    client.force_login(administrator)

    listing = client.get(reverse("admin:ehcp_childaccess_changelist"))

    assert listing.status_code == 200
    assert dco.full_name in listing.content.decode()
    assert client.get(reverse("admin:ehcp_childaccess_add")).status_code == 403


@pytest.mark.django_db
def test_clinical_roles_do_not_get_the_ehcp_admin(client, dmo):
    client.force_login(dmo)

    assert client.get(reverse("admin:ehcp_qualitycriterion_changelist")).status_code == 403
