"""A PDF the portal makes goes out as a download of the name the portal gives it."""

from send_portal.pdf import pdf_download


def test_a_pdf_is_a_download_with_the_portal_s_name():
    response = pdf_download(b"%PDF-1.4 x", "tribunal-response-7.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="tribunal-response-7.pdf"'
    assert response.content == b"%PDF-1.4 x"
