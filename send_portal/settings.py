"""Settings for the SEND Health Portal: one module, read from the environment.

Every setting that differs between a laptop and production is an environment
variable (a ``.env`` file beside ``manage.py`` is read if present); README.md
lists them all. The embedded default runs with nothing installed but Python
and npm: SQLite and the Celery filesystem broker under ``var/``. Production
(``PORTAL_ENVIRONMENT=production``) refuses to start without a real secret
key (50 characters or more) or with DEBUG on, and turns on the HTTPS-only settings.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

# Where the embedded run keeps its state (database, broker, mail, secret key).
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

ENVIRONMENTS = ("development", "production")
PORTAL_ENVIRONMENT = env.str("PORTAL_ENVIRONMENT", default="development")
if PORTAL_ENVIRONMENT not in ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"PORTAL_ENVIRONMENT must be one of {', '.join(ENVIRONMENTS)}, not {PORTAL_ENVIRONMENT!r}."
    )
IS_PRODUCTION = PORTAL_ENVIRONMENT == "production"

# django-environ's bool parser treats any unknown word as False; refuse it instead,
# so a typo in production cannot silently change behaviour.
_TRUE_WORDS = {"true", "1", "yes", "on"}
_FALSE_WORDS = {"false", "0", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    raw = env.str(name, default="")
    if raw == "":
        return default
    if raw.lower() in _TRUE_WORDS:
        return True
    if raw.lower() in _FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


# Off unless asked for (DEBUG=true), in the embedded run too: Django's debug page lists
# every URL pattern and settings to whoever mistypes an address. The portal's own 404 and
# 500 pages show instead; WhiteNoise serves the static files either way (below).
DEBUG = env_bool("DEBUG", default=False)
if IS_PRODUCTION and DEBUG:
    # DEBUG pages show settings, SQL and local variables (children's records) to anyone
    # who reaches an error; `check --deploy` only warns, so a production start refuses it.
    raise ImproperlyConfigured(
        "DEBUG must be false in production (PORTAL_ENVIRONMENT=production): remove DEBUG "
        "from the environment or set DEBUG=false."
    )

#: A production secret key as Django's deployment check wants it (security.W009): at least
#: 50 characters, at least 5 different ones, and not one Django generated for a demo.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5


def _secret_key() -> str:
    key = env.str("SECRET_KEY", default="")
    if key and IS_PRODUCTION:
        _refuse_a_weak_secret_key(key)
    if key:
        return key
    if IS_PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. In production the portal needs a long random "
            "SECRET_KEY in its environment (for example from "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`); "
            "it will not start without one."
        )
    # Development: generate once and reuse, so sessions survive restarts.
    key_file = VAR_DIR / "secret_key"
    if not key_file.is_file():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _refuse_a_weak_secret_key(key: str) -> None:
    # A short key can be guessed offline from one signed cookie, and then sessions and
    # password-reset links forged; the message never repeats the key itself.
    if (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or key.startswith("django-insecure-")
    ):
        raise ImproperlyConfigured(
            f"SECRET_KEY is too weak for production: it must be at least "
            f"{SECRET_KEY_MIN_LENGTH} random characters (at least "
            f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS} different ones); make one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if IS_PRODUCTION else ["127.0.0.1", "localhost", "[::1]"]
)
if IS_PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the portal's host names in production.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

LOCAL_AREA_NAME = env.str("LOCAL_AREA_NAME", default="South Tyneside")
SERVICE_TITLE = "SEND Health Coordination"
# The deployment's name, in emails and on pages for someone bound to no area; a person's
# pages name the areas they work in (home/context_processors.py).
SERVICE_NAME = f"{SERVICE_TITLE} — {LOCAL_AREA_NAME}"
# The local area an existing one-area database becomes when it is upgraded to local areas
# (roles/upgrade.py), and its ICB. Read by that migration only: afterwards the areas are
# kept in the admin. Without a code, the area is made with a placeholder name and no code,
# and the admin flags it until someone sets them.
LOCAL_AREA_CODE = env.str("LOCAL_AREA_CODE", default="")
LOCAL_AREA_COUNCIL = env.str("LOCAL_AREA_COUNCIL", default="")
ICB_NAME = env.str("ICB_NAME", default="")
ICB_CODE = env.str("ICB_CODE", default="")

INSTALLED_APPS = [
    "send_portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "rules.apps.AutodiscoverRulesConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "audit",
    "security",
    "nhsuk_forms",
    "notifications",
    "roles",
    "service_status",
    "ehcp",
    "clinics",
    "tribunal",
    "meetings",
    "intelligence",
    "home",
    "outbox",
    "session_security",
    # The API for councils' case systems (case_systems/, README "The API for councils'
    # case systems"): Django REST framework, its OpenAPI schema, OAuth 2.0 clients.
    "rest_framework",
    "drf_spectacular",
    "oauth2_provider",
    "case_systems",
    # Signed webhooks to the case systems (webhooks/, README "Webhooks").
    "webhooks",
]

# --- Load data and the benchmark (load_data/, bench/run.py; docs/PERFORMANCE.md) -------------
# PORTAL_BENCHMARK installs the load data app (`manage.py generate_load_data`);
# PORTAL_BENCHMARK_FLOOR adds /bench/floor (no database, no template) and /bench/admin/ (a
# plain admin changelist of plans for comparison). bench/run.py turns both on; the load data
# tests install the app themselves (load_data/tests/conftest.py). Never in production.
BENCHMARK_APPS = ["load_data"]
PORTAL_BENCHMARK = env_bool("PORTAL_BENCHMARK", default=False)
PORTAL_BENCHMARK_FLOOR = env_bool("PORTAL_BENCHMARK_FLOOR", default=False)
if IS_PRODUCTION and PORTAL_BENCHMARK:
    raise ImproperlyConfigured("PORTAL_BENCHMARK is for benchmarks, never production.")
if IS_PRODUCTION and PORTAL_BENCHMARK_FLOOR:
    raise ImproperlyConfigured("PORTAL_BENCHMARK_FLOOR is for benchmarks, never production.")
if PORTAL_BENCHMARK:
    INSTALLED_APPS += BENCHMARK_APPS

MIDDLEWARE = [
    "send_portal.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    # Every page needs a signed-in user unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A signed-in person must pass the second factor too, when PORTAL_REQUIRE_MFA is on.
    "security.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Keeps each signed-in session's "last seen" (once a minute) and ends one signed out elsewhere.
    "session_security.middleware.SignedInSessionMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Every call a case system makes to the API is an audit event (case_systems/).
    "case_systems.middleware.ApiCallAuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Pages for a signed-in person may show personal data: no browser or proxy keeps them.
    "send_portal.cache_control.NoStoreForSignedInMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "send_portal.urls"
WSGI_APPLICATION = "send_portal.wsgi.application"
ASGI_APPLICATION = "send_portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "home.context_processors.portal",
                "notifications.context_processors.notifications",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"sqlite:///{(VAR_DIR / 'portal.sqlite3').as_posix()}"
    )
}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, the Celery worker and beat share one SQLite file: WAL lets
    # readers and a writer work at once, IMMEDIATE transactions take the write
    # lock up front (no "database is locked" on upgrade), the timeout waits for it.
    _db.setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
    # A test database on disk (not in memory) so a real Celery worker started by a
    # test can open it too; one per test run, so two runs never share it.
    _db.setdefault("TEST", {})["NAME"] = (VAR_DIR / f"test-portal-{os.getpid()}.sqlite3").as_posix()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
else:
    _db.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    _db.setdefault("CONN_HEALTH_CHECKS", True)
    # The planner's price of a random page read against a sequential one. PostgreSQL's
    # default (4.0) models spinning disks; on SSDs and in cloud databases the docs advise
    # values near 1 ("Planner Cost Constants"). At 4.0, a person's local area (1,800 of a
    # region's 180,000 children) was joined to its assessments by scanning all 150,000
    # of them: the DMO's queue took 20 ms a query, with 1.1 it walks the area's children
    # by index (5 ms): docs/PERFORMANCE.md, local areas.
    # And the share of a cursor's rows it plans to read: 0.1 by default, planning for the
    # first rows fast. Django reads a server-side cursor (``iterator()``: every <select>'s
    # choices, the CSV exports) to the end, so it is planned as the whole query: the queue's
    # "advice from" choices took 72 ms through a cursor and 6 ms as a plain query.
    _options = _db.setdefault("OPTIONS", {})
    # Prepared statements: every statement binds its parameters on the server, and psycopg
    # prepares one once a connection has run it ``prepare_threshold`` times, so PostgreSQL
    # stops planning what every page asks again and again. Planning was half of a page's
    # database time: the sign-off queue's rows took 0.6-0.8 ms to plan and 0.7-0.9 to run;
    # prepared, its generic plan runs as fast and is not planned again (docs/PERFORMANCE.md,
    # seventh round). Off (empty) behind a pooler that cannot keep prepared statements
    # (PgBouncer in transaction mode before 1.21); statements then bind on the client, as
    # by Django's default, since binding on the server without preparing only costs. Bound
    # on the server, one statement takes at most 65,535 parameters: a bulk insert of more
    # rows than that allows goes in batches (intelligence.services.MERGE_BATCH,
    # load_data.common.rows_per_insert).
    _prepare = env.str("PORTAL_PG_PREPARE_THRESHOLD", default="5").strip()
    _options.setdefault("prepare_threshold", int(_prepare) if _prepare else None)
    _options.setdefault("server_side_binding", _options["prepare_threshold"] is not None)
    if "options" not in _options:
        cost = env.float("PORTAL_PG_RANDOM_PAGE_COST", default=1.1)
        _options["options"] = f"-c random_page_cost={cost} -c cursor_tuple_fraction=1.0"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Users, sign-in and permissions ---------------------------------------------

AUTH_USER_MODEL = "roles.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account or address is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Named permissions computed from current role assignments (roles/rules.py).
    "rules.permissions.ObjectPermissionBackend",
    # Checks the password only; it grants no permissions (roles/backends.py).
    "roles.backends.EmailPasswordBackend",
]
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "sign-in"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "security.password_validation.MaximumLengthValidator",
        "OPTIONS": {"max_length": 128},
    },
]

# --- Second factor (django-otp: an authenticator app, with backup codes) ----------------
# Production always asks for it; only the embedded demo may run without (README.md).
PORTAL_REQUIRE_MFA = env_bool("PORTAL_REQUIRE_MFA", default=IS_PRODUCTION)
if IS_PRODUCTION and not PORTAL_REQUIRE_MFA:
    raise ImproperlyConfigured(
        "PORTAL_REQUIRE_MFA cannot be turned off in production: "
        "every sign-in needs a second factor."
    )
OTP_TOTP_ISSUER = "SEND Health Portal"

# --- Federated sign-in (OpenID Connect; security/federation.py) -------------------------
# Each provider is off unless configured. NHS Care Identity Service 2: the portal proves
# who it is with a key pair it holds (private_key_jwt; its public key is served as a JWKS
# at /account/sign-in/cis2/jwks/). Microsoft Entra ID: one application registration, used
# by each organisation's tenant (the issuer is per tenant), with a client secret. The
# README says how to register the portal with each.


def _pem_from_env(name: str) -> str:
    """A PEM key from ``NAME`` itself, or from the file ``NAME_FILE`` names (a secret
    mounted as a file keeps the key out of the process's environment)."""
    value = env.str(name, default="")
    path = env.str(f"{name}_FILE", default="")
    if value and path:
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
    if path:
        try:
            return Path(path).read_text(encoding="ascii")
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE cannot be read: {error}") from error
    return value.replace("\\n", "\n")


def _provider_url(name: str, value: str) -> str:
    if value and IS_PRODUCTION and not value.startswith("https://"):
        raise ImproperlyConfigured(f"{name} must be an https:// address in production.")
    return value


CIS2_ISSUER = _provider_url("CIS2_ISSUER", env.str("CIS2_ISSUER", default="").rstrip("/"))
CIS2_CLIENT_ID = env.str("CIS2_CLIENT_ID", default="")
CIS2_PRIVATE_KEY = _pem_from_env("CIS2_PRIVATE_KEY")
# Where CIS2 sends people back; empty: PORTAL_BASE_URL + /account/sign-in/cis2/callback/.
CIS2_REDIRECT_URL = _provider_url("CIS2_REDIRECT_URL", env.str("CIS2_REDIRECT_URL", default=""))
CIS2_SCOPES = env.str("CIS2_SCOPES", default="openid profile email nhsperson")
# Which ways of authenticating CIS2 offers (smartcard, security key, authenticator...): any
# at authentication assurance level 3 (CIS2's "acr values" guidance).
CIS2_ACR_VALUES = env.str("CIS2_ACR_VALUES", default="AAL3_ANY")
_cis2_set = [CIS2_ISSUER, CIS2_CLIENT_ID, CIS2_PRIVATE_KEY]
if any(_cis2_set) and not all(_cis2_set):
    raise ImproperlyConfigured(
        "NHS CIS2 sign-in needs CIS2_ISSUER, CIS2_CLIENT_ID and CIS2_PRIVATE_KEY (or "
        "CIS2_PRIVATE_KEY_FILE) together; set all three, or none to turn it off."
    )
CIS2_ENABLED = all(_cis2_set)

ENTRA_CLIENT_ID = env.str("ENTRA_CLIENT_ID", default="")
ENTRA_CLIENT_SECRET = env.str("ENTRA_CLIENT_SECRET", default="")
# The issuer of a tenant's tokens, with {tenant} standing for the tenant's id (the
# Directory (tenant) ID an organisation's administrator gives, set in the admin).
ENTRA_ISSUER_TEMPLATE = _provider_url(
    "ENTRA_ISSUER_TEMPLATE",
    env.str("ENTRA_ISSUER_TEMPLATE", default="https://login.microsoftonline.com/{tenant}/v2.0"),
)
if "{tenant}" not in ENTRA_ISSUER_TEMPLATE:
    raise ImproperlyConfigured("ENTRA_ISSUER_TEMPLATE must contain {tenant}.")
ENTRA_REDIRECT_URL = _provider_url("ENTRA_REDIRECT_URL", env.str("ENTRA_REDIRECT_URL", default=""))
ENTRA_SCOPES = env.str("ENTRA_SCOPES", default="openid profile email")
if bool(ENTRA_CLIENT_ID) != bool(ENTRA_CLIENT_SECRET):
    raise ImproperlyConfigured(
        "Microsoft Entra ID sign-in needs ENTRA_CLIENT_ID and ENTRA_CLIENT_SECRET together."
    )
ENTRA_ENABLED = bool(ENTRA_CLIENT_ID)
# Seconds to wait for a provider (discovery, keys, the token endpoint) before giving up.
FEDERATION_TIMEOUT = env.int("FEDERATION_TIMEOUT", default=10)
# Administrators may remove someone's authenticator (a lost phone) but never read its secret
# or their backup codes in the admin: either would let them pass as that person.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
PORTAL_BACKUP_CODE_COUNT = 10

# --- Lockout after repeated failed sign-ins (django-axes) --------------------------------
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
# The same account from the same address: one person mistyping cannot lock out another
# address, and one address cannot try every account without each one counting.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
# Emails sign in in any case: count "Ann@x" and "ann@x" as the same account.
AXES_USERNAME_CALLABLE = "security.lockout.username_for_lockout"
AXES_RESET_ON_SUCCESS = True
# How many proxies (load balancer, reverse proxy) stand in front of the portal. The client
# address is the one the outermost trusted proxy saw, counted from the right of
# X-Forwarded-For; with 0 the header is ignored, so a forged one changes nothing
# (security/lockout.py; python-ipware's proxy count does not mean this, so it is not used).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "security.lockout.client_address"
AXES_LOCKOUT_CALLABLE = "security.lockout.locked_out_page"
AXES_VERBOSE = False

# --- Password reset requests (security/services.py::request_password_reset) ---------------
# Each request is counted by the address typed (any case) and by the client address (the
# same client_address as the lockout above), over the last PASSWORD_RESET_LIMIT_MINUTES:
# one mailbox cannot be flooded, and one client cannot send a reset to every address.
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.int("PASSWORD_RESET_LIMIT_PER_ADDRESS", default=3)
PASSWORD_RESET_LIMIT_PER_CLIENT = env.int("PASSWORD_RESET_LIMIT_PER_CLIENT", default=10)
PASSWORD_RESET_LIMIT_MINUTES = env.int("PASSWORD_RESET_LIMIT_MINUTES", default=60)

# Inactivity timeout: a session ends this many minutes after its last request (the page
# warns two minutes before; session_security/). Step-up: sensitive actions ask for the
# password again when it was last entered more than STEP_UP_MINUTES ago.
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# The age counts from the last request (an inactivity timeout), to within a minute: the
# session is saved when it changed, on every POST, and otherwise at most once a minute
# (session_security.middleware), not on every request.
SESSION_SAVE_EVERY_REQUEST = False
STEP_UP_MINUTES = env.int("STEP_UP_MINUTES", default=5)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- The API for councils' case systems (/api/v1/, case_systems/) ----------------------
# OAuth 2.0 client credentials through django-oauth-toolkit: each case system is a
# confidential client whose secret is stored hashed (the toolkit's default); its access
# tokens live API_ACCESS_TOKEN_MINUTES. Which scopes a client may have is its record's
# (case_systems.scopes); the validator issues tokens by client credentials only, and
# never to a revoked case system (case_systems.oauth).
API_ACCESS_TOKEN_MINUTES = env.int("API_ACCESS_TOKEN_MINUTES", default=10)
if not 1 <= API_ACCESS_TOKEN_MINUTES <= 60:
    raise ImproperlyConfigured("API_ACCESS_TOKEN_MINUTES must be from 1 to 60.")
# Token requests a minute from one client address: each checks a secret against its slow
# hash, so a flood is refused before it costs that (case_systems.throttling).
API_TOKEN_REQUESTS_PER_MINUTE = env.int("API_TOKEN_REQUESTS_PER_MINUTE", default=30)
if not 1 <= API_TOKEN_REQUESTS_PER_MINUTE <= 1000:
    raise ImproperlyConfigured("API_TOKEN_REQUESTS_PER_MINUTE must be from 1 to 1000.")
# The toolkit's own models, named here because the case systems' migration points at the
# application model through Django's swappable setting.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": API_ACCESS_TOKEN_MINUTES * 60,
    # RFC 9700 (the OAuth 2.0 security best current practice) enforced, not only warned
    # of: no implicit or password grant, no plain PKCE, no token in the address, tokens
    # stored hashed, refresh tokens' replay ending their family, https redirects. The
    # case systems use none of the grants it forbids (client credentials only).
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
    "SCOPES_BACKEND_CLASS": "case_systems.scopes.CaseSystemScopes",
    "OAUTH2_VALIDATOR_CLASS": "case_systems.oauth.CaseSystemValidator",
}
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["case_systems.authentication.CaseSystemAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["case_systems.permissions.HasResourceScope"],
    "DEFAULT_THROTTLE_CLASSES": ["case_systems.throttling.PerCaseSystemThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "case_systems.pagination.NewestFirstCursor",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "case_systems.problems.exception_handler",
    # No OPTIONS answers: the schema at /api/v1/schema/ describes every endpoint.
    "DEFAULT_METADATA_CLASS": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # ISO 8601: dates as 2026-03-01, times with their offset (+00:00 or +01:00, London).
    "DATETIME_FORMAT": "iso-8601",
    "DATE_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SEND Health Portal API for councils' case systems",
    "DESCRIPTION": "Children, EHC needs assessments, requests for health advice and the "
    "signed-off health sections C and G, for a council's case system. OAuth 2.0 client "
    "credentials; errors are RFC 9457 problem details; lists page with cursors.",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema is public (it holds no data), served at /api/v1/schema/ without a token.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for the SEN2 need categories, primary or secondary; the kinds of change of
    # the changes feed and the webhooks (case_systems/changes.py).
    "ENUM_NAME_OVERRIDES": {
        "NeedEnum": "ehcp.models.Need.choices",
        "ChangeTypeEnum": "ehcp.models.CaseChange.Kind",
    },
    # Ids in addresses are <id:pk> (send_portal/converters.py): positive, at most a bigint.
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "case_systems.schema.add_problem_responses",
    ],
}

