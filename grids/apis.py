"""``/api/districts/``, ``/api/grids/``, ``/api/bureaus/``: the organisation,
read-only and scoped by ``grids.selectors``."""

from rest_framework import viewsets

from common.api import FILTER_BACKENDS, Router
from grids import selectors
from grids.models import Bureau, District, GridTeam
from grids.serializers import BureauSerializer, DistrictSerializer, GridTeamSerializer


class DistrictViewSet(viewsets.ReadOnlyModelViewSet):
    """片区: the districts the user may see (all of them for the zone's leadership)."""

    queryset = District.objects.none()  # names the model for the schema; rows come from the selector
    serializer_class = DistrictSerializer
    filter_backends = FILTER_BACKENDS
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return selectors.district_list(user=self.request.user).order_by("code")


class GridTeamViewSet(viewsets.ReadOnlyModelViewSet):
    """网格工作组: the grid teams the user may see, with leader, officers and enterprise count."""

    queryset = GridTeam.objects.none()
    serializer_class = GridTeamSerializer
    filter_backends = FILTER_BACKENDS
    filterset_fields = ["district"]
    search_fields = ["name", "code", "district__name"]
    ordering_fields = ["code", "name", "enterprise_count"]

    def get_queryset(self):
        return selectors.grid_team_list(user=self.request.user)


class BureauViewSet(viewsets.ReadOnlyModelViewSet):
    """业务科室: the directory of bureaus, open to every signed-in user."""

    queryset = Bureau.objects.none()
    serializer_class = BureauSerializer
    filter_backends = FILTER_BACKENDS
    search_fields = ["name", "code"]
    ordering_fields = ["code", "name"]

    def get_queryset(self):
        return selectors.bureau_list(user=self.request.user).order_by("code")


router = Router()
router.register("districts", DistrictViewSet, basename="district")
router.register("grids", GridTeamViewSet, basename="grid")
router.register("bureaus", BureauViewSet, basename="bureau")

urlpatterns = router.urls
