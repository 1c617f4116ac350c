from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wuye.core.forms import apply_errors
from wuye.core.views import (
    BaseView,
    ObjectActionView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
)
from wuye.core.views.generic import object_or_404

from . import selectors, services
from .choices import StaffStatus, StandardStatus
from .filtersets import DepartmentFilterSet, JobStandardFilterSet, PostFilterSet, StaffFilterSet
from .forms import (
    CompanyForm,
    DepartmentForm,
    DepartmentInterfaceForm,
    JobStandardForm,
    LeaveForm,
    PostForm,
    StaffForm,
)
from .models import Company, Department, DepartmentInterface, JobStandard, Post, Staff
from .tables import DepartmentTable, JobStandardTable, PendingAcknowledgementTable, PostTable, StaffTable

# --- company ---------------------------------------------------------------------------------------------


class CompanyView(ObjectDetailView):
    queryset = Company.objects.all()

    def get_extra_context(self, obj):
        return {"departments": obj.departments.restrict(self.request.user).order_by("name")}


class CompanyEditView(ObjectEditView):
    queryset = Company.objects.all()
    form = CompanyForm


# --- departments ----------------------------------------------------------------------------------------


class DepartmentListView(ObjectListView):
    queryset = Department.objects.select_related("company", "parent").annotate(
        post_count=Count("posts", filter=Q(posts__is_active=True)))
    filterset = DepartmentFilterSet
    table = DepartmentTable


class DepartmentView(ObjectDetailView):
    queryset = Department.objects.select_related("company", "parent")

    def get_extra_context(self, obj):
        user = self.request.user
        return {
            "interfaces": obj.interfaces.restrict(user).select_related("counterpart"),
            "incoming": DepartmentInterface.objects.restrict(user).filter(counterpart=obj)
            .select_related("department"),
            "posts": obj.posts.restrict(user).annotate(holder_count=Count(
                "staff", filter=Q(staff__status=StaffStatus.ACTIVE))),
            "can_add_interface": user.has_perm("org.add_departmentinterface"),
            "can_add_post": user.has_perm("org.add_post"),
        }


class DepartmentEditView(ObjectEditView):
    queryset = Department.objects.all()
    form = DepartmentForm


class DepartmentHistoryView(ObjectHistoryView):
    queryset = Department.objects.all()


class DepartmentInterfaceEditView(ObjectEditView):
    queryset = DepartmentInterface.objects.all()
    form = DepartmentInterfaceForm


# --- posts and job standards ------------------------------------------------------------------------------

_current_version = Subquery(JobStandard.objects.filter(post=OuterRef("pk"), status=StandardStatus.CURRENT)
                            .values("version")[:1])


class PostListView(ObjectListView):
    queryset = Post.objects.select_related("department", "reports_to").annotate(
        holder_count=Count("staff", filter=Q(staff__status=StaffStatus.ACTIVE)), current_version=_current_version)
    filterset = PostFilterSet
    table = PostTable


class PostView(ObjectDetailView):
    queryset = Post.objects.select_related("department", "reports_to")

    def get_extra_context(self, obj):
        user = self.request.user
        current = obj.current_standard
        return {
            "current": current,
            "standards": obj.standards.restrict(user).select_related("approved_by"),
            "holders": selectors.standard_acknowledgements(standard=current) if current else
            obj.staff.filter(status=StaffStatus.ACTIVE),
            "can_view_acks": user.has_perm("org.view_acknowledgement"),
            "can_draft": user.has_perm("org.add_jobstandard") and not obj.standards.filter(
                status=StandardStatus.DRAFT).exists(),
        }


class PostEditView(ObjectEditView):
    queryset = Post.objects.all()
    form = PostForm


class PostHistoryView(ObjectHistoryView):
    queryset = Post.objects.all()


class JobStandardListView(ObjectListView):
    queryset = JobStandard.objects.select_related("post", "post__department", "approved_by")
    filterset = JobStandardFilterSet
    table = JobStandardTable


class JobStandardView(ObjectDetailView):
    queryset = JobStandard.objects.select_related("post", "post__department", "approved_by")

    def get_extra_context(self, obj):
        user = self.request.user
        staff = selectors.staff_of(user)
        mine = staff is not None and staff.post_id == obj.post_id and obj.status == StandardStatus.CURRENT
        acked = mine and selectors.my_standard_status(staff=staff)[1] is not None
        return {
            "can_publish": obj.status == StandardStatus.DRAFT and user.has_perm("org.publish_jobstandard"),
            "can_confirm": mine and not acked and user.has_perm("org.add_acknowledgement"),
            "acknowledged": acked,
            "acknowledgements": selectors.standard_acknowledgements(standard=obj)
            if user.has_perm("org.view_acknowledgement") and obj.status == StandardStatus.CURRENT else None,
            "edit_url": reverse("org:jobstandard_edit", args=[obj.pk]) if obj.is_editable
            and user.has_perm("org.change_jobstandard") else None,
        }


