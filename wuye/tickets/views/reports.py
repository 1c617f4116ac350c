"""reports pages of the tickets app."""

urlpatterns = []
