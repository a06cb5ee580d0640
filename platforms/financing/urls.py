"""Pages of platforms.financing."""

app_name = "financing"

urlpatterns: list = []
