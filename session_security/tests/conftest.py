from django.conf import settings
from django.utils import timezone

from session_security.step_up import PASSWORD_ENTERED_AT

FIREFOX_ON_WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
)
SAFARI_ON_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1"
)


def sign_in(client, user, password, user_agent=FIREFOX_ON_WINDOWS, address="192.0.2.10"):
    """Sign in through the sign-in page, as a person does (so the request has an address
    and a browser)."""
    response = client.post(
        "/account/sign-in/",
        {"username": user.email, "password": password},
        HTTP_USER_AGENT=user_agent,
        REMOTE_ADDR=address,
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def make_password_stale(client) -> None:
    """The password was last entered longer ago than STEP_UP_MINUTES."""
    session = client.session
    session[PASSWORD_ENTERED_AT] = int(timezone.now().timestamp()) - (
        settings.STEP_UP_MINUTES * 60 + 1
    )
    session.save()
