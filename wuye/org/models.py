"""Organisation (seed 1.1–1.3): the company, departments and their duties and interfaces, posts with
versioned job standards, staff, and staff acknowledgements of what they must know."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wuye.core.models import BaseModel
from wuye.core.personal import EncryptedTextField, validate_mobile

from .choices import StaffStatus, StandardStatus


class Company(BaseModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name

    def get_absolute_url(self):
        return reverse("org:company", args=[self.pk])


class Department(BaseModel):
    company = models.ForeignKey(Company, verbose_name=_("company"), on_delete=models.PROTECT,
                                related_name="departments")
    name = models.CharField(_("name"), max_length=60)
    code = models.SlugField(_("code"), max_length=30, help_text=_("Short code, e.g. CS for customer service."))
    parent = models.ForeignKey("self", verbose_name=_("parent department"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    responsibilities = models.TextField(_("responsibilities"), blank=True,
                                        help_text=_("The department's written duties (seed 1.1)."))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["company", "name"]
        constraints = [
            models.UniqueConstraint(fields=["company", "name"], name="org_department_unique_name"),
            models.UniqueConstraint(fields=["company", "code"], name="org_department_unique_code"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("org:department", args=[self.pk])


class DepartmentInterface(BaseModel):
    """What passes between two departments and how (seed 1.1: 部门间职责接口清晰)."""

    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="interfaces")
    counterpart = models.ForeignKey(Department, verbose_name=_("counterpart department"),
                                    on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("subject"), max_length=100, help_text=_("e.g. repair dispatch, fee enquiries"))
    description = models.TextField(_("how it works"), blank=True,
                                   help_text=_("What is handed over, by which form or channel, and in what time."))

    class Meta:
        verbose_name = _("department interface")
        verbose_name_plural = _("department interfaces")
        ordering = ["department", "counterpart", "subject"]
        constraints = [
            models.UniqueConstraint(fields=["department", "counterpart", "subject"],
                                    name="org_interface_unique"),
            models.CheckConstraint(condition=~Q(department=models.F("counterpart")),
                                   name="org_interface_not_self"),
        ]

    def __str__(self):
        return f"{self.department} → {self.counterpart}: {self.subject}"

    def get_absolute_url(self):
        return self.department.get_absolute_url()


class Post(BaseModel):
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="posts")
    name = models.CharField(_("name"), max_length=60)
    code = models.SlugField(_("code"), max_length=30)
    reports_to = models.ForeignKey("self", verbose_name=_("reports to"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="subordinates")
    headcount = models.PositiveSmallIntegerField(_("planned headcount"), default=1)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["department", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="org_post_unique_name"),
            models.UniqueConstraint(fields=["department", "code"], name="org_post_unique_code"),
        ]

    def __str__(self):
        return f"{self.department} · {self.name}"

    def get_absolute_url(self):
        return reverse("org:post", args=[self.pk])

    @property
    def current_standard(self) -> JobStandard | None:
        return self.standards.filter(status=StandardStatus.CURRENT).first()


class JobStandard(BaseModel):
    """A post's written work standard, versioned: drafts are edited, publishing one supersedes the last
    and asks every holder of the post to acknowledge it again (seed 1.2, 1.3)."""

    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="standards")
    version = models.PositiveIntegerField(_("version"), editable=False)
    status = models.CharField(_("status"), max_length=12, choices=StandardStatus.choices,
                              default=StandardStatus.DRAFT, editable=False)
    duties = models.TextField(_("duties"), help_text=_("What the post is responsible for."))
    work_standard = models.TextField(_("work standard"), blank=True,
                                     help_text=_("How well, how fast, to what standard the work is done."))
    qualifications = models.TextField(_("qualifications"), blank=True)
    assessment_method = models.TextField(_("assessment method"),
                                         help_text=_("How fulfilment of the standard is checked and assessed."))
    change_note = models.CharField(_("what changed"), max_length=200, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+", editable=False)

    class Meta:
        verbose_name = _("job standard")
        verbose_name_plural = _("job standards")
        ordering = ["post", "-version"]
        permissions = [("publish_jobstandard", _("Can publish a job standard"))]
        constraints = [
            models.UniqueConstraint(fields=["post", "version"], name="org_jobstandard_unique_version"),
            models.UniqueConstraint(fields=["post"], condition=Q(status="current"),
                                    name="org_jobstandard_one_current"),
        ]

    def __str__(self):
        return f"{self.post.name} v{self.version}"

    def get_absolute_url(self):
        return reverse("org:jobstandard", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status == StandardStatus.DRAFT


class Staff(BaseModel):
    """An employee. ``estates`` (the estates they serve) is defined on Estate (app ``estates``)."""

    personal_fields = ("mobile",)

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user account"), null=True,
                                blank=True, on_delete=models.PROTECT, related_name="staff")
    employee_no = models.CharField(_("employee number"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)
    department = models.ForeignKey(Department, verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="staff")
    post = models.ForeignKey(Post, verbose_name=_("post"), on_delete=models.PROTECT, related_name="staff")
    mobile = EncryptedTextField(_("mobile"), max_length=20, blank=True, validators=[validate_mobile])
    email = models.EmailField(_("email"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=StaffStatus.choices, default=StaffStatus.ACTIVE)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["department", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(joined_on__isnull=True)
                                   | Q(left_on__gte=models.F("joined_on")), name="org_staff_left_after_joined"),
        ]

    def __str__(self):
        return f"{self.name}（{self.employee_no}）"

    def get_absolute_url(self):
        return reverse("org:staff", args=[self.pk])

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.post_id and self.department_id and self.post.department_id != self.department_id:
            errors["post"] = _("This post belongs to another department.")
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            errors["left_on"] = _("The leaving date is before the joining date.")
        if self.status == StaffStatus.LEFT and not self.left_on:
            errors["left_on"] = _("Give the date the staff member left.")
        if errors:
            raise ValidationError(errors)


class Acknowledgement(BaseModel):
    """A staff member's dated confirmation of having read a standard, plan or policy (seed 1.3, 1.5)."""

    staff = models.ForeignKey(Staff, verbose_name=_("staff member"), on_delete=models.PROTECT,
                              related_name="acknowledgements")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    acknowledged_at = models.DateTimeField(_("acknowledged at"))

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "content_type", "object_id"], name="org_ack_unique"),
        ]

    def __str__(self):
        return f"{self.staff.name} · {self.subject}"

    def get_absolute_url(self):
        subject = self.subject
        return subject.get_absolute_url() if subject is not None else self.staff.get_absolute_url()
