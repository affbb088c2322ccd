"""The contract with councils' systems: the published schema is the committed one.

``case_systems/openapi.json`` is what councils build against. Any change to the API's
shape (a field renamed or removed, a type, a required field, a status) changes the schema
and fails this test until the file is regenerated and committed with the change, so a
breaking change is always a decision someone made, never an accident.
"""

from __future__ import annotations

import json
from pathlib import Path

from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

COMMITTED = Path(__file__).resolve().parent.parent / "openapi.json"
REGENERATE = (
    ".venv/bin/python manage.py spectacular --format openapi-json --validate "
    "--file case_systems/openapi.json"
)


def _differences(old, new, path="") -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in sorted(set(old) | set(new)):
            where = f"{path}/{key}"
            if key not in new:
                found.append(f"removed {where}")
            elif key not in old:
                found.append(f"added {where}")
            else:
                found += _differences(old[key], new[key], where)
        return found
    return [] if old == new else [f"changed {path}"]


def test_the_schema_is_the_committed_contract():
    generated = SchemaGenerator().get_schema(request=None, public=True)
    # Through JSON, as the file is: tuples become lists, lazy strings text.
    generated = json.loads(json.dumps(generated, default=str))
    committed = json.loads(COMMITTED.read_text())
    differences = _differences(committed, generated)
    assert not differences, (
        "The API's schema is not the committed contract (case_systems/openapi.json):\n  "
        + "\n  ".join(differences[:30])
        + "\nIf the change is meant, and safe for the councils' systems built against the "
        f"contract, regenerate it with\n  {REGENERATE}\nand commit it with the change."
    )


def test_the_published_schema_is_the_committed_one_in_json_and_yaml(db):
    import yaml

    committed = json.loads(COMMITTED.read_text())
    as_json = APIClient().get("/api/v1/schema/?format=json")
    assert as_json.status_code == 200
    assert json.loads(as_json.content) == committed
    as_yaml = APIClient().get("/api/v1/schema/?format=yaml")
    assert as_yaml.status_code == 200
    assert yaml.safe_load(as_yaml.content)["openapi"] == "3.1.0"
    assert committed["openapi"] == "3.1.0"
