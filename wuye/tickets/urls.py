from .views import config, imports, reports, tickets

app_name = "tickets"
urlpatterns = [*tickets.urlpatterns, *config.urlpatterns, *reports.urlpatterns, *imports.urlpatterns]
