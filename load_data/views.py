"""Pages that exist only for the benchmark (``PORTAL_BENCHMARK_FLOOR=true``; refused in
production): the floor, and the Django admin changelist of plans that a team would use
instead of the portal's own pages.

The floor is the least a request through this portal's middleware can cost: no template,
no database (it is called without a session cookie, so no session or user is loaded).
"""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse

from ehcp.models import Plan
from send_portal.admin_base import ReadOnlyAdmin


@login_not_required
def floor(request):
    return HttpResponse(b"floor\n", content_type="text/plain; charset=utf-8")


class PlanAdminSite(admin.AdminSite):
    """A plain admin site with only the plans, for comparison.

    Only people who see every plan in the portal (the DMO, DCO, Clinical Lead, SEND
    officers) may open it: the portal's own admin never shows clinical records, and the
    administrator role opens nothing clinical.
    """

    site_header = "Plans (benchmark comparison)"
    index_template = None

    def has_permission(self, request):
        from ehcp.rules import sees_every_plan

        return request.user.is_active and sees_every_plan.test(request.user)


class PlanAdmin(ReadOnlyAdmin):
    """What a team would write in an afternoon: the plans with their child and deadline."""

    list_display = ("pk", "child", "status", "final_plan_due", "submitted_at")
    list_filter = ("status",)
    list_select_related = ("assessment__child",)
    search_fields = ("assessment__child__last_name", "assessment__council_reference")
    list_per_page = 100

    @admin.display(ordering="assessment__child__last_name")
    def child(self, plan):
        return plan.assessment.child.full_name

    @admin.display(ordering="assessment__final_plan_due")
    def final_plan_due(self, plan):
        return plan.assessment.final_plan_due

    def has_module_permission(self, request):
        return self.admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None):
        return self.admin_site.has_permission(request)


plan_admin_site = PlanAdminSite(name="bench-admin")
plan_admin_site.register(Plan, PlanAdmin)
