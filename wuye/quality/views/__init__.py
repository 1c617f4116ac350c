"""Pages of the quality app, one module per subject; each module defines ``urlpatterns`` (names
``quality:<model>_list``, ``<model>``, ``<model>_add``, ``<model>_edit``, ``<model>_history`` and steps)."""

from . import actions, audits, communication, files, plans, policy, reviews, selfcheck

urlpatterns = [
    *policy.urlpatterns,
    *plans.urlpatterns,
    *audits.urlpatterns,
    *actions.urlpatterns,
    *reviews.urlpatterns,
    *communication.urlpatterns,
    *selfcheck.urlpatterns,
    *files.urlpatterns,
]
