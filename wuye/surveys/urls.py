from .views import urlpatterns as _pages

app_name = "surveys"
urlpatterns = list(_pages)
