import pytest
from django.urls import reverse

from ehcp.models import QualityCriterion


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
def test_clinical_roles_do_not_get_the_ehcp_admin(client, dmo):
    client.force_login(dmo)

    assert client.get(reverse("admin:ehcp_qualitycriterion_changelist")).status_code == 403
