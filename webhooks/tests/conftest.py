"""A council's case system with a webhook endpoint, and a real HTTP receiver on this machine's
loopback address for the endpoint to point at."""

from __future__ import annotations

import http.server
import threading
from dataclasses import dataclass, field

import pytest

from case_systems import services as case_system_services
from ehcp.models import CaseChange
from roles.models import Organisation
from tests.factories import OrganisationFactory, the_test_area
from webhooks import services


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """An HTTP server in a thread: it records each request and answers with the next of
    ``answers`` (the last one again once they run out). ``hold`` keeps it from answering
    until set (a receiver that hangs)."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    answers: list[tuple[int, dict[str, str]]] = field(default_factory=lambda: [(204, {})])
    hold: threading.Event | None = None

    def next_answer(self) -> tuple[int, dict[str, str]]:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def start_receiver() -> tuple[Receiver, http.server.ThreadingHTTPServer]:
    receiver = Receiver()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            receiver.received.append(
                Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            if receiver.hold is not None:
                receiver.hold.wait(10)
            status, headers = receiver.next_answer()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format, *args):  # noqa: A002 - the quiet test server
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/portal?council=test"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver, server


@pytest.fixture
def receiver(settings):
    """A receiver on the loopback address, which tests (like development) may post to."""
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    receiver, server = start_receiver()
    yield receiver
    if receiver.hold is not None:
        receiver.hold.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def council(db):
    return OrganisationFactory(name="Test Council", kind=Organisation.Kind.COUNCIL)


@pytest.fixture
def case_system(council):
    return case_system_services.register_case_system(
        name="Mosaic, Test Council", organisation=council, areas=[the_test_area()]
    ).case_system


@pytest.fixture
def endpoint_and_secret(case_system, receiver):
    return services.add_endpoint(case_system, receiver.url, CaseChange.Kind.values)


@pytest.fixture
def endpoint(endpoint_and_secret):
    return endpoint_and_secret[0]
