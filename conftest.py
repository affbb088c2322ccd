"""Fixtures for every test: the named personas of the portal.

Every view is checked from each side (after healthchecks' alice, bob and
charlie): the DMO, the DCO, the Clinical Lead, a health professional at
provider A and one at provider B, a commissioner, a SENDIASS officer, a
council SEND officer, an administrator, and a user with no current role.
"""

import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from roles.models import Organisation, RoleCode
from tests.factories import OrganisationFactory, UserFactory, person_holding

# Property-based tests (hypothesis): no deadline (a page render can take longer than
# hypothesis' 200 ms on a busy machine), few enough examples that the suite stays quick,
# and no example database left in the working tree. HYPOTHESIS_PROFILE=thorough for more.
# Function-scoped fixtures (the personas, the client) are shared by the examples of one
# test on purpose: the tests count rows before and after each example instead.
hypothesis_settings.register_profile(
    "ci",
    deadline=None,
    max_examples=25,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis_settings.register_profile(
    "thorough", hypothesis_settings.get_profile("ci"), max_examples=500
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# What a test asks to be reported after the run, whichever worker ran it: the walk of every
# page (tests/browser/test_every_page.py) says how many pages, patterns and people it
# covered. Test reports carry their ``record_property`` values to the controlling process.
REPORTED_PROPERTIES = ("crawl_summary",)
_reported: list[str] = []
# Counts that many tests add to, on whichever workers ran them (the record pages of
# tests/test_areas_held_apart.py): summed here, in the controlling process, and printed once.
TALLIED_PROPERTY = "areas_held_apart"
_tally: dict[str, int] = {}


def pytest_runtest_logreport(report):
    if report.when == "call":
        for name, value in report.user_properties:
            if name in REPORTED_PROPERTIES:
                _reported.append(str(value))
            elif name == TALLIED_PROPERTY:
                for key, count in value.items():
                    _tally[key] = _tally.get(key, 0) + count


def pytest_terminal_summary(terminalreporter):
    for line in _reported:
        terminalreporter.write_sep("-", "the walk of every page")
        terminalreporter.write_line(line)
    if _tally:
        terminalreporter.write_sep("-", "areas held apart")
        terminalreporter.write_line(
            f"{_tally['pages']} record pages, {_tally['requests']} requests by another "
            f"area's people, {_tally['not found']} answered 404"
        )


@pytest.fixture
def provider_a(db):
    return OrganisationFactory(name="Provider A NHS Foundation Trust")


@pytest.fixture
def provider_b(db):
    return OrganisationFactory(name="Provider B NHS Foundation Trust")


@pytest.fixture
def icb(db):
    return OrganisationFactory(
        name="Test Integrated Care Board", kind=Organisation.Kind.COMMISSIONER
    )


@pytest.fixture
def dmo(provider_a):
    return person_holding(RoleCode.DMO, provider_a, user__full_name="Dr Dee Emmo")


@pytest.fixture
def dco(icb):
    return person_holding(RoleCode.DCO, icb, user__full_name="Dee Ceeo")


@pytest.fixture
def clinical_lead(provider_a):
    return person_holding(RoleCode.CLINICAL_LEAD, provider_a, user__full_name="Cee Lead")


@pytest.fixture
def health_professional_a(provider_a):
    return person_holding(RoleCode.HEALTH_PROFESSIONAL, provider_a, user__full_name="Ada Therapist")


@pytest.fixture
def health_professional_b(provider_b):
    return person_holding(RoleCode.HEALTH_PROFESSIONAL, provider_b, user__full_name="Bea Therapist")


@pytest.fixture
def commissioner(icb):
    return person_holding(RoleCode.COMMISSIONER, icb, user__full_name="Com Missioner")


@pytest.fixture
def sendiass_officer(db):
    return person_holding(
        RoleCode.SENDIASS_OFFICER,
        OrganisationFactory(name="Test SENDIASS", kind=Organisation.Kind.SENDIASS),
    )


@pytest.fixture
def send_officer(db):
    return person_holding(
        RoleCode.SEND_OFFICER,
        OrganisationFactory(name="Test Council", kind=Organisation.Kind.COUNCIL),
    )


@pytest.fixture
def administrator(icb):
    return person_holding(RoleCode.ADMINISTRATOR, icb, user__full_name="Ad Ministrator")


@pytest.fixture
def no_role_user(db):
    return UserFactory(full_name="Noah Role")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing takes a fifth of a second per user on purpose; tests create many.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Sessions in the database and the cache of this process alone, as without Redis.
TEST_PROCESS_CACHE = {
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    "SHARED_CACHE": False,
    "SESSION_ENGINE": "django.contrib.sessions.backends.db",
}


@pytest.fixture(scope="session", autouse=True)
def a_cache_of_this_test_process_from_the_start():
    """The same as ``a_cache_of_this_test_process`` for the whole run, set before anything
    session-wide starts: the browser tests' live server loads its middleware once, when it
    starts, and would otherwise keep the session store that REDIS_URL chose (cached_db)
    while the tests, under the per-test settings, read and delete sessions in the database
    alone (a session "ended" by a test stayed alive in the cached copy)."""
    from django.test import override_settings

    with override_settings(**TEST_PROCESS_CACHE):
        yield


@pytest.fixture(autouse=True)
def a_cache_of_this_test_process(settings):
    """With REDIS_URL set (CI) the settings choose Redis for the cache, which the parallel
    test processes would share (one test's cache.clear() emptying another's). Each test
    process keeps its own, as in the embedded default; tests of the shared cache ask for
    Redis themselves (intelligence/tests/test_report_cache.py).

    So nothing that another process may change is kept in it either, as without Redis:
    sessions in the database alone (the pages' query counts are the same in CI as on a
    laptop); the tests of what a shared cache keeps turn SHARED_CACHE on themselves
    (session_security/tests/test_sessions.py)."""
    for name, value in TEST_PROCESS_CACHE.items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def lockout_only_where_tested(request, settings):
    """django-axes needs the request at every authentication, and the test client's
    ``login()`` passes none; tests of the lockout (marked ``lockout``) keep it on and sign in
    through the sign-in page, as people do."""
    if request.node.get_closest_marker("lockout") is None:
        settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def token_limit_only_where_tested(request, settings):
    """Every test asks for its API tokens from 127.0.0.1, and a test process's cache outlives
    each test: the limit of token requests from one address would refuse a test's token for
    the tests before it. The tests of that limit (marked ``token_limit``) keep it."""
    if request.node.get_closest_marker("token_limit") is None:
        settings.API_TOKEN_REQUESTS_PER_MINUTE = 10**9


@pytest.fixture(autouse=True)
def celery_runs_tasks_in_the_test(settings):
    """Tasks sent by the code under test run at once, in this process.

    Without this a task sent through the embedded filesystem broker would wait in
    var/celery/ for whatever worker happens to be running on the machine. The
    integration tests start their own worker in another process and are not affected.
    """
    from send_portal.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def reference_data_survives_a_flush(request):
    """Transactional tests end by emptying every table, data migrations' rows included (the
    roles, the quality criteria, the starting themes, beat's schedules). Put them back
    before each transactional test, so the order tests run in never matters."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        return
    request.getfixturevalue("transactional_db")
    from importlib import import_module

    from django.apps import apps

    from service_status.schedules import install_schedules

    for module, function in (
        ("roles.migrations.0002_role_catalogue", "create_roles"),
        ("ehcp.migrations.0002_quality_criteria", "create_criteria"),
        ("intelligence.migrations.0002_starting_themes", "create_themes"),
    ):
        getattr(import_module(module), function)(apps, None)
    install_schedules()
