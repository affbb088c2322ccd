import pytest

from meetings.tests.factories import make_series, next_meeting


@pytest.fixture
def health_cafe(dco, dmo, clinical_lead):
    """The bi-monthly Health Café: chaired by the DCO; DCO, DMO and Clinical Lead are members."""
    return make_series()


@pytest.fixture
def cafe_meeting(health_cafe):
    return next_meeting(health_cafe)
