from .views import urlpatterns as _pages

app_name = "reports"
urlpatterns = list(_pages)
