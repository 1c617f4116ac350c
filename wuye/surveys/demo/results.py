"""Demo data of survey results (``manage.py load_demo``, after the campaigns and responses): results are computed,
not stored, so there is nothing to add but one corrective action. When the quality app's handler is registered,
the customer-service manager (cs_manager) raises the corrective action of the lowest flagged dimension of the
latest campaign with answers (one per campaign, estate and dimension: a second run finds it and adds nothing)."""

from __future__ import annotations

from wuye.core.demo import demo_user

from .. import hooks, services
from ..choices import CampaignStatus
from ..models import Campaign, Dimension, LowScoreAction, Response
from ..selectors.results import campaign_results


def _lowest_flag(manager):
    """(campaign, estate id, dimension id) of the lowest flagged score of the latest campaign with answers."""
    campaigns = Campaign.objects.filter(status__in=(CampaignStatus.OPEN, CampaignStatus.CLOSED)).order_by(
        "-starts_on", "-id")
    for campaign in campaigns:
        if not Response.objects.filter(campaign=campaign).exists():
            continue
        results = campaign_results(campaign, manager)
        flags = [(row["average"], block["estate"]["id"], row["dimension"]["id"])
                 for block in results["estates"] for row in block["dimensions"] if row["flagged"]]
        if flags:
            average, estate_id, dimension_id = min(flags)
            return campaign, estate_id, dimension_id
        return None
    return None


def load(*, stdout, style) -> list:
    if not hooks.action_available():
        return []
    manager = demo_user("cs_manager")
    found = _lowest_flag(manager)
    if found is None:
        return []
    campaign, estate_id, dimension_id = found
    existing = LowScoreAction.objects.filter(campaign=campaign, estate_id=estate_id, dimension_id=dimension_id).first()
    if existing is None:
        estate = campaign.estates.get(pk=estate_id)
        existing = services.low_score_action_raise(actor=manager, campaign=campaign, estate=estate,
                                                   dimension=Dimension.objects.get(pk=dimension_id))
        stdout.write(f"surveys results: corrective action {existing.action_label} raised from a low score "
                     f"({campaign.number}, {estate}, {existing.dimension.name} {existing.average})")
    return []
