"""API of platforms.procurement: its viewsets on the shared router."""

from common.api import Router

router = Router()

urlpatterns = router.urls
