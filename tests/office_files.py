"""Small office documents (docx, xlsx, pptx are zip archives) for upload tests."""

import io
import zipfile


def fixed_time(name: str) -> zipfile.ZipInfo:
    # A fixed date inside the archive: its bytes (and the test ids pytest makes from them)
    # are the same in every process, as pytest-xdist requires.
    return zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))


def office_file(folder: str) -> bytes:
    """A minimal Office Open XML archive whose document sits under ``folder`` ("word/"...)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(fixed_time("[Content_Types].xml"), "<Types/>")
        archive.writestr(fixed_time(f"{folder}document.xml"), "<document/>")
    return buffer.getvalue()
