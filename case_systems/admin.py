"""Case systems in the portal's admin: register one, change its scopes and rate limit,
rotate its secret, revoke it. Each goes through ``case_systems.services`` (and so into the
audit log) and asks for the administrator's password again when it was not entered in the
last few minutes, as a change of someone's role does. A new secret is shown once, on a page
of its own that no browser or proxy keeps (never in a message, which a cookie may carry).

django-oauth-toolkit's own admin pages (applications, tokens, grants) are taken away: the
case systems are administered here, and tokens are nobody's to read.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from oauth2_provider.models import AccessToken, Application, Grant, IDToken, RefreshToken

from case_systems import scopes as api_scopes
from case_systems import services
from case_systems.models import CaseSystem
from roles.models import LocalArea, Organisation
from send_portal.forms import PortalModelForm
from send_portal.refusals import RefusedChange
from session_security.step_up import (
    RecentPasswordRequiredAdminMixin,
    password_recently_confirmed,
    redirect_to_confirm_password,
)

for _model in (Application, AccessToken, RefreshToken, Grant, IDToken):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class CaseSystemForm(PortalModelForm):
    # Only when registering: the account's role is held in these areas (the service's).
    areas = forms.ModelMultipleChoiceField(
        label="Local areas",
        queryset=LocalArea.objects.filter(is_active=True),
        required=False,
        help_text="The council's areas: the case system reaches their children only.",
    )
    scope_choices = forms.MultipleChoiceField(
        label="Scopes",
        choices=[(name, f"{name}: {text}") for name, text in api_scopes.SCOPES.items()],
        widget=forms.CheckboxSelectMultiple,
        help_text="What the case system may do. A token has no scope its record does not.",
    )

    class Meta:
        model = CaseSystem
        fields = ["name", "organisation", "rate_limit_per_minute"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope_choices"].initial = (
            self.instance.scope_list if self.instance.pk else list(api_scopes.DEFAULT_SCOPES)
        )
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = Organisation.objects.filter(
                kind=Organisation.Kind.COUNCIL, is_active=True
            )


def _secret_page(request, credentials, title: str):
    response = TemplateResponse(
        request,
        "case_systems/admin/secret_once.html",
        {
            **admin.site.each_context(request),
            "title": title,
            "case_system": credentials.case_system,
            "client_id": credentials.client_id,
            "client_secret": credentials.client_secret,
            "token_url": request.build_absolute_uri(reverse("api:token")),
            "back": reverse("admin:case_systems_casesystem_changelist"),
        },
    )
    add_never_cache_headers(response)
    return response


@admin.register(CaseSystem)
class CaseSystemAdmin(RecentPasswordRequiredAdminMixin, admin.ModelAdmin):
    form = CaseSystemForm
    list_display = ("name", "organisation", "scopes", "rate_limit_per_minute", "revoked_at")
    list_filter = ("organisation",)
    search_fields = ("name",)
    actions = ("rotate_secret", "revoke")
    readonly_fields = ("client_id", "created_at", "secret_rotated_at", "revoked_at")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("name", "organisation", "areas", "scope_choices", "rate_limit_per_minute")
        return (
            "name",
            "client_id",
            "scope_choices",
            "rate_limit_per_minute",
            "created_at",
            "secret_rotated_at",
            "revoked_at",
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("name", *self.readonly_fields)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Client id")
    def client_id(self, obj):
        return obj.application.client_id

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if change:
                services.change_limits(
                    obj,
                    scopes=data["scope_choices"],
                    rate_limit_per_minute=data["rate_limit_per_minute"],
                    changed_by=request.user,
                )
            else:
                self._credentials = services.register_case_system(
                    name=data["name"],
                    organisation=data["organisation"],
                    areas=data["areas"],
                    scopes=data["scope_choices"],
                    rate_limit_per_minute=data["rate_limit_per_minute"],
                    registered_by=request.user,
                )
                obj.pk = self._credentials.case_system.pk
        except RefusedChange as refusal:
            # The form was valid but a service rule refused: nothing was saved.
            self._refusal = str(refusal)

    def save_related(self, request, form, formsets, change):
        # The areas are the account's role's, set by the service: nothing of the form's.
        pass

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(self, "_refusal", None):
            self.message_user(request, self._refusal, messages.ERROR)
            return self.response_post_save_add(request, obj)
        return _secret_page(request, self._credentials, "Case system registered")

    def log_addition(self, request, obj, message):
        # Django's admin log: the audit log has the registration (services).
        pass

    @admin.action(
        description="Rotate the secret (the old one stops working)", permissions=("change",)
    )
    def rotate_secret(self, request, queryset):
        if not password_recently_confirmed(request):
            return redirect_to_confirm_password(request)
        chosen = list(queryset[:2])
        if len(chosen) != 1:
            self.message_user(request, "Choose one case system.", messages.ERROR)
            return None
        try:
            credentials = services.rotate_secret(chosen[0], rotated_by=request.user)
        except RefusedChange as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return None
        return _secret_page(request, credentials, "New secret")

    @admin.action(description="Revoke (its tokens stop working, for good)", permissions=("change",))
    def revoke(self, request, queryset):
        if not password_recently_confirmed(request):
            return redirect_to_confirm_password(request)
        if request.POST.get("confirmed") != "yes":
            # It cannot be undone: the administrator sees what they chose and says yes
            # (as Django's own "delete selected" asks).
            return TemplateResponse(
                request,
                "case_systems/admin/revoke_confirmation.html",
                {
                    **admin.site.each_context(request),
                    "title": "Revoke these case systems' access?",
                    "case_systems": queryset.select_related("organisation").order_by("name"),
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                    "back": reverse("admin:case_systems_casesystem_changelist"),
                },
            )
        for case_system in queryset:
            try:
                services.revoke(case_system, revoked_by=request.user)
            except RefusedChange as refusal:
                self.message_user(request, f"{case_system}: {refusal}", messages.WARNING)
            else:
                self.message_user(request, f"{case_system}: access revoked.", messages.SUCCESS)
        return None
