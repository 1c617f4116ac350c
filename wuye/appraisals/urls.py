from .views import urlpatterns as _pages

app_name = "appraisals"
urlpatterns = list(_pages)