# --- Webhooks to councils' case systems (webhooks/, docs/SECURITY.md) -------------------
# Each change a case system follows is posted, signed, to its endpoints: https on the public
# internet only. In development and tests a receiver on this machine may be allowed (plain
# http, private and loopback addresses); production refuses to start with either.
WEBHOOKS_ALLOW_HTTP = env_bool("WEBHOOKS_ALLOW_HTTP", default=DEBUG)
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", default=DEBUG)
if IS_PRODUCTION and (WEBHOOKS_ALLOW_HTTP or WEBHOOKS_ALLOW_PRIVATE_ADDRESSES):
    raise ImproperlyConfigured(
        "WEBHOOKS_ALLOW_HTTP and WEBHOOKS_ALLOW_PRIVATE_ADDRESSES are for development only: "
        "in production webhooks go over https to the public internet."
    )
# Seconds to connect and to wait for each answer: a slow receiver costs a worker no more.
WEBHOOKS_TIMEOUT_SECONDS = env.int("WEBHOOKS_TIMEOUT_SECONDS", default=5)
if not 1 <= WEBHOOKS_TIMEOUT_SECONDS <= 30:
    raise ImproperlyConfigured("WEBHOOKS_TIMEOUT_SECONDS must be from 1 to 30.")

# --- Audit log ----------------------------------------------------------------------

