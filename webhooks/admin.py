"""The case systems' webhook endpoints and their deliveries, in the portal's admin.

An endpoint is added, changed, given a new secret and removed through ``services.py``, so
each is an audit event and every rule is kept once. Its signing secret is shown once, on
the page that answers the add (or the rotation), and never again: the change page says only
when it was last made. Deliveries are read-only, with each attempt; a failed or interrupted
one can be sent again. Nothing here names a child: a delivery shows the kind of change and
ids only.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from case_systems.models import CaseSystem
from ehcp.models import CaseChange
from send_portal.admin_base import ReadOnlyAdmin
from send_portal.forms import PortalModelForm
from send_portal.refusals import RefusedChange
from webhooks import addresses, selectors, services
from webhooks.models import URL_MAX_LENGTH, WebhookAttempt, WebhookDelivery, WebhookEndpoint


class EndpointForm(PortalModelForm):
    url = forms.URLField(
        label="Address",
        max_length=URL_MAX_LENGTH,
        assume_scheme="https",
        help_text="Where the portal posts each change: https, on the public internet.",
    )
    events = forms.MultipleChoiceField(
        label="Send these changes",
        choices=CaseChange.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WebhookEndpoint
        fields = ("case_system", "url", "description", "events", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "case_system" in self.fields:
            self.fields["case_system"].queryset = CaseSystem.objects.filter(revoked_at__isnull=True)

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        problem = addresses.url_problem(url)
        if problem:
            raise forms.ValidationError(problem)
        return url


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ("url", "case_system", "kinds", "is_active", "secret_rotated_at")
    list_filter = ("is_active",)
    list_select_related = ("case_system",)
    search_fields = ("url", "case_system__name")
    # No bulk delete: each endpoint is removed through the service, one audit event each.
    actions = None

    def get_fields(self, request, obj=None):
        fields = ["case_system", "url", "description", "events", "is_active"]
        if obj is not None:
            fields += ["signing_secret", "created_at"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        # The endpoint belongs to its case system for good: another council's would be a
        # new endpoint with a new secret.
        return ("case_system", "signing_secret", "created_at") if obj is not None else ()

    @admin.display(description="Kinds of change")
    def kinds(self, endpoint: WebhookEndpoint) -> str:
        labels = dict(CaseChange.Kind.choices)
        return ", ".join(str(labels.get(kind, kind)) for kind in endpoint.events)

    @admin.display(description="Signing secret")
    def signing_secret(self, endpoint: WebhookEndpoint):
        made = endpoint.secret_rotated_at or endpoint.created_at
        return format_html(
            'Shown only when it was made, on {}. <a href="{}">Make a new signing secret</a>',
            made.strftime("%d %b %Y %H:%M"),
            reverse("admin:webhooks_webhookendpoint_rotate", args=[endpoint.pk]),
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if change:
                services.change_endpoint(
                    obj,
                    url=data["url"],
                    events=data["events"],
                    description=data["description"],
                    is_active=data["is_active"],
                    actor=request.user,
                )
                return
            endpoint, secret = services.add_endpoint(
                data["case_system"],
                data["url"],
                data["events"],
                description=data["description"],
                is_active=data["is_active"],
                actor=request.user,
            )
        except RefusedChange as refusal:
            # The form checked the same rules; a refusal here is a race (a case system
            # revoked meanwhile). Nothing was saved.
            raise PermissionDenied(str(refusal)) from None
        obj.pk = endpoint.pk
        request.new_webhook_secret = secret

    def response_add(self, request, obj, post_url_continue=None):
        return self._secret_page(request, obj, request.new_webhook_secret, rotated=False)

    def delete_model(self, request, obj):
        services.remove_endpoint(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for endpoint in queryset:
            services.remove_endpoint(endpoint, actor=request.user)

    def get_urls(self):
        return [
            path(
                "<id:pk>/rotate-secret/",
                self.admin_site.admin_view(self.rotate_view),
                name="webhooks_webhookendpoint_rotate",
            ),
            *super().get_urls(),
        ]

    def rotate_view(self, request, pk: int):
        if not request.user.has_perm("webhooks.rotate_secret"):
            raise PermissionDenied
        endpoint = get_object_or_404(WebhookEndpoint, pk=pk)
        if request.method == "POST":
            secret = services.rotate_secret(endpoint, actor=request.user)
            return self._secret_page(request, endpoint, secret, rotated=True)
        context = {
            **self.admin_site.each_context(request),
            "title": "Make a new signing secret",
            "endpoint": endpoint,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "webhooks/admin/rotate.html", context)

    def _secret_page(self, request, endpoint, secret: str, *, rotated: bool):
        context = {
            **self.admin_site.each_context(request),
            "title": "The endpoint's signing secret",
            "endpoint": endpoint,
            "secret": secret,
            "rotated": rotated,
            "what": "A new signing secret is made." if rotated else "The endpoint is added.",
            "opts": self.model._meta,
        }
        response = TemplateResponse(request, "webhooks/admin/secret.html", context)
        response["Cache-Control"] = "no-store"
        return response


class AttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ("number", "started_at", "duration_ms", "status_code", "error", "next_attempt_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DeliveryStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*WebhookDelivery.Status.choices, ("interrupted", "Interrupted while sending")]

    def queryset(self, request, queryset):
        if self.value() == "interrupted":
            return queryset.filter(pk__in=selectors.interrupted().values("pk"))
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    """Each change sent to each endpoint, and every attempt: follow up what failed."""

    list_display = (
        "created_at",
        "kind",
        "endpoint",
        "status_shown",
        "attempts",
        "next_attempt_at",
        "delivered_at",
    )
    list_filter = (DeliveryStatusFilter, "endpoint__case_system")
    list_select_related = ("endpoint__case_system", "change")
    fields = (
        "endpoint",
        "kind",
        "message_id",
        "status_shown",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "delivered_at",
        "created_at",
        "body",
    )
    readonly_fields = fields
    inlines = [AttemptInline]
    actions = ["send_again"]
    show_full_result_count = False

    @admin.display(description="Change")
    def kind(self, delivery: WebhookDelivery) -> str:
        return delivery.change.get_kind_display()

    @admin.display(description="Status")
    def status_shown(self, delivery: WebhookDelivery) -> str:
        if selectors.is_interrupted(delivery):
            return "Interrupted while sending: not sent again unless you send it again"
        return delivery.get_status_display()

    def has_send_again_permission(self, request) -> bool:
        return request.user.has_perm("webhooks.send_again")

    @admin.action(
        description="Send the selected failed or interrupted deliveries again",
        permissions=["send_again"],
    )
    def send_again(self, request, queryset):
        sent, refused = 0, 0
        for delivery in queryset:
            try:
                services.send_again(delivery, actor=request.user)
                sent += 1
            except RefusedChange:
                refused += 1
        self.message_user(request, f"{sent} delivery(ies) will be sent again.", messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                f"{refused} could not be: only failed or interrupted deliveries are sent again.",
                messages.WARNING,
            )
