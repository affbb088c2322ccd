"""The QR code an authenticator app scans, drawn on the server.

An SVG in a ``data:`` image: no script, and no inline style for the Content Security Policy
to block (img-src allows data:). The path variant with a white fill keeps the quiet zone
light on any page background.
"""

import base64

import qrcode
import qrcode.image.svg


def qr_code_data_uri(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathFillImage)
    svg = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def secret_for_typing(device) -> str:
    """The authenticator's secret in base32, as apps ask for it when typed by hand, in groups
    of four so it can be read across."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
