"""Home-page panels of the organisation app (registered in OrgConfig.ready)."""

from . import selectors
from .models import Staff


def acknowledgement_panel(request):
    user = request.user
    staff = selectors.staff_of(user)
    context = {"template": "org/panels/acknowledgements.html"}
    if staff is not None:
        standard, ack = selectors.my_standard_status(staff=staff)
        context.update(my_standard=standard, my_ack=ack)
    if user.has_perm("org.view_acknowledgement"):
        context["pending_count"] = selectors.pending_acknowledgements(
            staff_queryset=Staff.objects.restrict(user)).count()
    if context.get("my_standard") is None and "pending_count" not in context:
        return None
    return context
