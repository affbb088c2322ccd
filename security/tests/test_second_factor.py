"""Two-step verification as people meet it: set up at first sign-in, a code at every sign-in."""

import base64
import re

import pytest
import time_machine
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from security.tests.helpers import code_for, events, sign_in

SET_UP = reverse("security:set-up")
CHECK = reverse("security:check")
BACKUP_CODES = reverse("security:backup-codes")


def _key_on_page(page: str) -> str:
    return re.search(r'class="portal-setup-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")


def _device_from_key(user, key: str) -> TOTPDevice:
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert base64.b32encode(device.bin_key).decode().rstrip("=") == key
    return device


@pytest.mark.django_db
def test_a_new_user_signing_in_is_sent_to_set_up_keeping_the_page_asked_for(
    client, dmo, mfa_required
):
    response = sign_in(client, dmo, next_page="/roles/")
    assert response["Location"] == "/roles/"

    response = client.get("/roles/")

    assert response.status_code == 302
    assert response["Location"] == f"{SET_UP}?next=/roles/"
    assert client.get(reverse("home"))["Location"].startswith(SET_UP)


@pytest.mark.django_db
def test_the_set_up_page_shows_a_qr_code_and_key_without_inline_style_or_script(
    client, dmo, mfa_required
):
    client.force_login(dmo)

    page = client.get(SET_UP).content.decode()

    match = re.search(r'<img class="portal-qr-code" src="data:image/svg\+xml;base64,([^"]+)"', page)
    svg = base64.b64decode(match.group(1)).decode()
    assert svg.startswith("<?xml") or svg.startswith("<svg")
    assert "style" not in svg and "<script" not in svg
    assert " style=" not in page and "<script>" not in page
    key = _key_on_page(page)
    device = _device_from_key(dmo, key)
    assert f"secret={key}" in device.config_url
    # Reloading keeps the same secret: the app may already have scanned it.
    assert _key_on_page(client.get(SET_UP).content.decode()) == key
    assert TOTPDevice.objects.filter(user=dmo).count() == 1


@pytest.mark.django_db
def test_setting_up_with_the_right_code_verifies_the_session_and_shows_backup_codes_once(
    client, dmo, mfa_required
):
    client.force_login(dmo)
    key_before = client.session.session_key
    device = _device_from_key(dmo, _key_on_page(client.get(SET_UP).content.decode()))

    response = client.post(SET_UP, {"code": code_for(device), "next": "/roles/"})

    assert response["Location"] == BACKUP_CODES
    device.refresh_from_db()
    assert device.confirmed
    assert client.session.session_key != key_before
    page = client.get(BACKUP_CODES).content.decode()
    shown = re.findall(r"<li><code>([a-z2-7]+)</code></li>", page)
    assert len(shown) == 10
    assert set(shown) == set(
        StaticToken.objects.filter(device__user=dmo).values_list("token", flat=True)
    )
    assert "You will not see these codes again" in page
    assert 'href="/roles/"' in page
    # Shown once: a reload goes to the account's two-step page instead.
    assert client.get(BACKUP_CODES)["Location"] == reverse("security:two-step")
    assert client.get("/roles/").status_code == 200
    [enrolled] = events(AuditEvent.Kind.MFA_ENROLLED)
    assert enrolled.actor == dmo


@pytest.mark.django_db
def test_a_wrong_code_at_set_up_is_an_error_and_confirms_nothing(client, dmo, mfa_required):
    client.force_login(dmo)
    device = _device_from_key(dmo, _key_on_page(client.get(SET_UP).content.decode()))
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"

    response = client.post(SET_UP, {"code": wrong})

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "The code is not right" in page
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("home"))["Location"].startswith(SET_UP)
    assert len(events(AuditEvent.Kind.MFA_FAILED)) == 1
    assert events(AuditEvent.Kind.MFA_ENROLLED) == []


@pytest.mark.django_db
def test_an_empty_code_says_what_to_enter(client, dmo, mfa_required, give_authenticator):
    give_authenticator(dmo)
    client.force_login(dmo)

    page = client.post(CHECK, {"code": ""}).content.decode()

    assert "Enter the 6-digit code from your authenticator app, or a backup code" in page


@pytest.mark.django_db
def test_someone_with_an_authenticator_must_enter_a_code_before_any_page(
    client, dmo, mfa_required, give_authenticator
):
    device = give_authenticator(dmo)
    sign_in(client, dmo)

    assert client.get("/roles/")["Location"] == f"{CHECK}?next=/roles/"
    # Nor can they set up a second authenticator with the password alone.
    assert client.get(SET_UP)["Location"] == CHECK
    key_before = client.session.session_key

    response = client.post(CHECK, {"code": code_for(device), "next": "/roles/"})

    assert response["Location"] == "/roles/"
    assert client.get("/roles/").status_code == 200
    assert client.session.session_key != key_before
    [verified] = events(AuditEvent.Kind.MFA_VERIFIED)
    assert verified.actor == dmo
    assert verified.summary == "Authenticator code"


@pytest.mark.django_db
def test_the_check_page_does_not_send_people_to_another_site(
    client, dmo, mfa_required, give_authenticator
):
    device = give_authenticator(dmo)
    client.force_login(dmo)

    response = client.post(CHECK, {"code": code_for(device), "next": "https://evil.test/"})

    assert response["Location"] == reverse("home")


