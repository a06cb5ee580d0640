"""API of platforms.service_projects: its viewsets on the shared router."""

from common.api import Router

router = Router()

urlpatterns = router.urls
