"""A version's health sections as the council puts them into the child's EHC plan:
a printable page and the same content as a PDF.

The printout names the child (it goes into the child's plan), so each view is
logged as an access to the child's record. The PDF's file name names only the
version, never the child.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from rules.contrib.views import permission_required

from audit.services import Kind, record_event
from ehcp import selectors, services
from ehcp.models import CommissionerAgreement, Plan, SectionsVersion, SignOff
from send_portal.pdf import PdfNotMade, pdf_download, pdf_font, render_pdf
from session_security.step_up import (
    recent_password_required,
    recent_password_required_for_download,
)

logger = logging.getLogger(__name__)


def plan_of_version(request, pk: int) -> Plan:
    """Object getter for permissions on a version: the plan the version belongs to."""
    return get_object_or_404(
        selectors.reachable_by(request.user, Plan).select_related("assessment__child"),
        versions__pk=pk,
    )


@dataclass(frozen=True)
class VersionPrintout:
    """What the printout of one version says, for the page and the PDF alike."""

    version: SectionsVersion
    sign_off: SignOff | None
    agreement: CommissionerAgreement | None
    newer_version_exists: bool

    @classmethod
    def of(cls, version: SectionsVersion) -> VersionPrintout:
        return cls(
            version=version,
            sign_off=getattr(version, "sign_off", None),
            agreement=getattr(version, "commissioner_agreement", None),
            newer_version_exists=(version.latest_number or 0) > version.number,
        )

    @property
    def child(self):
        return self.version.plan.assessment.child

    @property
    def is_signed_off(self) -> bool:
        return self.sign_off is not None

    @property
    def filename(self) -> str:
        return f"health-sections-v{self.version.number}.pdf"


def _printout(request, pk: int, page: str) -> VersionPrintout:
    """The version's printout, logged as an access to the child's record."""
    try:
        version = selectors.version_for_print(request.user, pk)
    except SectionsVersion.DoesNotExist:
        raise Http404("No such version.") from None
    printout = VersionPrintout.of(version)
    services.record_child_access(request, printout.child, page)
    return printout


def _crumbs(user, child, plan) -> list[tuple[str, str]]:
    crumbs = [("Home", reverse("home"))]
    if user.has_perm("ehcp.view_child", child):  # not commissioners, who see plans only
        crumbs.append((child.full_name, reverse("ehcp:child", args=[child.pk])))
    return [*crumbs, ("Health sections", reverse("ehcp:plan", args=[plan.pk]))]


@permission_required("ehcp.view_plan", fn=plan_of_version, raise_exception=True)
@recent_password_required  # the printout names the child
def version_print(request, pk: int):
    printout = _printout(request, pk, "health sections printout")
    record_event(
        Kind.EXPORTED, request=request, target=printout.version, summary="Health sections printout"
    )
    plan = printout.version.plan
    child = printout.child
    return render(
        request,
        "ehcp/printing/version_print.html",
        {
            "printout": printout,
            "version": printout.version,
            "child": child,
            "breadcrumbs": _crumbs(request.user, child, plan),
        },
    )


# --- The PDF ------------------------------------------------------------------------


@never_cache
@permission_required("ehcp.view_plan", fn=plan_of_version, raise_exception=True)
@recent_password_required_for_download  # the PDF names the child
def version_pdf(request, pk: int):
    printout = _printout(request, pk, "health sections PDF")
    html = render_to_string(
        "ehcp/printing/version_pdf.html",
        {
            "printout": printout,
            "version": printout.version,
            "child": printout.child,
            "pdf_font": pdf_font(),
        },
        request=request,
    )
    try:
        pdf = render_pdf(html)
    except PdfNotMade:
        # No personal data in the log: the version's id is enough to find it again.
        logger.exception("Could not make the PDF of sections version %s", pk)
        raise
    response = pdf_download(pdf, printout.filename)
    record_event(
        Kind.EXPORTED, request=request, target=printout.version, summary="Health sections PDF"
    )
    return response
