"""Upgrading a one-area database to local areas: the area everything already there belongs to.

Called by the migrations (roles 0005, ehcp 0016) with their historical models. The area is
named from the settings LOCAL_AREA_NAME, LOCAL_AREA_CODE, LOCAL_AREA_COUNCIL, ICB_NAME and
ICB_CODE (README: "Settings"). Without LOCAL_AREA_CODE the area gets a placeholder name and no
code, and its ICB likewise without ICB_CODE: the portal never invents a real-looking name or
code, and the admin flags the area until an administrator sets them.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from roles.models import UNNAMED_AREA, UNNAMED_ICB

AREA_CODE = re.compile(r"E0[6-9]\d{6}\Z")
ICB_CODE = re.compile(r"E54\d{6}\Z")


def _setting(name: str) -> str:
    return str(getattr(settings, name, "") or "").strip()


def upgrade_area(apps):
    """The area an upgraded database's records belong to: the one already there (the first
    made, or the one with LOCAL_AREA_CODE), else a new one from the settings."""
    LocalArea = apps.get_model("roles", "LocalArea")
    IntegratedCareBoard = apps.get_model("roles", "IntegratedCareBoard")
    area_code = _setting("LOCAL_AREA_CODE").upper()
    icb_code = _setting("ICB_CODE").upper()
    if area_code and not AREA_CODE.match(area_code):
        raise ImproperlyConfigured(
            f"LOCAL_AREA_CODE {area_code!r} is not a local authority's ONS code: E06, E07, E08 "
            "or E09 then six digits, for example E08000023."
        )
    if icb_code and not ICB_CODE.match(icb_code):
        raise ImproperlyConfigured(
            f"ICB_CODE {icb_code!r} is not an ICB's ONS code: E54 then six digits, for example "
            "E54000050."
        )
    existing = LocalArea.objects.order_by("pk")
    if area_code and existing.filter(code=area_code).exists():
        return existing.get(code=area_code)
    if existing.exists():
        return existing.first()
    if icb_code:
        icb, _ = IntegratedCareBoard.objects.get_or_create(
            code=icb_code, defaults={"name": _setting("ICB_NAME") or icb_code}
        )
    else:
        icb, _ = IntegratedCareBoard.objects.get_or_create(
            name=_setting("ICB_NAME") or UNNAMED_ICB, defaults={"code": ""}
        )
    if area_code:
        return LocalArea.objects.create(
            name=_setting("LOCAL_AREA_NAME") or area_code,
            council_name=_setting("LOCAL_AREA_COUNCIL"),
            code=area_code,
            icb=icb,
        )
    return LocalArea.objects.create(
        name=UNNAMED_AREA, council_name=_setting("LOCAL_AREA_COUNCIL"), code="", icb=icb
    )
