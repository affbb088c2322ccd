"""Factories for EHC plan records. Records are made through the services where a rule
applies (start_assessment also makes the plan), so tests see what the portal makes."""

import datetime

import factory
from django.utils import timezone

from ehcp import services, statutory
from ehcp.models import AdviceRequest, Child, Need, Plan, ProviderService
from tests.factories import OrganisationFactory, UserFactory, the_test_area

# Children's names in tests are names no page, email or PDF otherwise contains. Faker's
# English names are also words the portal writes ("June" in a date, "May", "Day" in
# "Thursday", "Hall", "Page", "Read"), so a test that a page does NOT name the child failed
# now and then.
CHILD_FIRST_NAMES = (
    "Aderyn",
    "Bethanwy",
    "Cadfael",
    "Dervla",
    "Eilidh",
    "Fionnlagh",
    "Gwenllian",
    "Hesketh",
    "Iseabail",
    "Jolyon",
    "Kenelm",
    "Lleucu",
    "Morwenna",
    "Nerys",
    "Oisin",
    "Peredur",
    "Quennell",
    "Rhydian",
    "Seonaid",
    "Taliesin",
    "Ulrika",
    "Venetia",
    "Wilfrith",
    "Xanthe",
    "Ysolde",
)
CHILD_LAST_NAMES = (
    "Abercromby",
    "Blenkinsopp",
    "Cholmondley",
    "Drinkwaterson",
    "Earnshawe",
    "Featherstonhaugh",
    "Grimsditch",
    "Haverstock",
    "Inchbald",
    "Jephcott",
    "Kettlewell",
    "Loxdale",
    "Mountstephen",
    "Nettleford",
    "Ormerod",
    "Pettigrew",
    "Quarrington",
    "Ravenscroft",
    "Scarisbrick",
    "Thistlethwaite",
    "Umfreville",
    "Vavasour",
    "Wolstenholme",
    "Yeadon",
)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child

    first_name = factory.Sequence(lambda n: CHILD_FIRST_NAMES[n % len(CHILD_FIRST_NAMES)])
    # 25 and 24 share no factor: 600 children before a pair repeats, and any two children
    # made one after the other differ in both names.
    last_name = factory.Sequence(lambda n: CHILD_LAST_NAMES[n % len(CHILD_LAST_NAMES)])
    date_of_birth = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=9 * 365)
    )
    school_or_setting = "Harbourside Primary School"
    primary_need = Need.ASD
    nhs_number = None
    area = factory.LazyFunction(the_test_area)


def make_assessment(child=None, requested_on=None, **kwargs):
    child = child or ChildFactory()
    requested_on = requested_on or timezone.localdate() - datetime.timedelta(weeks=10)
    return services.start_assessment(child, requested_on, **kwargs)


def make_advice_request(assessment=None, provider=None, requested_by=None, **kwargs):
    assessment = assessment or make_assessment()
    return AdviceRequest.objects.create(
        assessment=assessment,
        service=kwargs.pop("service", ProviderService.SALT),
        provider=provider or OrganisationFactory(),
        requested_on=kwargs.pop("requested_on", assessment.requested_on),
        due_on=kwargs.pop("due_on", statutory.health_advice_due(assessment.requested_on)),
        requested_by=requested_by or UserFactory(),
        **kwargs,
    )


SAMPLE_SECTION_C = (
    "Sam has a diagnosis of autism (2023). Sam finds noisy rooms hard and communicates "
    "best with visual supports. This affects learning in class (section B, communication)."
)
SAMPLE_SECTION_G = [
    {
        "provision": "Speech and language therapy: direct sessions on social communication",
        "provided_by": "NHS speech and language therapist",
        "frequency": "6 sessions of 45 minutes each term",
        "duration": "12 months, reviewed at the annual review",
        "outcome": "Sam will ask an adult for help using a visual card by July",
    }
]


def run_quality_checklist(plan: Plan, reviewer=None, rating: str = "met"):
    """A quality checklist of the plan's current text, every criterion rated ``rating``."""
    from ehcp.models import QualityCriterion

    ratings = {pk: (rating, "") for pk in QualityCriterion.objects.values_list("pk", flat=True)}
    return services.record_quality_review(plan, reviewer or UserFactory(), "good", ratings)


def make_plan_waiting_for_sign_off(
    author=None,
    assessment=None,
    checklist: bool = True,
    section_g: list[dict] | None = None,
    **assessment_kwargs,
) -> Plan:
    """A plan whose sections have been written and sent for sign-off (version 1).

    With ``checklist`` (the default) a quality checklist has been run on the text, so the
    sample sections have no open quality finding; without it, that is the one finding.
    """
    assessment = assessment or make_assessment(**assessment_kwargs)
    plan = assessment.plan
    author = author or UserFactory()
    plan = services.save_sections(
        plan, author, SAMPLE_SECTION_C, section_g or SAMPLE_SECTION_G, plan.edit_count
    )
    if checklist:
        run_quality_checklist(plan)
    services.submit_for_sign_off(plan, author, plan.edit_count)
    plan.refresh_from_db()
    return plan


def reasons_for_open_findings(
    version, reason: str = "Agreed with the author; recorded for the ICB."
) -> dict[str, str]:
    """A reason for each open quality finding of ``version``, as the DMO gives when signing
    despite it."""
    from ehcp.selectors import open_sign_off_findings

    return {finding.key: reason for finding in open_sign_off_findings(version)}


def alter_stored_text(version, section_c: str) -> None:
    """Change a frozen version's text behind the portal's back, as someone with direct
    access to the database could (on PostgreSQL switching off the guard trigger first)."""
    from django.db import connection

    from ehcp.models import SectionsVersion

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE ehcp_sectionsversion DISABLE TRIGGER USER")
        SectionsVersion.objects.filter(pk=version.pk).update(section_c=section_c)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE ehcp_sectionsversion ENABLE TRIGGER USER")
