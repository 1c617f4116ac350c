from .views import urlpatterns as _pages

app_name = "budgets"
urlpatterns = list(_pages)
