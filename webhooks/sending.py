"""One POST of a webhook: to the address checked, within a short time, never redirected.

Python's ``http.client`` rather than an HTTP library: it follows no redirect (a 3xx is an
answer, counted as a failure, so a receiver cannot send the body on to an address nobody
checked), reads no proxy from the environment, and lets the connection be made to the
exact IP address ``addresses.public_addresses`` checked while the TLS certificate is still
checked against the server's name.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from webhooks.addresses import RefusedAddress, public_addresses

USER_AGENT = "SEND-Health-Portal-Webhooks/1"


@dataclass(frozen=True)
class Answer:
    """How one POST went: the status code, or why there was none; how long it took."""

    status_code: int | None
    error: str
    duration_ms: int

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to ``address``, with the Host header of the name in the URL."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to ``address``; the certificate checked against the name in the URL."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _cut_off(connection: http.client.HTTPConnection, out_of_time: threading.Event) -> None:
    out_of_time.set()
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> Answer:
    """POST ``body`` to ``url``; every failure is an ``Answer`` with its reason, never an
    exception. The reason names what failed, never the body or a header."""
    started = time.monotonic()

    def answer(status_code: int | None, error: str = "") -> Answer:
        return Answer(status_code, error[:300], int((time.monotonic() - started) * 1000))

    parts = urlsplit(url)
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    try:
        address = public_addresses(parts.hostname, port)[0]
    except RefusedAddress as refused:
        return answer(None, str(refused))
    connection_class = _PinnedHTTPSConnection if https else _PinnedHTTPConnection
    connection = connection_class(parts.hostname, port, address, timeout)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    # The socket's timeout bounds each wait, but a receiver answering a byte at a time would
    # renew it for ever: the whole POST, connection to answer, gets ``timeout`` too, after
    # which the socket is shut from this timer's thread and the waiting read ends.
    out_of_time = threading.Event()
    watchdog = threading.Timer(timeout, _cut_off, args=(connection, out_of_time))
    watchdog.daemon = True
    watchdog.start()
    try:
        connection.request(
            "POST",
            target,
            body=body,
            headers={
                **headers,
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
            },
        )
        status = connection.getresponse().status
    except TimeoutError:
        return answer(None, f"No answer within {timeout:g} seconds.")
    except (OSError, http.client.HTTPException, ValueError) as error:
        if out_of_time.is_set():
            return answer(None, f"No answer within {timeout:g} seconds.")
        if isinstance(error, ssl.SSLError):
            return answer(None, f"TLS failed: {error.__class__.__name__} ({error.reason}).")
        # ValueError: what http.client says of an address or an answer it cannot use.
        return answer(None, f"Could not post: {error.__class__.__name__}.")
    finally:
        # The answer's body is never read: its status is what counts.
        watchdog.cancel()
        connection.close()
    if 300 <= status < 400:
        return answer(status, "Redirects are not followed: give the final address.")
    if not 200 <= status < 300:
        return answer(status, f"The endpoint answered {status}.")
    return answer(status)
