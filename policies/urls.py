"""Pages of policies."""

app_name = "policies"

urlpatterns: list = []
