from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EstateKind(models.TextChoices):
    NEW_BUILD = "new_build", _("New-build")
    EXISTING = "existing", _("Existing")


class EstateStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing takeover")
    MANAGED = "managed", _("Managed")
    EXITED = "exited", _("Exited")


class BuildingKind(models.TextChoices):
    HIGH_RISE = "high_rise", _("High-rise")
    MID_RISE = "mid_rise", _("Mid-rise")
    LOW_RISE = "low_rise", _("Low-rise")
    VILLA = "villa", _("Villa / townhouse")
    COMMERCIAL = "commercial", _("Commercial")
    GARAGE = "garage", _("Garage")
    OTHER = "other", _("Other")


class UnitUsage(models.TextChoices):
    RESIDENTIAL = "residential", _("Residential")
    SHOP = "shop", _("Shop")
    OFFICE = "office", _("Office")
    PARKING = "parking", _("Parking space")
    STORAGE = "storage", _("Storage room")
    OTHER = "other", _("Other")


class UnitStatus(models.TextChoices):
    UNSOLD = "unsold", _("Unsold")
    VACANT = "vacant", _("Delivered, vacant")
    RENOVATING = "renovating", _("Renovating")
    OCCUPIED = "occupied", _("Occupied")
    LET = "let", _("Let")


class CustomerKind(models.TextChoices):
    OWNER = "owner", _("Owner")
    TENANT = "tenant", _("Tenant")
    DEVELOPER = "developer", _("Developer")
    OTHER = "other", _("Other")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident ID card")
    PASSPORT = "passport", _("Passport")
    HK_MACAO = "hk_macao", _("Mainland travel permit (HK/Macao)")
    TAIWAN = "taiwan", _("Mainland travel permit (Taiwan)")
    BUSINESS = "business", _("Unified social credit code")
    OTHER = "other", _("Other")


class CustomerStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("customer status", "Active")
    ARCHIVED = "archived", pgettext_lazy("customer status", "Archived")


class OccupancyRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    CO_OWNER = "co_owner", _("Co-owner")
    TENANT = "tenant", _("Tenant")
    FAMILY = "family", _("Family member")
    OTHER = "other", _("Other")


class CommitteeStatus(models.TextChoices):
    ACTIVE = "active", _("In office")
    ENDED = "ended", _("Term ended")


class CommitteePosition(models.TextChoices):
    DIRECTOR = "director", _("Director")
    DEPUTY = "deputy", _("Deputy director")
    MEMBER = "member", _("Member")
    ALTERNATE = "alternate", _("Alternate member")
