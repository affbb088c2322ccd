"""The admin site is behind the second factor, and its own login page is no way round it."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEvent
from security.services import issue_backup_codes
from security.tests.helpers import code_for, events
from tests.factories import DEFAULT_TEST_PASSWORD

ADMIN = reverse("admin:index")
CHECK = reverse("security:check")
SET_UP = reverse("security:set-up")


def _verified(client, user, device):
    client.force_login(user)
    assert client.post(CHECK, {"code": code_for(device)}).status_code == 302


@pytest.mark.django_db
def test_an_administrator_reaches_the_admin_only_after_the_second_factor(
    client, administrator, mfa_required, give_authenticator
):
    device = give_authenticator(administrator)
    client.force_login(administrator)

    assert client.get(ADMIN)["Location"] == f"{CHECK}?next={ADMIN}"
    assert client.get(reverse("admin:roles_user_changelist")).status_code == 302

    client.post(CHECK, {"code": code_for(device)})

    assert client.get(ADMIN).status_code == 200


@pytest.mark.django_db
def test_an_administrator_without_an_authenticator_is_sent_to_set_one_up(
    client, administrator, mfa_required
):
    client.force_login(administrator)

    assert client.get(ADMIN)["Location"] == f"{SET_UP}?next={ADMIN}"


@pytest.mark.django_db
def test_posting_a_password_to_the_admin_login_page_gives_no_admin_access(
    client, administrator, mfa_required, give_authenticator
):
    give_authenticator(administrator)
    credentials = {"username": administrator.email, "password": DEFAULT_TEST_PASSWORD}

    # Not signed in: the admin's login page signs nobody in, it sends them to the portal's.
    response = client.post(reverse("admin:login"), credentials)
    assert response["Location"].startswith(reverse("sign-in"))
    assert "_auth_user_id" not in client.session
    assert client.get(ADMIN)["Location"].startswith(reverse("sign-in"))

    # Signed in with the password only: posting it again to the admin's login changes nothing.
    client.force_login(administrator)
    client.post(reverse("admin:login") + f"?next={ADMIN}", credentials)
    assert client.get(ADMIN)["Location"].startswith(CHECK)
    assert client.get(reverse("admin:otp_totp_totpdevice_changelist")).status_code == 302


@pytest.mark.django_db
def test_the_admin_site_refuses_an_unverified_session_even_without_the_middleware(
    administrator, mfa_required, give_authenticator
):
    give_authenticator(administrator)
    request = RequestFactory().get(ADMIN)
    request.session = {}
    request.user = administrator
    OTPMiddleware(lambda r: None)._install_lazy_accessors(request)

    assert not request.user.is_verified()
    assert admin.site.has_permission(request) is False

    response = admin.site.admin_view(admin.site.index)(request)
    assert response.status_code == 302
    assert response["Location"].startswith(CHECK)


@pytest.mark.django_db
def test_without_the_setting_the_admin_asks_only_for_the_role(client, administrator):
    client.force_login(administrator)

    assert client.get(ADMIN).status_code == 200


@pytest.mark.django_db
def test_an_administrator_can_remove_someones_authenticator_but_not_see_its_secret(
    client, administrator, dmo, mfa_required, give_authenticator
):
    _verified(client, administrator, give_authenticator(administrator))
    lost = give_authenticator(dmo)
    issue_backup_codes(dmo)

    listing = client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    assert listing.status_code == 200
    page = client.get(reverse("admin:otp_totp_totpdevice_change", args=[lost.pk])).content.decode()
    assert lost.key not in page
    assert "qrcode" not in page.lower()
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    for page_showing_the_secret in ("otp_totp_totpdevice_config", "otp_totp_totpdevice_qrcode"):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:{page_showing_the_secret}", args=[lost.pk])
    followed = client.get(f"/admin/otp_totp/totpdevice/{lost.pk}/config/", follow=True)
    assert lost.key not in followed.content.decode()
    # Backup codes are not in the admin at all.
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404

    response = client.post(
        reverse("admin:otp_totp_totpdevice_delete", args=[lost.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=dmo).exists()
    assert not StaticDevice.objects.filter(user=dmo).exists()
    assert TOTPDevice.objects.filter(user=administrator).exists()
    [reset] = events(AuditEvent.Kind.MFA_RESET)
    assert reset.actor == administrator
    assert reset.target_id == str(dmo.pk)


@pytest.mark.django_db
def test_removing_authenticators_in_bulk_records_each_person(
    client, administrator, dmo, dco, mfa_required, give_authenticator
):
    _verified(client, administrator, give_authenticator(administrator))
    devices = [give_authenticator(dmo), give_authenticator(dco)]

    client.post(
        reverse("admin:otp_totp_totpdevice_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [d.pk for d in devices],
            "post": "yes",
        },
    )

    assert not TOTPDevice.objects.filter(user__in=[dmo, dco]).exists()
    assert {e.target_id for e in events(AuditEvent.Kind.MFA_RESET)} == {str(dmo.pk), str(dco.pk)}


@pytest.mark.django_db
def test_only_administrators_see_authenticators_in_the_admin(
    client, dmo, mfa_required, give_authenticator
):
    _verified(client, dmo, give_authenticator(dmo))

    assert client.get(reverse("admin:otp_totp_totpdevice_changelist")).status_code == 403
