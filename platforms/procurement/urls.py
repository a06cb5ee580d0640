"""Pages of platforms.procurement."""

app_name = "procurement"

urlpatterns: list = []
