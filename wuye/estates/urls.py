app_name = "estates"
urlpatterns = []
