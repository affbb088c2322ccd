"""The README's way for a council to verify a webhook works on the portal's own deliveries: the
Python function and the shell lines are taken from README.md as written and run here, so
the document cannot drift from what the portal sends."""

from __future__ import annotations

import datetime
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone

from ehcp import services as ehcp_services
from ehcp.tests.factories import make_advice_request
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_block(language: str, after: str) -> str:
    text = README.read_text()
    start = text.index(after)
    match = re.compile(rf"```{language}\n(.*?)```", re.S).search(text, start)
    return match.group(1)


@pytest.fixture
def delivered(endpoint_and_secret, receiver, django_capture_on_commit_callbacks):
    """A real delivery as the receiver got it, and the endpoint's secret."""
    _, secret = endpoint_and_secret
    with django_capture_on_commit_callbacks(execute=True):
        ehcp_services.submit_advice(make_advice_request(), UserFactory(), "Advice.", False)
    (posted,) = receiver.received
    return secret, posted


def test_the_readmes_python_verifies_a_delivery_and_refuses_a_forgery_or_a_replay(delivered):
    secret, posted = delivered
    namespace = {}
    exec(readme_block("python", "**Verifying a webhook.**"), namespace)  # noqa: S102
    verify = namespace["verify"]

    assert verify(secret, posted.headers, posted.body)
    assert not verify(secret, posted.headers, posted.body + b" ")
    assert not verify("whsec_" + "A" * 44, posted.headers, posted.body)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=6)):
        assert not verify(secret, posted.headers, posted.body)


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")
def test_the_readmes_shell_lines_verify_a_delivery(delivered, tmp_path):
    secret, posted = delivered
    script = readme_block("sh", "Or in a shell")
    (tmp_path / "body.json").write_bytes(posted.body)

    def run(signature: str) -> str:
        environment = {
            "PATH": "/usr/bin:/bin",
            "SECRET": secret,
            "ID": posted.headers["webhook-id"],
            "TS": posted.headers["webhook-timestamp"],
            "SIGNATURE": signature,
        }
        result = subprocess.run(
            ["bash", "-c", script],
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert run(posted.headers["webhook-signature"]) == "valid"
    assert run("v1,bm90IHRoZSBzaWduYXR1cmU=") == "INVALID"
