"""Two-step verification pages, under /account/."""

from django.urls import path

from security import views

app_name = "security"

urlpatterns = [
    path("two-step-verification/", views.two_step, name="two-step"),
    path("two-step-verification/set-up/", views.set_up, name="set-up"),
    path("two-step-verification/check/", views.check, name="check"),
    path("two-step-verification/backup-codes/", views.backup_codes, name="backup-codes"),
    path(
        "two-step-verification/backup-codes/new/",
        views.new_backup_codes,
        name="new-backup-codes",
    ),
]