# How long audit events are kept before the nightly task deletes them. 2922 days (8 years)
# is a local default, not a figure checked against the NHS Records Management Code of
# Practice: set it to what the organisation's records manager decides.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=8 * 365 + 2)
if AUDIT_RETENTION_DAYS < 1:
    raise ImproperlyConfigured("AUDIT_RETENTION_DAYS must be a whole number of days, 1 or more.")

# --- Time -------------------------------------------------------------------------

# The portal is in British English only. LANGUAGE_CODE still chooses the formats (dates as
# "7 Dec 2026", typed dates as 07/12/2026), but translation is switched off: Django's en_GB
# catalogues translate no word differently from the English they translate (all 564
# entries; tests/test_british_english.py). With it on, every word a page shows, every
# month's name in a date and every URL reversed asked the translation machinery for the
# active language in asgiref's context-local storage: 3.5% of the About page's
# instructions, 4% of the sign-off queue's (docs/PERFORMANCE.md, twelfth round).
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

# --- Static files: the NHS.UK frontend, ready-built, served by WhiteNoise -------------

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NHSUK_FRONTEND_DIST = BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"
STATICFILES_DIRS = [BASE_DIR / "static", ("nhsuk", NHSUK_FRONTEND_DIST)]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Outside production WhiteNoise serves straight from the finders: no collectstatic step.
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"

