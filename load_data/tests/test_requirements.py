"""The load generator says what to install when a development requirement is missing,
instead of stopping with a traceback (docs/PERFORMANCE.md, "How to reproduce")."""

from __future__ import annotations

import sys

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.django_db
def test_without_faker_the_command_says_to_install_the_development_requirements(
    monkeypatch, load_data_installed
):
    # None in sys.modules makes "from faker import Faker" fail as an absent package does.
    monkeypatch.setitem(sys.modules, "faker", None)
    with pytest.raises(CommandError, match=r"make setup \.venv/\.dev-installed"):
        call_command("generate_load_data", "--scale", "0.01")


def test_faker_is_pinned_in_the_development_requirements():
    from pathlib import Path

    from django.conf import settings

    lines = (Path(settings.BASE_DIR) / "requirements-dev.txt").read_text().splitlines()
    assert any(line.startswith("Faker==") for line in lines)