@pytest.mark.django_db
def test_a_wrong_code_is_refused_and_then_checking_waits(
    client, dmo, mfa_required, give_authenticator
):
    device = give_authenticator(dmo)
    client.force_login(dmo)
    with time_machine.travel("2026-03-02 09:00:00 +0000", tick=False):
        right = code_for(device)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"

        refused = client.post(CHECK, {"code": wrong}).content.decode()
        assert "There is a problem" in refused
        assert "The code is not right" in refused

        # Straight away, even the right code waits: django-otp's throttling.
        throttled = client.post(CHECK, {"code": right}).content.decode()
        assert "too many wrong codes. Wait 1 second," in throttled
        assert client.get(reverse("home")).status_code == 302

    with time_machine.travel("2026-03-02 09:00:05 +0000", tick=False):
        assert client.post(CHECK, {"code": code_for(device)})["Location"] == reverse("home")
    assert len(events(AuditEvent.Kind.MFA_FAILED)) == 2


@pytest.mark.django_db
def test_a_code_cannot_be_used_twice(client, dmo, mfa_required, give_authenticator):
    device = give_authenticator(dmo)
    with time_machine.travel("2026-03-02 09:00:00 +0000", tick=False):
        code = code_for(device)
        client.force_login(dmo)
        assert client.post(CHECK, {"code": code}).status_code == 302

        client.logout()
        client.force_login(dmo)
        response = client.post(CHECK, {"code": code})

    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()


@pytest.mark.django_db
def test_a_backup_code_works_once(client, dmo, mfa_required, give_authenticator):
    from security.services import issue_backup_codes

    give_authenticator(dmo)
    codes = issue_backup_codes(dmo)
    client.force_login(dmo)

    response = client.post(CHECK, {"code": codes[0].upper()[:4] + " " + codes[0][4:]}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("home")
    assert "You used a backup code. You have 9 left" in response.content.decode()
    assert events(AuditEvent.Kind.MFA_VERIFIED)[0].summary == "Backup code"
    client.logout()
    client.force_login(dmo)
    again = client.post(CHECK, {"code": codes[0]})
    assert again.status_code == 200
    assert "The code is not right" in again.content.decode()
    assert StaticToken.objects.filter(device__user=dmo).count() == 9


@pytest.mark.django_db
def test_sign_out_and_password_reset_need_no_second_factor(
    client, dmo, mfa_required, give_authenticator
):
    give_authenticator(dmo)
    client.force_login(dmo)

    assert client.get(reverse("password-reset")).status_code == 200
    assert client.post(reverse("sign-out"))["Location"] == reverse("sign-in")
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_change_password_page_needs_the_second_factor(
    client, dmo, mfa_required, give_authenticator
):
    give_authenticator(dmo)
    client.force_login(dmo)

    assert client.get(reverse("password-change"))["Location"].startswith(CHECK)


@pytest.mark.django_db
def test_without_the_setting_sign_in_asks_for_no_second_factor(client, dmo, settings):
    settings.PORTAL_REQUIRE_MFA = False

    sign_in(client, dmo)

    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("security:two-step")).status_code == 200


@pytest.mark.django_db
def test_the_account_page_shows_the_second_factor_and_makes_new_backup_codes(
    client, dmo, mfa_required, give_authenticator
):
    from security.services import issue_backup_codes

    device = give_authenticator(dmo)
    old_codes = issue_backup_codes(dmo)
    client.force_login(dmo)
    client.post(CHECK, {"code": code_for(device)})

    page = client.get(reverse("security:two-step")).content.decode()
    assert "Backup codes left" in page
    assert '<dd class="nhsuk-summary-list__value">10</dd>' in page

    response = client.post(reverse("security:new-backup-codes"))
    assert response["Location"] == BACKUP_CODES
    new_codes = re.findall(
        r"<li><code>([a-z2-7]+)</code></li>", client.get(BACKUP_CODES).content.decode()
    )
    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    assert set(StaticToken.objects.filter(device__user=dmo).values_list("token", flat=True)) == set(
        new_codes
    )


@pytest.mark.django_db
def test_the_account_page_offers_set_up_to_someone_without_it(client, dmo):
    client.force_login(dmo)

    page = client.get(reverse("security:two-step")).content.decode()

    assert "Two-step verification is not set up" in page
    assert SET_UP in page


@pytest.mark.django_db
def test_removing_the_second_factor_ends_the_verified_state_of_open_sessions(
    client, dmo, mfa_required, give_authenticator
):
    from security.services import remove_second_factor

    device = give_authenticator(dmo)
    client.force_login(dmo)
    client.post(CHECK, {"code": code_for(device)})
    assert client.get(reverse("home")).status_code == 200

    remove_second_factor(dmo)

    assert client.get(reverse("home"))["Location"].startswith(SET_UP)
    assert not TOTPDevice.objects.filter(user=dmo).exists()
    [reset] = events(AuditEvent.Kind.MFA_RESET)
    assert reset.target_id == str(dmo.pk)


@pytest.mark.django_db
def test_the_menu_appears_only_once_the_second_factor_is_given(client, dmo, mfa_required):
    client.force_login(dmo)

    set_up_page = client.get(SET_UP).content.decode()

    # Every link would lead straight back here: the page offers none.
    assert "nhsuk-header__navigation-list" not in set_up_page
    device = _device_from_key(dmo, _key_on_page(set_up_page))
    client.post(SET_UP, {"code": code_for(device)})
    assert "nhsuk-header__navigation-list" in client.get(reverse("home")).content.decode()