# Uploaded meeting papers: what may be uploaded, and how big.
PAPER_MAX_BYTES = env.int("PAPER_MAX_BYTES", default=10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Forms ----------------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = ("nhsuk",)
CRISPY_TEMPLATE_PACK = "nhsuk"
# Django's renderer, but a <select> is written without a template per option.
FORM_RENDERER = "nhsuk_forms.renderer.PortalFormRenderer"

# --- Email ----------------------------------------------------------------------------

_email_url = env.str("EMAIL_URL", default="")
if _email_url:
    vars().update(env.email_url("EMAIL_URL"))
else:
    # Embedded default: each message is written to a file under var/mail/.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
# Seconds to wait for the mail server: a server that hangs fails the send (and the task
# retries it later, send_portal/notifications.py) instead of holding a worker.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# The port `make run` serves on (Procfile binds gunicorn to 127.0.0.1:PORTAL_PORT).
PORTAL_PORT = env.int("PORTAL_PORT", default=8000)
if not 1 <= PORTAL_PORT <= 65535:
    raise ImproperlyConfigured(f"PORTAL_PORT must be a port number (1–65535), not {PORTAL_PORT}.")
# The address people use to reach the portal: links that leave it (emails, the calendar
# feed and the events in it) start with it. Set, it is used everywhere (behind a proxy the
# portal cannot know its public address). Unset, it follows the address the portal serves
# on: the embedded run's PORTAL_PORT for emails sent by the worker, and the address the
# request came to on pages (send_portal.notifications.portal_url).
PORTAL_BASE_URL_IS_SET = bool(env.str("PORTAL_BASE_URL", default=""))
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="") or f"http://127.0.0.1:{PORTAL_PORT}"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="send-portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery -----------------------------------------------------------------------------

