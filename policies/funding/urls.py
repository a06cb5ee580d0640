"""Pages of policies.funding."""

app_name = "funding"

urlpatterns: list = []
