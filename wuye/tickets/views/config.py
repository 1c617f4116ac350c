"""config pages of the tickets app."""

urlpatterns = []
