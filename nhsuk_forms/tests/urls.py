"""URLs for the standalone test settings: none are needed."""

urlpatterns = []
