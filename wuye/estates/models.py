"""Estates (seed 1.4) and the customer archive (seed 2.4): estates, buildings, units, customers,
occupancies and owners' committees."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wuye.core.models import BaseModel
from wuye.core.personal import (
    EncryptedTextField,
    PhoneDigestField,
    PhoneTailField,
    digest,
    normalize_id_number,
    normalize_phone,
    validate_mobile,
    validate_phone,
    validate_resident_id,
)
from wuye.org.models import Company, Staff

from .choices import (
    BuildingKind,
    CommitteePosition,
    CommitteeStatus,
    CustomerKind,
    CustomerStatus,
    EstateKind,
    EstateStatus,
    IdType,
    OccupancyRole,
    UnitStatus,
    UnitUsage,
)
from .constraints import FieldErrorConstraintsMixin


def _current_occupancy_q(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": today})


class Estate(FieldErrorConstraintsMixin, BaseModel):
    """A managed property (管理项目 / 小区)."""

    scope_estate = "pk"

    company = models.ForeignKey(Company, verbose_name=_("company"), on_delete=models.PROTECT,
                                related_name="estates")
    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(pgettext_lazy("estate", "code"), max_length=20, unique=True,
                            help_text=_("Short code used in numbers, e.g. LJY."))
    kind = models.CharField(_("kind"), max_length=12, choices=EstateKind.choices, default=EstateKind.NEW_BUILD)
    status = models.CharField(_("status"), max_length=12, choices=EstateStatus.choices,
                              default=EstateStatus.MANAGED)
    province = models.CharField(_("province"), max_length=30, blank=True)
    city = models.CharField(_("city"), max_length=30, blank=True)
    district = models.CharField(_("district"), max_length=30, blank=True)
    address = models.CharField(_("address"), max_length=200)
    floor_area = models.DecimalField(_("floor area (m²)"), max_digits=12, decimal_places=2, null=True,
                                     blank=True, validators=[MinValueValidator(0)])
    site_area = models.DecimalField(_("site area (m²)"), max_digits=12, decimal_places=2, null=True,
                                    blank=True, validators=[MinValueValidator(0)])
    service_phone = models.CharField(_("service desk phone"), max_length=30, blank=True,
                                     validators=[validate_phone])
    managed_since = models.DateField(_("managed since"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    staff = models.ManyToManyField(Staff, verbose_name=_("served by"), blank=True, related_name="estates")

    class Meta:
        verbose_name = _("estate")
        verbose_name_plural = _("estates")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="estates_estate_unique_name",
                                               violation_error_message=_("The company already has an estate "
                                                                         "with this name."))]

    constraint_fields = {"estates_estate_unique_name": "name"}

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("estates:estate", args=[self.pk])

    @classmethod
    def resident_scope(cls, user) -> Q:
        return Q(units__occupancies__customer__user=user) & _current_occupancy_q("units__occupancies__")


class Building(FieldErrorConstraintsMixin, BaseModel):
    scope_estate = "estate"
    scope_resident = "units__occupancies__customer__user"

    estate = models.ForeignKey(Estate, verbose_name=_("estate"), on_delete=models.PROTECT,
                               related_name="buildings")
    number = models.CharField(_("building number"), max_length=20, help_text=_("e.g. 3 or A"))
    name = models.CharField(_("name"), max_length=50, blank=True, help_text=_("e.g. 3号楼"))
    kind = models.CharField(_("kind"), max_length=12, choices=BuildingKind.choices, default=BuildingKind.HIGH_RISE)
    floors = models.PositiveSmallIntegerField(_("floors"), null=True, blank=True)
    entrances = models.PositiveSmallIntegerField(_("entrances"), null=True, blank=True,
                                                 help_text=_("Number of entrances (单元)."))
    completed_year = models.PositiveSmallIntegerField(_("year completed"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["estate", "number"]
        constraints = [
            models.UniqueConstraint(fields=["estate", "number"], name="estates_building_unique_number",
                                    violation_error_message=_("This estate already has a building with this number.")),
        ]

    constraint_fields = {"estates_building_unique_number": "number"}

    def __str__(self):
        return f"{self.estate} {self.name or self.number}"

    def get_absolute_url(self):
        return reverse("estates:building", args=[self.pk])


def unit_code(building_number: str, entrance: str, number: str) -> str:
    return "-".join(p for p in (building_number, entrance, number) if p)


class Unit(FieldErrorConstraintsMixin, BaseModel):
    """A flat, shop or parking space, numbered like ``3-2-1201`` (building-entrance-room)."""

    scope_estate = "estate"

    estate = models.ForeignKey(Estate, verbose_name=_("estate"), on_delete=models.PROTECT, related_name="units",
                               editable=False)
    building = models.ForeignKey(Building, verbose_name=_("building"), on_delete=models.PROTECT,
                                 related_name="units")
    entrance = models.CharField(_("entrance"), max_length=10, blank=True, help_text=_("单元, e.g. 2"))
    floor = models.SmallIntegerField(_("floor"), null=True, blank=True)
    number = models.CharField(_("room number"), max_length=20, help_text=_("e.g. 1201"))
    code = models.CharField(_("unit number"), max_length=50, editable=False, db_index=True)
    usage = models.CharField(_("usage"), max_length=12, choices=UnitUsage.choices, default=UnitUsage.RESIDENTIAL)
    status = models.CharField(_("status"), max_length=12, choices=UnitStatus.choices, default=UnitStatus.OCCUPIED)
    floor_area = models.DecimalField(_("floor area (m²)"), max_digits=10, decimal_places=2, null=True,
                                     blank=True, validators=[MinValueValidator(0)])
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["estate", "code"]
        constraints = [
            models.UniqueConstraint(fields=["building", "entrance", "number"], name="estates_unit_unique_number",
                                    violation_error_message=_("This building already has a unit with this number.")),
            models.UniqueConstraint(fields=["estate", "code"], name="estates_unit_unique_code",
                                    violation_error_message=_("This estate already has a unit with this number.")),
        ]

    constraint_fields = {"estates_unit_unique_number": "number", "estates_unit_unique_code": "number"}

    def __str__(self):
        return f"{self.estate} {self.code}" if self.estate_id else self.code

    def get_absolute_url(self):
        return reverse("estates:unit", args=[self.pk])

    @classmethod
    def resident_scope(cls, user) -> Q:
        return Q(occupancies__customer__user=user) & _current_occupancy_q("occupancies__")

    def derive(self) -> None:
        """Set the estate and the full unit number from the building (runs before validation and save)."""
        if self.building_id:
            self.estate_id = self.building.estate_id
            self.code = unit_code(self.building.number, self.entrance.strip(), self.number.strip())

    def clean_fields(self, exclude=None):
        self.derive()
        super().clean_fields(exclude=exclude)

    def save(self, *args, **kwargs):
        self.derive()
        super().save(*args, **kwargs)


class Customer(FieldErrorConstraintsMixin, BaseModel):
    """A person or organisation served: one record of an estate's customer archive (客户档案)."""

    scope_estate = "estate"
    scope_resident = "user"
    personal_fields = ("mobile", "phone", "id_number", "emergency_phone")

    estate = models.ForeignKey(Estate, verbose_name=_("estate"), on_delete=models.PROTECT,
                               related_name="customers")
    kind = models.CharField(_("kind"), max_length=12, choices=CustomerKind.choices, default=CustomerKind.OWNER)
    name = models.CharField(pgettext_lazy("customer", "name"), max_length=100, db_index=True)
    # phone numbers are encrypted; the tails and digests beside them serve the agents' lookup (see core.personal)
    mobile = EncryptedTextField(_("mobile"), max_length=20, blank=True, validators=[validate_mobile])
    phone = EncryptedTextField(_("other phone"), max_length=30, blank=True, validators=[validate_phone])
    mobile_tail = PhoneTailField(source="mobile", db_index=True)
    phone_tail = PhoneTailField(source="phone", db_index=True)
    mobile_digest = PhoneDigestField(source="mobile", db_index=True)
    phone_digest = PhoneDigestField(source="phone", db_index=True)
    id_type = models.CharField(_("ID type"), max_length=12, choices=IdType.choices, default=IdType.RESIDENT_ID)
    id_number = EncryptedTextField(_("ID number"), blank=True, digest_field="id_number_digest")
    id_number_digest = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    email = models.EmailField(_("email"), blank=True)
    emergency_contact = models.CharField(_("emergency contact"), max_length=50, blank=True)
    emergency_phone = EncryptedTextField(_("emergency phone"), max_length=30, blank=True,
                                         validators=[validate_phone])
    status = models.CharField(_("status"), max_length=10, choices=CustomerStatus.choices,
                              default=CustomerStatus.ACTIVE)
    notes = models.TextField(_("notes"), blank=True)
    user = models.OneToOneField("auth.User", verbose_name=_("portal account"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="customer")

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["estate", "name"]
        constraints = [
            models.UniqueConstraint(fields=["estate", "id_number_digest"], condition=~Q(id_number_digest=""),
                                    name="estates_customer_unique_id_number",
                                    violation_error_message=_(
                                        "A customer with this ID number is already in this estate's archive.")),
        ]

    constraint_fields = {"estates_customer_unique_id_number": "id_number"}

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("estates:customer", args=[self.pk])

    def normalize(self) -> None:
        self.mobile = normalize_phone(self.mobile)
        self.phone = normalize_phone(self.phone)
        self.emergency_phone = normalize_phone(self.emergency_phone)
        self.id_number = normalize_id_number(self.id_number) if self.id_number else ""
        self.id_number_digest = digest(self.id_number) if self.id_number else ""

    def clean_fields(self, exclude=None):
        self.normalize()
        super().clean_fields(exclude=exclude)

    def clean(self):
        errors = {}
        if self.id_number and self.id_type == IdType.RESIDENT_ID:
            try:
                validate_resident_id(self.id_number)
            except ValidationError as exc:
                errors["id_number"] = exc.messages
        if self.kind in (CustomerKind.OWNER, CustomerKind.TENANT) and not (self.mobile or self.phone):
            errors["mobile"] = _("Give at least one phone number for an owner or tenant.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.normalize()
        super().save(*args, **kwargs)

    @property
    def search_subtitle(self) -> str:
        return str(self.get_kind_display())


class Occupancy(FieldErrorConstraintsMixin, BaseModel):
    """A customer's relation to a unit (owner, tenant, family) over a period."""

    scope_estate = "unit__estate"
    scope_resident = "customer__user"

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="occupancies")
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="occupancies")
    role = models.CharField(_("role"), max_length=12, choices=OccupancyRole.choices, default=OccupancyRole.OWNER)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)
    is_primary_contact = models.BooleanField(_("primary contact"), default=False)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("occupancy")
        verbose_name_plural = _("occupancies")
        ordering = ["unit", "-start_date"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                                   name="estates_occupancy_end_after_start",
                                   violation_error_message=_("The end date is before the start date.")),
        ]

    constraint_fields = {"estates_occupancy_end_after_start": "end_date"}

    def __str__(self):
        return f"{self.customer} · {self.unit} · {self.get_role_display()}"

    def get_absolute_url(self):
        return reverse("estates:occupancy", args=[self.pk])

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.start_date <= today and (self.end_date is None or self.end_date >= today)

    def clean(self):
        errors = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date is before the start date.")
        if self.unit_id and self.customer_id and self.unit.estate_id != self.customer.estate_id:
            errors["unit"] = _("The unit and the customer belong to different estates.")
        if errors:
            raise ValidationError(errors)


