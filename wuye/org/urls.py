from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("company/<int:pk>/", views.CompanyView.as_view(), name="company"),
    path("company/<int:pk>/edit/", views.CompanyEditView.as_view(), name="company_edit"),
    path("departments/", views.DepartmentListView.as_view(), name="department_list"),
    path("departments/add/", views.DepartmentEditView.as_view(), name="department_add"),
    path("departments/<int:pk>/", views.DepartmentView.as_view(), name="department"),
    path("departments/<int:pk>/edit/", views.DepartmentEditView.as_view(), name="department_edit"),
    path("departments/<int:pk>/history/", views.DepartmentHistoryView.as_view(), name="department_history"),
    path("interfaces/add/", views.DepartmentInterfaceEditView.as_view(), name="departmentinterface_add"),
    path("interfaces/<int:pk>/edit/", views.DepartmentInterfaceEditView.as_view(),
         name="departmentinterface_edit"),
    path("posts/", views.PostListView.as_view(), name="post_list"),
    path("posts/add/", views.PostEditView.as_view(), name="post_add"),
    path("posts/<int:pk>/", views.PostView.as_view(), name="post"),
    path("posts/<int:pk>/edit/", views.PostEditView.as_view(), name="post_edit"),
    path("posts/<int:pk>/history/", views.PostHistoryView.as_view(), name="post_history"),
    path("posts/<int:pk>/standards/add/", views.JobStandardCreateView.as_view(), name="jobstandard_add"),
    path("standards/", views.JobStandardListView.as_view(), name="jobstandard_list"),
    path("standards/<int:pk>/", views.JobStandardView.as_view(), name="jobstandard"),
    path("standards/<int:pk>/edit/", views.JobStandardEditView.as_view(), name="jobstandard_edit"),
    path("standards/<int:pk>/publish/", views.JobStandardPublishView.as_view(), name="jobstandard_publish"),
    path("standards/<int:pk>/acknowledge/", views.AcknowledgeView.as_view(), name="jobstandard_acknowledge"),
    path("my-standard/", views.MyStandardView.as_view(), name="my_standard"),
    path("acknowledgements/pending/", views.PendingAcknowledgementsView.as_view(), name="acknowledgement_pending"),
    path("staff/", views.StaffListView.as_view(), name="staff_list"),
    path("staff/add/", views.StaffEditView.as_view(), name="staff_add"),
    path("staff/<int:pk>/", views.StaffView.as_view(), name="staff"),
    path("staff/<int:pk>/edit/", views.StaffEditView.as_view(), name="staff_edit"),
    path("staff/<int:pk>/history/", views.StaffHistoryView.as_view(), name="staff_history"),
    path("staff/<int:pk>/leave/", views.StaffLeaveView.as_view(), name="staff_leave"),
]
