"""API of platforms.supply_chain: its viewsets on the shared router."""

from common.api import Router

router = Router()

urlpatterns = router.urls
