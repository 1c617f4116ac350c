from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from wuye.core.api.views import SchemaView, SwaggerView
from wuye.core.views.pages import HomeView, SearchView

admin.site.site_header = "wuye"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("search/", SearchView.as_view(), name="search"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("core/", include("wuye.core.urls")),
    path("org/", include("wuye.org.urls")),
    path("estates/", include("wuye.estates.urls")),
    path("tickets/", include("wuye.tickets.urls")),
    path("documents/", include("wuye.documents.urls")),
    path("contracts/", include("wuye.contracts.urls")),
    path("surveys/", include("wuye.surveys.urls")),
    path("quality/", include("wuye.quality.urls")),
    path("appraisals/", include("wuye.appraisals.urls")),
    path("training/", include("wuye.training.urls")),
    path("budgets/", include("wuye.budgets.urls")),
    path("incidents/", include("wuye.incidents.urls")),
    path("reports/", include("wuye.reports.urls")),
    path("portal/", include("wuye.portal.urls")),
    path("api/v1/", include("config.api_router")),
    path("api/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
]

handler403 = "wuye.core.views.errors.permission_denied"
handler404 = "wuye.core.views.errors.page_not_found"
handler500 = "wuye.core.views.errors.server_error"