class OwnersCommittee(FieldErrorConstraintsMixin, BaseModel):
    scope_estate = "estate"
    scope_resident = "estate__units__occupancies__customer__user"

    estate = models.ForeignKey(Estate, verbose_name=_("estate"), on_delete=models.PROTECT,
                               related_name="committees")
    term_number = models.PositiveSmallIntegerField(_("term number"), default=1,
                                                   help_text=_("1 for the first committee, 2 for the second…"))
    established_on = models.DateField(_("established on"))
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    filing_number = models.CharField(_("filing number"), max_length=50, blank=True,
                                     help_text=_("Record number at the street office or housing bureau."))
    status = models.CharField(_("status"), max_length=10, choices=CommitteeStatus.choices,
                              default=CommitteeStatus.ACTIVE)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True, validators=[validate_phone])
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("owners' committee")
        verbose_name_plural = _("owners' committees")
        ordering = ["estate", "-term_number"]
        constraints = [
            models.UniqueConstraint(fields=["estate", "term_number"], name="estates_committee_unique_term",
                                    violation_error_message=_("This estate already has a committee of this term.")),
            models.UniqueConstraint(fields=["estate"], condition=Q(status="active"),
                                    name="estates_committee_one_active",
                                    violation_error_message=_("This estate already has a committee in office.")),
            models.CheckConstraint(condition=Q(term_end__gt=models.F("term_start")),
                                   name="estates_committee_term_order",
                                   violation_error_message=_("The term must end after it starts.")),
        ]

    constraint_fields = {"estates_committee_unique_term": "term_number", "estates_committee_one_active": "status",
                         "estates_committee_term_order": "term_end"}

    def __str__(self):
        return _("%(estate)s owners' committee (term %(n)s)") % {"estate": self.estate, "n": self.term_number}

    def get_absolute_url(self):
        return reverse("estates:ownerscommittee", args=[self.pk])

    def clean(self):
        if self.term_start and self.term_end and self.term_end <= self.term_start:
            raise ValidationError({"term_end": _("The term must end after it starts.")})


class CommitteeMember(FieldErrorConstraintsMixin, BaseModel):
    scope_estate = "committee__estate"
    scope_resident = "committee__estate__units__occupancies__customer__user"

    committee = models.ForeignKey(OwnersCommittee, verbose_name=_("committee"), on_delete=models.PROTECT,
                                  related_name="members")
    customer = models.ForeignKey(Customer, verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="committee_seats")
    position = models.CharField(_("position"), max_length=12, choices=CommitteePosition.choices,
                                default=CommitteePosition.MEMBER)
    joined_on = models.DateField(pgettext_lazy("committee member", "joined on"), null=True, blank=True)
    left_on = models.DateField(pgettext_lazy("committee member", "left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["committee", "position", "customer__name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "customer"], name="estates_member_unique",
                                    violation_error_message=_("This customer already has a seat on this committee.")),
        ]

    constraint_fields = {"estates_member_unique": "customer"}

    def __str__(self):
        return f"{self.customer} · {self.get_position_display()}"

    def get_absolute_url(self):
        return self.committee.get_absolute_url()

    def clean(self):
        if self.committee_id and self.customer_id and self.committee.estate_id != self.customer.estate_id:
            raise ValidationError({"customer": _("This customer is not in the committee's estate.")})
