"""Run a little Python in a child process with the settings an environment gives.

The settings module reads its environment once, at import; a test of what an environment
does to them needs a fresh interpreter. Variables that choose settings are taken out of
this process's environment first, so that only what the test gives counts.
"""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

SETTINGS_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "REDIS_CACHE_DB",
    "SECRET_KEY",
    "PORTAL_ENVIRONMENT",
    "PORTAL_REQUIRE_MFA",
    "DEBUG",
    "ALLOWED_HOSTS",
    "EMAIL_URL",
    "LOCAL_AREA_NAME",
    "LOCAL_AREA_CODE",
    "LOCAL_AREA_COUNCIL",
    "ICB_NAME",
    "ICB_CODE",
    "LOG_JSON",
    "PORTAL_PORT",
    "PORTAL_BASE_URL",
    "PORTAL_BENCHMARK",
    "PORTAL_BENCHMARK_FLOOR",
    "PORTAL_PG_PREPARE_THRESHOLD",
    "PORTAL_PG_RANDOM_PAGE_COST",
    "CIS2_ISSUER",
    "CIS2_CLIENT_ID",
    "CIS2_PRIVATE_KEY",
    "CIS2_PRIVATE_KEY_FILE",
    "CIS2_REDIRECT_URL",
    "ENTRA_CLIENT_ID",
    "ENTRA_CLIENT_SECRET",
    "ENTRA_ISSUER_TEMPLATE",
    "ENTRA_REDIRECT_URL",
}


def run_with_settings(tmp_path, code: str, **environment) -> subprocess.CompletedProcess:
    """``python -c code`` with ``environment`` (and VAR_DIR under ``tmp_path``)."""
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE="send_portal.settings", VAR_DIR=str(tmp_path))
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
