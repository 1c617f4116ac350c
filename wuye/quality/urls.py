from .views import urlpatterns as _pages

app_name = "quality"
urlpatterns = list(_pages)
