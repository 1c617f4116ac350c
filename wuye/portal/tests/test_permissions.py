"""Permission matrix of the owner portal: residents only; every staff role 403; another estate's ticket 404."""

from django.urls import reverse

from wuye.core.roles import Role
from wuye.core.testing.matrix import Route, matrix_tests
from wuye.tickets import services
from wuye.tickets.choices import TicketKind
from wuye.tickets.tests.factories import category, make_ticket, png, resolved

RESIDENT = {Role.RESIDENT.value}


def _ticket(w):
    return make_ticket(w)


def _other_ticket(w):
    """A ticket of estate B (翠湖苑, 李强's home): never the resident's."""
    return make_ticket(w, estate=w.estate_b)


def _resolved(w):
    return resolved(w, make_ticket(w))


def _other_resolved(w):
    manager = w.users["cs_manager"]
    ticket = services.ticket_assign(actor=manager, ticket=_other_ticket(w), department=w.department)
    return services.ticket_resolve(actor=manager, ticket=ticket, resolution="已处理")


def _submission(w):
    return {"unit": w.unit_a.pk, "kind": TicketKind.REPAIR, "category": category().pk, "title": "楼道灯不亮",
            "files": png()}


CASES = [
    Route("portal:home", lambda w: reverse("portal:home"), RESIDENT),
    Route("portal:ticket_add", lambda w: reverse("portal:ticket_add"), RESIDENT),
    Route("portal:ticket_add", lambda w: reverse("portal:ticket_add"), RESIDENT, method="post", data=_submission,
          ok=(302,)),
    Route("portal:ticket", lambda w: reverse("portal:ticket", args=[_ticket(w).pk]), RESIDENT,
          other=lambda w: reverse("portal:ticket", args=[_other_ticket(w).pk]), scoped_roles=RESIDENT),
    Route("portal:ticket_rate", lambda w: reverse("portal:ticket_rate", args=[_resolved(w).pk]), RESIDENT,
          method="post", data=lambda w: {"satisfaction": 5}, ok=(302,),
          other=lambda w: reverse("portal:ticket_rate", args=[_other_resolved(w).pk]), scoped_roles=RESIDENT),
]

test_matrix = matrix_tests(CASES)


# --- customer surveys (wuye/portal/surveys.py) --------------------------------------------------------------------


def _survey_invitation(w, unit):
    from wuye.surveys.tests.factories import invitation_for, open_campaign

    campaign = getattr(w, "_portal_campaign", None) or open_campaign(w, number="SV-2026-21")
    w._portal_campaign = campaign
    return invitation_for(campaign, unit)


def _survey_answers(w):
    from wuye.surveys.tests.factories import full_answers

    version = w._portal_campaign.version
    return {f"q{pk}": [str(v) for v in value] if isinstance(value, list) else str(value)
            for pk, value in full_answers(version).items()}


CASES += [
    Route("portal:survey_answer", lambda w: reverse("portal:survey_answer", args=[_survey_invitation(w, w.unit_a).pk]),
          RESIDENT, other=lambda w: reverse("portal:survey_answer", args=[_survey_invitation(w, w.unit_b).pk]),
          scoped_roles=RESIDENT),
    Route("portal:survey_answer", lambda w: reverse("portal:survey_answer", args=[_survey_invitation(w, w.unit_a).pk]),
          RESIDENT, method="post", data=_survey_answers, ok=(302,),
          other=lambda w: reverse("portal:survey_answer", args=[_survey_invitation(w, w.unit_b).pk]),
          scoped_roles=RESIDENT),
]

test_matrix = matrix_tests(CASES)
