"""The settings module, loaded fresh in a child process for each environment."""

import json

import pytest

from tests.settings_process import run_with_settings

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "host": db.get("HOST", ""),
    "broker": settings.CELERY_BROKER_URL, "debug": settings.DEBUG,
    "secret_key": settings.SECRET_KEY, "time_zone": settings.TIME_ZONE,
    "use_tz": settings.USE_TZ, "service_name": settings.SERVICE_NAME,
    "email_backend": settings.EMAIL_BACKEND, "celery_timezone": settings.CELERY_TIMEZONE,
    "cache": settings.CACHES["default"],
    "load_data_installed": "load_data" in settings.INSTALLED_APPS,
    "db_options": db.get("OPTIONS", {}).get("options", ""),
    "prepare_threshold": db.get("OPTIONS", {}).get("prepare_threshold"),
    "server_side_binding": db.get("OPTIONS", {}).get("server_side_binding"),
    "session_engine": settings.SESSION_ENGINE, "shared_cache": settings.SHARED_CACHE,
}))
"""


def load_settings(tmp_path, **environment):
    return run_with_settings(tmp_path, PRINT_SETTINGS, **environment)


def loaded(result) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_embedded_default_is_sqlite_and_the_filesystem_broker_under_var(tmp_path):
    values = loaded(load_settings(tmp_path))

    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(tmp_path / "portal.sqlite3")
    assert values["broker"] == "filesystem://"
    assert (tmp_path / "celery" / "queue").is_dir()
    assert values["email_backend"] == "django.core.mail.backends.filebased.EmailBackend"
    # Debug only when asked for (tests/test_error_pages.py): the portal's own error pages.
    assert values["debug"] is False


def test_database_url_selects_postgresql_and_redis_url_the_broker(tmp_path):
    values = loaded(
        load_settings(
            tmp_path,
            DATABASE_URL="postgres://portal:pw@db.internal:5432/send_portal",
            REDIS_URL="redis://cache.internal:6379/0",
        )
    )

    assert values["engine"] == "django.db.backends.postgresql"
    assert (values["name"], values["host"]) == ("send_portal", "db.internal")
    assert values["broker"] == "redis://cache.internal:6379/0"
    # The planner told the disk is fast and cursors are read to the end (PERFORMANCE.md).
    assert values["db_options"] == "-c random_page_cost=1.1 -c cursor_tuple_fraction=1.0"


def test_the_planners_random_page_cost_can_be_set(tmp_path):
    values = loaded(
        load_settings(
            tmp_path,
            DATABASE_URL="postgres://portal:pw@db.internal:5432/send_portal",
            PORTAL_PG_RANDOM_PAGE_COST="4",
        )
    )
    assert values["db_options"].startswith("-c random_page_cost=4.0 ")


def test_postgresql_statements_bind_on_the_server_and_are_prepared_unless_turned_off(tmp_path):
    url = "postgres://portal:pw@db.internal:5432/send_portal"
    values = loaded(load_settings(tmp_path, DATABASE_URL=url))
    # psycopg prepares what a connection runs again and again, which needs binding on the
    # server (docs/PERFORMANCE.md, seventh round).
    assert (values["prepare_threshold"], values["server_side_binding"]) == (5, True)

    # Behind a pooler that cannot keep prepared statements: none, and binding on the client
    # (on the server without preparing would only cost).
    values = loaded(load_settings(tmp_path, DATABASE_URL=url, PORTAL_PG_PREPARE_THRESHOLD=""))
    assert (values["prepare_threshold"], values["server_side_binding"]) == (None, False)


def test_time_is_london_time_stored_as_utc(tmp_path):
    values = loaded(load_settings(tmp_path))

    assert values["time_zone"] == "Europe/London" and values["use_tz"] is True
    assert values["celery_timezone"] == "Europe/London"


def test_the_service_name_carries_the_local_area(tmp_path):
    assert loaded(load_settings(tmp_path))["service_name"] == (
        "SEND Health Coordination — South Tyneside"
    )
    assert loaded(load_settings(tmp_path, LOCAL_AREA_NAME="Gateshead"))["service_name"] == (
        "SEND Health Coordination — Gateshead"
    )


def test_development_generates_a_secret_key_once_and_reuses_it(tmp_path):
    first = loaded(load_settings(tmp_path))["secret_key"]
    second = loaded(load_settings(tmp_path))["secret_key"]

    assert len(first) >= 50 and first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_without_a_secret_key_refuses_to_start_and_says_why(tmp_path):
    result = load_settings(tmp_path, PORTAL_ENVIRONMENT="production", ALLOWED_HOSTS="portal.test")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr
    assert not (tmp_path / "secret_key").exists()


#: A key as `secrets.token_urlsafe(50)` makes one (67 characters), fixed for the tests.
GOOD_KEY = "Zq3v9Xw1-Lr8TgKp0Hs7Nd2Yb6Fm4Ua5Jc_Ee3Wi9Ro1Qt8Pl2Kz7Mx4Vn6By0Cs5Dh"


def test_production_with_a_secret_key_starts_without_debug(tmp_path):
    values = loaded(
        load_settings(
            tmp_path,
            PORTAL_ENVIRONMENT="production",
            SECRET_KEY=GOOD_KEY,
            ALLOWED_HOSTS="portal.test",
        )
    )

    assert values["debug"] is False


def test_production_refuses_to_start_with_debug_on(tmp_path):
    result = load_settings(
        tmp_path,
        PORTAL_ENVIRONMENT="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="portal.test",
        DEBUG="true",
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured: DEBUG must be false in production" in result.stderr


@pytest.mark.parametrize(
    "key",
    [GOOD_KEY[:49], "x" * 60, "abcd" * 20, "django-insecure-" + GOOD_KEY],
    ids=["49 characters", "one character repeated", "four different", "django-insecure"],
)
def test_production_refuses_to_start_with_a_weak_secret_key(tmp_path, key):
    result = load_settings(
        tmp_path, PORTAL_ENVIRONMENT="production", SECRET_KEY=key, ALLOWED_HOSTS="portal.test"
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is too weak for production" in result.stderr
    assert key not in result.stderr  # the key is never repeated in a log


def test_development_takes_any_secret_key_and_debug(tmp_path):
    values = loaded(load_settings(tmp_path, SECRET_KEY="short", DEBUG="true"))

    assert values["debug"] is True
    assert values["secret_key"] == "short"


@pytest.mark.parametrize("variable,value", [("DEBUG", "ture"), ("PORTAL_ENVIRONMENT", "prod")])
def test_a_mistyped_setting_is_refused_not_guessed(tmp_path, variable, value):
    result = load_settings(tmp_path, **{variable: value})

    assert result.returncode != 0
    assert variable in result.stderr


def test_the_load_data_app_is_installed_only_for_the_benchmark(tmp_path):
    assert loaded(load_settings(tmp_path))["load_data_installed"] is False
    assert loaded(load_settings(tmp_path, PORTAL_BENCHMARK="true"))["load_data_installed"] is True


@pytest.mark.parametrize("variable", ["PORTAL_BENCHMARK", "PORTAL_BENCHMARK_FLOOR"])
def test_production_refuses_to_start_with_the_benchmark_on(tmp_path, variable):
    result = load_settings(
        tmp_path,
        PORTAL_ENVIRONMENT="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="portal.test",
        **{variable: "true"},
    )

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {variable} is for benchmarks, never production." in result.stderr


def test_email_url_selects_smtp(tmp_path):
    values = loaded(load_settings(tmp_path, EMAIL_URL="smtp+tls://user:pw@smtp.nhs.test:587"))

    assert values["email_backend"] == "django.core.mail.backends.smtp.EmailBackend"


def test_with_redis_the_cache_is_shared_in_a_database_of_its_own(tmp_path):
    embedded = loaded(load_settings(tmp_path))["cache"]
    shared = loaded(load_settings(tmp_path, REDIS_URL="redis://cache.internal:6379/0"))["cache"]
    chosen = loaded(
        load_settings(tmp_path, REDIS_URL="redis://cache.internal:6379/15", REDIS_CACHE_DB="3")
    )["cache"]

    assert embedded["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert shared["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert shared["LOCATION"] == "redis://cache.internal:6379/1"
    assert chosen["LOCATION"] == "redis://cache.internal:6379/3"


def test_sessions_are_read_through_the_cache_only_when_every_process_shares_it(tmp_path):
    embedded = loaded(load_settings(tmp_path))
    shared = loaded(load_settings(tmp_path, REDIS_URL="redis://cache.internal:6379/0"))

    # Without Redis each process keeps its own memory: a session signed out in one worker
    # would live on in another's copy, so the database alone holds them.
    assert not embedded["shared_cache"]
    assert embedded["session_engine"] == "django.contrib.sessions.backends.db"
    assert shared["shared_cache"]
    assert shared["session_engine"] == "django.contrib.sessions.backends.cached_db"


def test_the_cache_may_not_share_celerys_redis_database(tmp_path):
    result = load_settings(tmp_path, REDIS_URL="redis://cache.internal:6379/1")
    assert result.returncode != 0
    assert "REDIS_CACHE_DB must not be the database Celery's queue uses" in result.stderr


# --- Federated sign-in: each provider off unless configured, and never half-configured ---

PRINT_PROVIDERS = (
    "import django; django.setup(); from django.conf import settings as s; import json; "
    "print(json.dumps({'cis2': s.CIS2_ENABLED, 'entra': s.ENTRA_ENABLED, "
    "'key': s.CIS2_PRIVATE_KEY}))"
)


def test_every_identity_provider_is_off_unless_configured(tmp_path):
    values = loaded(run_with_settings(tmp_path, PRINT_PROVIDERS))

    assert values == {"cis2": False, "entra": False, "key": ""}


def test_cis2_is_on_with_its_issuer_client_id_and_a_key_from_a_file(tmp_path):
    key_file = tmp_path / "cis2.pem"
    key_file.write_text("-----BEGIN PRIVATE KEY-----\nMII...\n-----END PRIVATE KEY-----\n")
    values = loaded(
        run_with_settings(
            tmp_path,
            PRINT_PROVIDERS,
            CIS2_ISSUER="https://cis2.example.nhs.uk/openam/oauth2/realms/root/realms/oidc",
            CIS2_CLIENT_ID="portal-client",
            CIS2_PRIVATE_KEY_FILE=str(key_file),
        )
    )

    assert values["cis2"] is True and values["entra"] is False
    assert values["key"].startswith("-----BEGIN PRIVATE KEY-----\n")


def test_a_half_configured_provider_refuses_to_start_and_says_what_is_missing(tmp_path):
    cis2 = run_with_settings(tmp_path, PRINT_PROVIDERS, CIS2_CLIENT_ID="portal-client")
    entra = run_with_settings(tmp_path, PRINT_PROVIDERS, ENTRA_CLIENT_ID="portal-client")

    assert (
        cis2.returncode != 0 and "CIS2_ISSUER, CIS2_CLIENT_ID and CIS2_PRIVATE_KEY" in cis2.stderr
    )
    assert entra.returncode != 0 and "ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET" in entra.stderr


def test_production_refuses_a_provider_that_is_not_https(tmp_path):
    result = run_with_settings(
        tmp_path,
        PRINT_PROVIDERS,
        PORTAL_ENVIRONMENT="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="portal.test",
        CIS2_ISSUER="http://cis2.example.nhs.uk",
        CIS2_CLIENT_ID="portal-client",
        CIS2_PRIVATE_KEY="-----BEGIN PRIVATE KEY-----",
    )

    assert result.returncode != 0
    assert "CIS2_ISSUER must be an https:// address in production" in result.stderr
