"""Pages of platforms.supply_chain."""

app_name = "supply_chain"

urlpatterns: list = []
