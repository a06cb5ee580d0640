"""Pages of platforms.labour."""

app_name = "labour"

urlpatterns: list = []
