from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FormStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("appraisal form", "Draft")
    ACTIVE = "active", pgettext_lazy("appraisal form", "In use")
    RETIRED = "retired", pgettext_lazy("appraisal form", "Retired")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    HALF_YEAR = "half_year", _("Half-year")
    YEAR = "year", _("Year")
    CUSTOM = "custom", _("Custom range")


class CycleStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("appraisal cycle", "Open")
    CLOSED = "closed", pgettext_lazy("appraisal cycle", "Closed")


class AppraisalState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("appraisal", "Draft")
    SELF_ASSESSMENT = "self_assessment", pgettext_lazy("appraisal", "Self-assessment")
    SCORING = "scoring", pgettext_lazy("appraisal", "Appraiser scoring")
    ACKNOWLEDGEMENT = "acknowledgement", pgettext_lazy("appraisal", "Appraisee acknowledgement")
    FINAL = "final", pgettext_lazy("appraisal", "Final")
    SUPERSEDED = "superseded", pgettext_lazy("appraisal", "Superseded by a revision")


OPEN_STATES = (AppraisalState.DRAFT, AppraisalState.SELF_ASSESSMENT, AppraisalState.SCORING,
               AppraisalState.ACKNOWLEDGEMENT)

# The default scale of the standard's forms (configurable per form version).
DEFAULT_SCALE = [
    {"value": 5, "label": "优秀"}, {"value": 4, "label": "良好"}, {"value": 3, "label": "合格"},
    {"value": 2, "label": "待改进"}, {"value": 1, "label": "不合格"},
]
# The default grade bands on the weighted total (on the scale: 1.00–5.00), highest first.
DEFAULT_BANDS = [
    {"min": 4.5, "grade": "优秀"}, {"min": 3.5, "grade": "良好"}, {"min": 2.5, "grade": "合格"},
    {"min": 1.5, "grade": "待改进"}, {"min": 0, "grade": "不合格"},
]
