from .views import urlpatterns as _pages

app_name = "incidents"
urlpatterns = list(_pages)
