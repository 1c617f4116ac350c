from .views import DepartmentViewSet, JobStandardViewSet, PostViewSet, StaffViewSet

ROUTES = [
    ("departments", DepartmentViewSet),
    ("posts", PostViewSet),
    ("job-standards", JobStandardViewSet),
    ("staff", StaffViewSet),
]
