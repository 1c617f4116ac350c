from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VersionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("questionnaire", "Draft")
    ACTIVE = "active", pgettext_lazy("questionnaire", "In use")
    RETIRED = "retired", pgettext_lazy("questionnaire", "Retired")


class QuestionKind(models.TextChoices):
    SATISFACTION = "satisfaction", _("Satisfaction (5 levels)")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RECOMMEND = "recommend", _("Recommendation score (0–10)")
    TEXT = "text", _("Free text")


# The five levels of a satisfaction question, best first. 满意率 = (满意 + 基本满意) / answered.
SATISFACTION_LEVELS = [(5, "满意"), (4, "基本满意"), (3, "一般"), (2, "不满意"), (1, "很不满意")]
SATISFIED_MIN = 4          # 满意 and 基本满意
PROMOTER_MIN = 9           # recommendation 9–10 promoters, 0–6 detractors (NPS)
DETRACTOR_MAX = 6


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("survey campaign", "Draft")
    OPEN = "open", pgettext_lazy("survey campaign", "Open")
    CLOSED = "closed", pgettext_lazy("survey campaign", "Closed")
    CANCELLED = "cancelled", pgettext_lazy("survey campaign", "Cancelled")


class Target(models.TextChoices):
    ALL = "all", _("All households")
    SAMPLE = "sample", _("A random sample of households")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Owner portal")
    LINK = "link", _("Personal link")
    PHONE = "phone", _("Phone (entered by staff)")
    PAPER = "paper", _("Paper form (entered by staff)")


STAFF_CHANNELS = (Channel.PHONE, Channel.PAPER)

CONFIDENCE_CHOICES = [("0.90", "90%"), ("0.95", "95%"), ("0.99", "99%")]