class JobStandardCreateView(BaseView):
    """A new draft version for a post, prefilled from the current version."""

    permission_required = "org.add_jobstandard"

    def _post(self, pk):
        return object_or_404(Post.objects.all(), self.request.user, "view", pk=pk)

    def get(self, request, pk):
        post = self._post(pk)
        current = post.current_standard
        initial = {f: getattr(current, f) for f in ("duties", "work_standard", "qualifications",
                                                       "assessment_method")} if current else {}
        form = JobStandardForm(initial=initial, user=request.user)
        return TemplateResponse(request, "org/jobstandard_form.html", {"form": form, "post": post})

    def post(self, request, pk):
        post = self._post(pk)
        form = JobStandardForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                standard = services.job_standard_create(actor=request.user, post=post, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Draft version %(v)s created.") % {"v": standard.version})
                return redirect(standard)
        return TemplateResponse(request, "org/jobstandard_form.html", {"form": form, "post": post}, status=400)


class JobStandardEditView(ObjectEditView):
    queryset = JobStandard.objects.filter(status=StandardStatus.DRAFT)
    form = JobStandardForm


class JobStandardPublishView(BaseView):
    permission_required = "org.publish_jobstandard"

    def post(self, request, pk):
        standard = object_or_404(JobStandard.objects.all(), request.user, "view", pk=pk)
        try:
            services.job_standard_publish(actor=request.user, standard=standard)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Version %(v)s is now the current job standard.") % {"v": standard.version})
        return redirect(standard)


class AcknowledgeView(BaseView):
    permission_required = "org.add_acknowledgement"

    def post(self, request, pk):
        standard = object_or_404(JobStandard.objects.all(), request.user, "view", pk=pk)
        try:
            services.acknowledgement_confirm(actor=request.user, subject=standard)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you: your confirmation is recorded."))
        return redirect(request.POST.get("next") or standard.get_absolute_url())


class MyStandardView(BaseView):
    """A staff member's own post and job standard, with the confirm button (seed 1.3)."""

    login_only = True

    def get(self, request):
        staff = selectors.staff_of(request.user)
        standard, ack = selectors.my_standard_status(staff=staff) if staff else (None, None)
        return TemplateResponse(request, "org/my_standard.html", {"staff": staff, "standard": standard, "ack": ack})


class PendingAcknowledgementsView(BaseView):
    """For the manager: who has not yet confirmed their post's current job standard."""

    permission_required = "org.view_acknowledgement"

    def get(self, request):
        pending = selectors.pending_acknowledgements(staff_queryset=Staff.objects.restrict(request.user))
        table = PendingAcknowledgementTable(pending, request=request)
        return TemplateResponse(request, "org/pending_acknowledgements.html", {"table": table,
                                                                             "count": pending.count()})


# --- staff --------------------------------------------------------------------------------------------------


class StaffListView(ObjectListView):
    queryset = Staff.objects.select_related("department", "post__department", "user")
    filterset = StaffFilterSet
    table = StaffTable


class StaffView(ObjectDetailView):
    queryset = Staff.objects.select_related("department", "post__department", "user")

    def get_extra_context(self, obj):
        standard, ack = selectors.my_standard_status(staff=obj)
        return {
            "estates": obj.estates.all(),
            "roles": obj.user.groups.all() if obj.user_id else [],
            "standard": standard,
            "ack": ack,
            "can_leave": obj.status == StaffStatus.ACTIVE and self.can_change,
        }


class StaffHistoryView(ObjectHistoryView):
    queryset = Staff.objects.all()


class StaffEditView(ObjectEditView):
    queryset = Staff.objects.all()
    form = StaffForm

    def save(self, form):
        staff = form.save()
        services.staff_set_estates(actor=self.request.user, staff=staff, estates=form.cleaned_data["estates"])
        form.save_roles(staff)
        return staff


class StaffLeaveView(ObjectActionView):
    queryset = Staff.objects.all()
    permission_required = "org.change_staff"
    form_class = LeaveForm
    title = gettext_lazy("Mark as left")
    intro = gettext_lazy("The staff record and its history are kept. The login is disabled and the staff member "
                         "no longer serves any estate.")
    button_class = "btn-danger"

    def perform(self, obj, form):
        services.staff_leave(actor=self.request.user, staff=obj, left_on=form.cleaned_data["left_on"])
        return _("%(name)s is marked as left.") % {"name": obj.name}