# A worker acknowledges a message only once its task has ended, so work handed to a worker
# that dies part-way is delivered again: at once when a pool process is killed
# (reject_on_worker_lost), and after CELERY_VISIBILITY_TIMEOUT_SECONDS when the whole
# worker is (Redis keeps the message in its unacknowledged set until then; any worker's
# sweep, every 10 s, puts it back on the queue). Every task is safe to run twice
# (docs/SECURITY.md, Reliability). One message at a time per worker process, so a worker
# that dies holds back no more than the task it was running.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
#: The hard time limit of a task (seconds); the soft one a minute before it.
CELERY_TASK_TIME_LIMIT = 5 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 4 * 60
#: The longest a healthy worker holds a message unacknowledged: a retry waiting out the
#: email backoff's longest wait (send_portal/notifications.py, 15 minutes) and then running
#: to the hard time limit. The visibility timeout must outlast it, or Redis would hand a
#: message a live worker still holds to a second worker.
LONGEST_HOLD_SECONDS = 15 * 60 + CELERY_TASK_TIME_LIMIT
CELERY_VISIBILITY_TIMEOUT_SECONDS = env.int(
    "CELERY_VISIBILITY_TIMEOUT_SECONDS", default=LONGEST_HOLD_SECONDS + 5 * 60
)

