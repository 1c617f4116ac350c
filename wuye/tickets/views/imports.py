"""imports pages of the tickets app."""

urlpatterns = []
