"""Administration of people, organisations and role assignments (administrators only).

It lives with the accounts (security/), not in roles/, because changing a person or a role
asks for the administrator's password again (session_security.step_up): roles/ stays on the
floor below the accounts and imports nothing above the ground floor.

What an administrator may do is the named rules in roles/rules.py; the admin
classes here shape the pages. Nobody deletes a person or an assignment: the
history of who held each role must stay.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import record_event
from roles.models import IntegratedCareBoard, LocalArea, Organisation, Role, RoleAssignment, User
from security import services
from security.models import FederatedIdentity, OrganisationSignIn
from send_portal.admin_base import NamedTabularInline
from send_portal.forms import PortalModelForm
from session_security.step_up import (
    RecentPasswordRequiredAdminMixin,
    password_recently_confirmed,
    redirect_to_confirm_password,
)


class RoleAssignmentForm(PortalModelForm):
    """Hands the areas chosen on the form to the model's clean() (RoleAssignment.check_reach),
    which cannot see many-to-many choices before they are saved."""

    class Meta:
        model = RoleAssignment
        fields = (
            "user",
            "role",
            "organisation",
            "areas",
            "every_area_of_icb",
            "starts_on",
            "ends_on",
            "note",
        )

    def clean(self):
        cleaned = super().clean()
        self.instance.areas_chosen = list(cleaned.get("areas") or [])
        return cleaned


# The areas are a plain multiple choice, not an autocomplete: the autocomplete's search box
# has no label and its list holds spans (axe-core, tests/browser/test_every_page.py), and an
# ICB has a dozen areas at most.
class RoleAssignmentInline(NamedTabularInline):
    model = RoleAssignment
    form = RoleAssignmentForm
    extra = 0
    fields = ("role", "organisation", "areas", "every_area_of_icb", "starts_on", "ends_on", "note")
    autocomplete_fields = ("organisation",)
    ordering = ("-starts_on",)


class UserCreationForm(PortalModelForm):
    password = forms.CharField(
        # Not stripped: the sign-in form takes the password as typed, spaces and all.
        strip=False,
        widget=forms.PasswordInput,
        help_text="At least 12 characters. The person can change it after signing in.",
    )

    class Meta:
        model = User
        fields = ("email", "full_name", "job_title")

    def clean_password(self):
        from django.contrib.auth.password_validation import validate_password

        password = self.cleaned_data["password"]
        validate_password(password)
        return password

    def save(self, commit=True):
        user = super().save(commit=False)
        user.email = user.email.lower()
        user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(RecentPasswordRequiredAdminMixin, admin.ModelAdmin):
    # Adding a person or changing their roles asks for the administrator's password again
    # when it was not entered in the last few minutes (session_security.step_up).
    list_display = ("full_name", "email", "job_title", "is_active", "last_login")
    list_filter = ("is_active", "role_assignments__role")
    search_fields = ("full_name", "email")
    ordering = ("full_name",)
    readonly_fields = ("last_login", "date_joined")
    fields = (
        "email",
        "full_name",
        "job_title",
        "registration_number",
        "is_active",
        "last_login",
        "date_joined",
    )
    inlines = (RoleAssignmentInline,)
    change_password_form = AdminPasswordChangeForm

    def get_queryset(self, request):
        # People only: the accounts case systems act through are administered with their
        # case system (case_systems/admin.py), and never given a password here.
        return super().get_queryset(request).filter(is_system_account=False)

    actions = ("invite_to_link_a_work_sign_in",)

    @admin.action(
        description="Make a link to tie a work sign-in (NHS CIS2, Entra ID) to the account",
        permissions=("change",),
    )
    def invite_to_link_a_work_sign_in(self, request, queryset):
        # Whoever follows the link ties their sign-in to the account: asks for the
        # administrator's password again, as a change of role does.
        if not password_recently_confirmed(request):
            return redirect_to_confirm_password(request)
        people = list(queryset[:2])
        if len(people) != 1:
            self.message_user(
                request, "Choose one person: each link is for one account.", messages.ERROR
            )
            return None
        path = services.invite_to_link(people[0], made_by=request.user, request=request)
        self.message_user(
            request,
            f"Send this link to {people[0].display_name} (it works once, for "
            f"{services.INVITATION_DAYS} days, and is not shown again): "
            f"{request.build_absolute_uri(path)}",
            messages.SUCCESS,
        )
        return None

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = UserCreationForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("email", "full_name", "job_title", "password")
        return super().get_fields(request, obj)


class OrganisationSignInInline(admin.StackedInline):
    """How the organisation's people sign in: the portal's own accounts unless set here."""

    model = OrganisationSignIn
    form = PortalModelForm
    fields = ("method", "entra_tenant_id")
    can_delete = False
    min_num = 0
    max_num = 1
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "ods_code", "signs_in_with", "is_active")
    list_filter = ("kind", "is_active", "sign_in__method")
    search_fields = ("name", "ods_code")
    list_select_related = ("sign_in",)
    inlines = (OrganisationSignInInline,)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is not OrganisationSignIn:
            return
        # Who may use a password, and which provider vouches for whom, follow from this:
        # every change is in the audit log.
        for sign_in in formset.new_objects + [obj for obj, _ in formset.changed_objects]:
            tenant = f" (tenant {sign_in.entra_tenant_id})" if sign_in.entra_tenant_id else ""
            record_event(
                AuditEvent.Kind.SIGN_IN_METHOD_CHANGED,
                request=request,
                target=sign_in.organisation,
                summary=f"Signs in with {sign_in.method}{tenant}",
            )

    @admin.display(description="Signs in with")
    def signs_in_with(self, organisation: Organisation) -> str:
        sign_in = getattr(organisation, "sign_in", None)
        return sign_in.get_method_display() if sign_in else "The portal's own accounts"


@admin.register(FederatedIdentity)
class FederatedIdentityAdmin(admin.ModelAdmin):
    """Who is tied to which provider's subject. Links are made by the person signing in
    (security/services.py), never here; removing one (a subject that changed, a mistake)
    makes the next sign-in link afresh, and is recorded in the audit log."""

    list_display = ("user", "provider", "issuer", "linked_by", "linked_at", "last_signed_in_at")
    list_filter = ("provider", "linked_by")
    search_fields = ("user__full_name", "user__email")
    list_select_related = ("user",)
    readonly_fields = (
        "user",
        "provider",
        "issuer",
        "subject",
        "linked_by",
        "linked_at",
        "last_signed_in_at",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        record_event(
            AuditEvent.Kind.FEDERATED_UNLINKED,
            request=request,
            target=obj.user,
            identifier=obj.subject,
            summary=f"{obj.provider}: link removed by an administrator",
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for identity in queryset:
            self.delete_model(request, identity)


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_designated", "display_order")
    readonly_fields = ("code",)
    fields = ("code", "name", "held_by", "responsibilities", "is_designated", "display_order")


@admin.register(IntegratedCareBoard)
class IntegratedCareBoardAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_set_up")
    search_fields = ("name", "code")

    @admin.display(boolean=True, description="Name and code set")
    def is_set_up(self, icb: IntegratedCareBoard) -> bool:
        return icb.is_set_up


@admin.register(LocalArea)
class LocalAreaAdmin(admin.ModelAdmin):
    list_display = ("name", "council_name", "icb", "code", "is_active", "is_set_up")
    list_filter = ("is_active", "icb")
    search_fields = ("name", "council_name", "code")
    list_select_related = ("icb",)
    fields = ("name", "council_name", "icb", "code", "is_active")

    @admin.display(boolean=True, description="Name and code set")
    def is_set_up(self, area: LocalArea) -> bool:
        # An area the upgrade made without settings (roles/upgrade.py) shows a cross here.
        return area.is_set_up

    def changelist_view(self, request, extra_context=None):
        unnamed = LocalArea.objects.filter(code="").count()
        if unnamed:
            self.message_user(
                request,
                f"{unnamed} local area{'s' if unnamed != 1 else ''} without an ONS code: "
                "open it and set its name, council and code.",
                level=messages.WARNING,
            )
        return super().changelist_view(request, extra_context)


class CurrentFilter(admin.SimpleListFilter):
    title = "when"
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return (("current", "Current"), ("past", "Ended"), ("future", "Not started yet"))

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "current":
            return queryset.current(today)
        if self.value() == "past":
            return queryset.past(today)
        if self.value() == "future":
            return queryset.future(today)
        return queryset


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(RecentPasswordRequiredAdminMixin, admin.ModelAdmin):
    form = RoleAssignmentForm
    list_display = ("user", "role", "organisation", "every_area_of_icb", "starts_on", "ends_on")
    list_filter = (CurrentFilter, "role", "organisation__kind", "areas")
    search_fields = ("user__full_name", "user__email", "organisation__name")
    autocomplete_fields = ("user", "organisation")
    list_select_related = ("user", "role", "organisation")
    date_hierarchy = "starts_on"
