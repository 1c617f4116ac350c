from . import actions, audits, communication, plans, policy, reviews

ROUTES = [
    *policy.ROUTES,        # quality-objectives, quality-policies
    *plans.ROUTES,         # work-plans
    *audits.ROUTES,        # audits, findings, audit-programmes, finding-limits
    *actions.ROUTES,       # corrective-actions
    *reviews.ROUTES,       # management-reviews, action-items
    *communication.ROUTES,  # meetings, submissions
]
