"""A corrective action from a low score: a dimension flagged in an estate of a campaign (average under the
campaign's threshold) raises one corrective action in the quality app, through ``hooks.raise_action``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from wuye.core.audit import audit
from wuye.core.context import acting_as
from wuye.core.scope import user_scope

from .. import hooks
from ..models import Campaign, CampaignEstate, LowScoreAction
from .common import require

__all__ = ["low_score_action_raise", "LOW_SCORE_PERMISSION"]

# who may raise one: those who run the campaigns (the customer-service manager, the administrator)
LOW_SCORE_PERMISSION = "surveys.change_campaign"


@transaction.atomic
def low_score_action_raise(*, actor, campaign: Campaign, estate, dimension) -> LowScoreAction:
    """Raise the corrective action of ``dimension`` in ``estate`` of ``campaign``: the dimension must be flagged
    there, the actor must see the campaign and serve the estate, and only one per campaign, estate and dimension."""
    from ..selectors.results import campaign_results

    require(actor, LOW_SCORE_PERMISSION)
    if not hooks.action_available():
        raise ValidationError(_("Corrective actions cannot be raised here: the quality system is not available."))
    if not Campaign.objects.restrict(actor, "view").filter(pk=campaign.pk).exists():
        raise PermissionDenied(_("You may not do this."))
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not CampaignEstate.objects.filter(campaign=campaign, estate=estate).exists():
        raise ValidationError({"estate": _("This campaign does not cover %(estate)s.") % {"estate": estate}})
    if not user_scope(actor).covers_estate(estate.pk):
        raise ValidationError({"estate": _("You do not serve %(estate)s.") % {"estate": estate}})
    existing = LowScoreAction.objects.filter(campaign=campaign, estate=estate, dimension=dimension).first()
    if existing is not None:
        raise ValidationError({"dimension": _("A corrective action was already raised for this score: %(action)s.")
                               % {"action": existing.action_label}})
    results = campaign_results(campaign, actor, estate_ids=[estate.pk])
    row = None
    if results["estates"]:
        row = next((r for r in results["estates"][0]["dimensions"] if r["dimension"]["id"] == dimension.pk), None)
    if row is None or not row["flagged"]:
        raise ValidationError({"dimension": _("%(dimension)s is not flagged in %(estate)s: its average is not under "
                                              "%(threshold)s.") % {"dimension": dimension.name, "estate": estate,
                                                                   "threshold": campaign.low_score_threshold}})
    title = _("Low satisfaction with %(dimension)s in %(estate)s") % {"dimension": dimension.name,
                                                                      "estate": estate.name}
    description = _(
        "Survey %(campaign)s (%(start)s – %(end)s), %(estate)s: the dimension %(dimension)s averages %(average)s "
        "of 5 over %(answered)s answers (satisfaction rate %(rate)s %%), under the threshold %(threshold)s."
    ) % {"campaign": f"{campaign.number} {campaign.name}", "start": campaign.starts_on, "end": campaign.ends_on,
         "estate": estate.name, "dimension": dimension.name, "average": row["average"], "answered": row["answered"],
         "rate": row["rate"], "threshold": campaign.low_score_threshold}
    with acting_as(actor):
        action = hooks.raise_action(actor=actor, title=title, description=description, estate=estate,
                                    source_reference=f"{campaign.number} {dimension.name}")
        low = LowScoreAction(campaign=campaign, estate=estate, dimension=dimension, average=row["average"],
                             action_label=str(action.number)[:50], action_url=action.get_absolute_url()[:200])
        low.full_clean()
        low.save()
        audit("surveys.low_score_action_raised", actor=actor, obj=campaign, estate_id=estate.pk,
              dimension=dimension.name, average=str(row["average"]), action=low.action_label)
    return low
