"""PDFs of the portal's own templates (health sections, meeting minutes), with xhtml2pdf.

One place for the font, the resource policy (no network, no files but the font),
keeping document text out of the logs, and the download's headers (``pdf_download``).
"""

from __future__ import annotations

import functools
import io
import logging
from pathlib import Path

from django.http import HttpResponse
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

#: Where to find DejaVu Sans, which draws the letters of names in every European alphabet.
#: Without it the PDF uses Helvetica, which has Western European letters only ("Ł" and
#: "Ş" come out as boxes). Debian/Ubuntu: fonts-dejavu-core; Fedora and Alpine: the second.
PDF_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
)


@functools.cache
def pdf_font() -> dict[str, str] | None:
    for folder in PDF_FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return {"folder": str(folder), "regular": str(regular), "bold": str(bold)}
    return None


class PdfNotMade(RuntimeError):
    """xhtml2pdf could not turn the printout into a PDF."""


class _FirstLineOnly(logging.Filter):
    """xhtml2pdf ends each warning with 50 characters of the document, which here may be a
    child's name or health needs: keep only the first line, the warning itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = record.getMessage().split("\n", 1)[0]
        record.args = ()
        return True


_first_line_only = _FirstLineOnly()


def _keep_document_text_out_of_logs() -> None:
    names = [n for n in logging.root.manager.loggerDict if n.split(".")[0] == "xhtml2pdf"]
    for name in ["xhtml2pdf", *names]:
        logger_ = logging.getLogger(name)
        if _first_line_only not in logger_.filters:
            logger_.addFilter(_first_line_only)


def render_pdf(html: str) -> bytes:
    """The PDF of our own template's HTML. The document may read only the font folder and
    nothing over the network (xhtml2pdf's resource policy), whatever text it holds."""
    _keep_document_text_out_of_logs()
    font = pdf_font()
    policy = ResourceAccessPolicy.server(
        base_dir=font["folder"] if font else None, allow_remote=False
    )
    out = io.BytesIO()
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8", resource_policy=policy)
    if result.err:
        raise PdfNotMade(f"xhtml2pdf reported {result.err} error(s)")
    return out.getvalue()


def pdf_download(pdf: bytes, filename: str) -> HttpResponse:
    """``pdf`` as a download named ``filename``: a name the portal makes (an id, a date, a
    slug), never one a person typed, so it needs no quoting and names no child."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
