from .views import urlpatterns as _pages

app_name = "documents"
urlpatterns = [*_pages]