#: The outbox relay sends again a message no worker finished this long after it was last
#: handed over (sent, started or retried; outbox/receivers.py): the way back for work a dead
#: worker held on any broker, the filesystem one included. Longer than the email backoff's
#: longest wait (15 minutes) and the hard time limit, each counted from a renewal.
OUTBOX_RESEND_AFTER_MINUTES = env.int("OUTBOX_RESEND_AFTER_MINUTES", default=20)
#: Deliveries after which a message no worker finishes is recorded as failed, not sent
#: again (a task that kills its worker every time).
OUTBOX_MAX_DELIVERIES = env.int("OUTBOX_MAX_DELIVERIES", default=5)

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT_SECONDS,
        # Look for messages whose worker died every 10 s (kombu's default is every
        # 10th sweep, about 100 s); one small sorted-set query each time.
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
    }
else:
    # Embedded default: kombu's filesystem transport, so a real worker and beat run
    # with nothing else installed. Worker and beat share the folders below.
    CELERY_BROKER_DIR = VAR_DIR / "celery"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = None
    # No result store, so nothing for beat's nightly result clean-up to do.
    CELERY_RESULT_EXPIRES = None
    for _folder in ("queue", "control"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)

CELERY_TIMEZONE = TIME_ZONE

# --- Cache -----------------------------------------------------------------------------
# Only the commissioner report's figures are cached (intelligence/report.py). With Redis,
# every worker shares them and a change saved by one worker is seen by all at once; in a
# Redis database of its own (REDIS_CACHE_DB), so that clearing the cache never touches
# Celery's queue. Without Redis (the embedded default) each process keeps its own.
REDIS_CACHE_DB = env.int("REDIS_CACHE_DB", default=1)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": urlunsplit(urlsplit(REDIS_URL)._replace(path=f"/{REDIS_CACHE_DB}")),
            "KEY_PREFIX": "send-portal",
            "TIMEOUT": 300,
        }
    }
    if CACHES["default"]["LOCATION"] == REDIS_URL:
        raise ImproperlyConfigured("REDIS_CACHE_DB must not be the database Celery's queue uses.")
