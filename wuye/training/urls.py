from .views import urlpatterns as _pages

app_name = "training"
urlpatterns = list(_pages)
