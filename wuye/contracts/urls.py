from .views import urlpatterns as _pages

app_name = "contracts"
urlpatterns = list(_pages)
