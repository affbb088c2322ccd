"""People, the organisations they work for, and the roles they hold over time.

A role is held through a ``RoleAssignment`` that runs from a start date to an
optional end date (both inclusive). "Current" means today — in Europe/London —
is inside that range. Assignments are ended, never deleted, so the history of
who held the DMO and DCO roles is kept.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import _user_has_module_perms, _user_has_perm
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from roles.names import PersonName


class RoleCode(models.TextChoices):
    """The roles the portal knows. Permissions (roles/rules.py) are written against these."""

    DMO = "dmo", "Designated Medical Officer"
    DCO = "dco", "Designated Clinical Officer"
    CLINICAL_LEAD = "clinical-lead", "Clinical Lead for children with additional needs"
    HEALTH_PROFESSIONAL = "health-professional", "Health professional"
    SEND_OFFICER = "send-officer", "Council SEND officer"
    SENDIASS_OFFICER = "sendiass-officer", "SENDIASS officer"
    COMMISSIONER = "commissioner", "Commissioner"
    GOVERNANCE_READER = "governance-reader", "Governance board reader"
    PARENT_CARER_FORUM = "parent-carer-forum", "Parent carer forum representative"
    ADMINISTRATOR = "administrator", "Administrator"


#: Roles whose reach is not by local area: the administrator works on the portal itself, and
#: a provider's health professional reaches the requests sent to their organisation in every
#: area it serves. Every other role works in the areas its assignment names (or in every area
#: of the ICB it names).
ROLES_NOT_BOUND_TO_AREAS = frozenset({RoleCode.ADMINISTRATOR, RoleCode.HEALTH_PROFESSIONAL})

#: What an area or ICB made by the upgrade is called until an administrator names it
#: (roles/upgrade.py): never a real-looking name or code the portal invented.
UNNAMED_AREA = "Local area (set its name and code in the admin)"
UNNAMED_ICB = "Integrated care board (set its name and code in the admin)"


class IntegratedCareBoard(models.Model):
    """An Integrated Care Board: the NHS body that commissions health services for several
    local authority areas ("places")."""

    name = models.CharField(max_length=200, unique=True)
    code = models.CharField(
        "ONS code",
        max_length=9,
        blank=True,
        validators=[
            RegexValidator(
                r"^E54\d{6}\Z",
                "Enter the ICB's ONS code: E54 then six digits, for example E54000050.",
            )
        ],
        help_text="E54 then six digits, for example E54000050. Empty until it is known.",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "integrated care board"
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="icb_code_unique_when_set",
                violation_error_message="Another integrated care board has this ONS code.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_set_up(self) -> bool:
        return bool(self.code)


class LocalArea(models.Model):
    """A local authority area ("place"): every child's record belongs to one, and the people
    who hold an area-bound role work in the areas their assignments name."""

    name = models.CharField(max_length=200, unique=True)
    council_name = models.CharField(max_length=200, blank=True)
    icb = models.ForeignKey(
        IntegratedCareBoard,
        on_delete=models.PROTECT,
        related_name="areas",
        verbose_name="integrated care board",
    )
    code = models.CharField(
        "ONS code",
        max_length=9,
        blank=True,
        validators=[
            RegexValidator(
                r"^E0[6-9]\d{6}\Z",
                "Enter the local authority's ONS code: E06, E07, E08 or E09 then six digits, "
                "for example E08000023.",
            )
        ],
        help_text="The local authority's ONS code, for example E08000023. Empty until known.",
    )
    is_active = models.BooleanField(
        default=True,
        help_text="Untick when the area stops using the portal: its records stay, and an "
        "assignment across the whole ICB no longer covers it.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="local_area_code_unique_when_set",
                violation_error_message="Another local area has this ONS code.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_set_up(self) -> bool:
        """An area made by the upgrade without settings has no code until an administrator
        gives it one (the admin's list flags it)."""
        return bool(self.code)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("A user needs an email address: it is their sign-in name.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        """``manage.py createsuperuser``: the first administrator of a new installation.

        There is no all-powerful superuser: the account gets the administrator
        role, which opens the admin site and nothing clinical.
        """
        from django.conf import settings

        extra.setdefault("is_staff", True)
        user = self._create_user(email, password, **extra)
        organisation, _ = Organisation.objects.get_or_create(
            name=f"{settings.LOCAL_AREA_NAME} SEND Health Portal administration",
            defaults={"kind": Organisation.Kind.OTHER_PROVIDER},
        )
        RoleAssignment.objects.create(
            user=user,
            role=Role.objects.get(code=RoleCode.ADMINISTRATOR),
            organisation=organisation,
            note="Created by createsuperuser",
        )
        return user

    def people(self):
        """Active accounts of people: not the accounts systems act through
        (``is_system_account``), which are never offered where people are chosen or listed."""
        return self.filter(is_active=True, is_system_account=False)

    def get_by_natural_key(self, username: str) -> User:
        # Sign-in is by email, in any case the person types it.
        return self.get(email__iexact=username)


#: What ``User.display_name`` (and so ``str(user)``) reads to name a person: the full name,
#: or the email address when there is none.
NAME_FIELDS = ("full_name", "email")


class User(AbstractBaseUser):
    """A person who signs in with their email address.

    Deliberately without Django's ``PermissionsMixin``: there is no superuser
    who holds every permission. Every permission comes from the named rules
    over the person's current role assignments (roles/rules.py).
    """

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    registration_number = models.CharField(
        "professional registration number",
        max_length=30,
        blank=True,
        help_text="GMC, NMC or HCPC number, e.g. GMC 7012345. Recorded with medical sign-offs.",
    )
    is_active = models.BooleanField(
        default=True, help_text="Untick instead of deleting: the person's history stays."
    )
    is_staff = models.BooleanField(
        default=False,
        help_text="Not used for access: the administrator role decides who may use the admin.",
    )
    # An account a system acts through, not a person: a council's case system calling the
    # API (case_systems). It holds a role so that every permission rule applies to it
    # unchanged, but it never signs in (no usable password; the sign-in, password reset and
    # federated linking refuse it) and is not offered where people are chosen or listed.
    # Its default is the database's too: a row written by code that does not know the
    # column (an older migration's model, in the upgrade tests) is a person's.
    is_system_account = models.BooleanField(default=False, db_default=False, editable=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name every page, email and PDF shows (roles/names.py). It reads NAME_FIELDS
        and nothing else: a person loaded with those alone is named without a query."""
        return PersonName.parse(self.full_name).full(fallback=self.email)

    @property
    def greeting_name(self) -> str:
        """How the portal addresses the person: "Dr Khan", "Sam" (roles/names.py)."""
        return PersonName.parse(self.full_name).greeting(fallback=self.email)

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.greeting_name

    # The permission interface Django and the admin expect, answered by the
    # authentication backends (the rules backend) and nothing else.
    def has_perm(self, perm: str, obj=None) -> bool:
        return self.is_active and _user_has_perm(self, perm, obj)

    def has_perms(self, perm_list, obj=None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_active and _user_has_module_perms(self, app_label)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COMMISSIONER = "commissioner", "Commissioner (CCG / ICB)"
        NHS_TRUST = "nhs-trust", "NHS trust"
        COUNCIL = "council", "Council"
        SENDIASS = "sendiass", "SENDIASS"
        PARENT_CARER_FORUM = "parent-carer-forum", "Parent carer forum"
        SCHOOL = "school", "School or setting"
        ZERO_TO_NINETEEN = "0-19-service", "0–19 service"
        OTHER_PROVIDER = "other-provider", "Other provider"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    ods_code = models.CharField(
        "ODS code", max_length=10, blank=True, help_text="The NHS Organisation Data Service code."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """One of the roles in RoleCode, with what it is for written as data.

    The rows are created by a migration; administrators may edit the wording of
    the responsibilities but not add or remove roles, because permissions are
    written against the codes.
    """

    code = models.CharField(max_length=30, choices=RoleCode.choices, unique=True)
    name = models.CharField(max_length=100)
    held_by = models.CharField(
        max_length=300, blank=True, help_text="Who usually holds the role, in a sentence."
    )
    responsibilities = models.TextField(help_text="One responsibility per line.")
    is_designated = models.BooleanField(
        default=False,
        help_text="A named statutory health role (DMO, DCO, Clinical Lead) whose holders are "
        "listed for the whole area.",
    )
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def responsibility_list(self) -> list[str]:
        return [line.strip() for line in self.responsibilities.splitlines() if line.strip()]


class RoleAssignmentQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> RoleAssignmentQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on)

    def of_people(self) -> RoleAssignmentQuerySet:
        """Assignments held by active people, not by the accounts systems act through."""
        return self.filter(user__is_active=True, user__is_system_account=False)

    def past(self, on: datetime.date | None = None) -> RoleAssignmentQuerySet:
        on = on or timezone.localdate()
        return self.filter(ends_on__lt=on)

    def future(self, on: datetime.date | None = None) -> RoleAssignmentQuerySet:
        on = on or timezone.localdate()
        return self.filter(starts_on__gt=on)


class RoleAssignment(models.Model):
    """A person holding a role at an organisation from ``starts_on`` to ``ends_on`` (inclusive)."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_assignments")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="assignments")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="role_assignments"
    )
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(
        null=True, blank=True, help_text="The last day the role is held. Empty: no end date yet."
    )
    note = models.CharField(max_length=300, blank=True)
    # Where the role is held (roles without an area, ROLES_NOT_BOUND_TO_AREAS, name neither):
    # some areas by name, or every active area of one ICB (a commissioner, governance
    # reader or SEND lead of the ICB), never both (check_reach).
    areas = models.ManyToManyField(
        LocalArea,
        blank=True,
        related_name="assignments",
        help_text="The local areas the role is held in. Leave empty when the role is held "
        "across a whole ICB.",
    )
    every_area_of_icb = models.ForeignKey(
        IntegratedCareBoard,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="whole_icb_assignments",
        verbose_name="every area of the ICB",
        help_text="The role is held in every active area of this ICB (instead of naming areas).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="role_assignment_ends_after_it_starts",
            )
        ]
        indexes = [models.Index(fields=["role", "starts_on", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.role} at {self.organisation}"

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be on or after the start date."})
        # The areas (many-to-many) are saved after the assignment: a form sets
        # ``areas_chosen`` to what it will save (security/people_admin.py).
        areas = getattr(self, "areas_chosen", None)
        if areas is None:
            areas = list(self.areas.all()) if self.pk else []
        self.check_reach(self.role if self.role_id else None, areas, self.every_area_of_icb_id)

    @staticmethod
    def check_reach(role: Role | None, areas, every_area_of_icb_id: int | None) -> None:
        """The rule for where a role is held, in one place:

        - the administrator and a provider's health professional name no area and no ICB
          (their reach is the portal itself, or their organisation's requests everywhere);
        - every other role names some areas or one ICB (all its active areas), not both.

        An area-bound assignment naming neither is allowed while it is being set up, but it
        reaches no child (roles.selectors.areas_of).
        """
        areas = list(areas or [])
        if role is not None and role.code in ROLES_NOT_BOUND_TO_AREAS:
            if areas or every_area_of_icb_id:
                raise ValidationError(
                    f"{role.name} is not held in a local area: leave the areas and the ICB empty."
                )
            return
        if areas and every_area_of_icb_id:
            raise ValidationError("Name the local areas, or choose every area of an ICB, not both.")
