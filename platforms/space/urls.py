"""Pages of platforms.space."""

app_name = "space"

urlpatterns: list = []