#: Whether every process (each gunicorn worker, the Celery worker) sees the same cache:
#: only then may a value that another process can change be kept in it (sessions), since
#: a change clears it for all. Each process's own memory (the embedded default, without
#: Redis) would go on showing a signed-out session in the other workers.
SHARED_CACHE = bool(REDIS_URL)
# Sessions read through the shared cache (one Redis GET instead of a query on every
# request), written to the database too, so a restart of Redis signs nobody out. Ending
# a session elsewhere deletes it through the store, which clears the cached copy
# (session_security/sessions_store.py).
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if SHARED_CACHE
    else "django.contrib.sessions.backends.db"
)
CELERY_ENABLE_UTC = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
DJANGO_CELERY_BEAT_TZ_AWARE = True

# --- Security -------------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content Security Policy (django-csp): scripts, styles and fonts only from the portal
# itself, so no inline script or injected markup can run.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        # The NHS.UK frontend's stylesheet takes the Frutiger fonts from the NHS's own CDN.
        "font-src": [SELF, "https://assets.nhs.uk"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): every browser feature the portal never
# uses is turned off for its pages and anything they might frame, so an injected script
# cannot ask a person for their camera, microphone, location or a payment.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Logging: no personal data; requests are logged by path pattern only ---------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "send_portal.request_id.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if env_bool("LOG_JSON", default=IS_PRODUCTION) else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
