"""API of platforms.labour: its viewsets on the shared router."""

from common.api import Router

router = Router()

urlpatterns = router.urls
