"""How the organisation reads in the API."""

from rest_framework import serializers

from accounts.models import User
from grids.models import Bureau, District, GridTeam


class PersonSerializer(serializers.ModelSerializer):
    """A named person of the organisation, as the notice board shows them."""

    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "name", "title", "phone"]
        read_only_fields = fields


class DistrictSerializer(serializers.ModelSerializer):
    leader = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = District
        fields = ["id", "code", "name", "leader"]
        read_only_fields = fields


class GridTeamSerializer(serializers.ModelSerializer):
    district_name = serializers.CharField(source="district.name", read_only=True)
    leader = PersonSerializer(read_only=True, allow_null=True)
    officers = PersonSerializer(many=True, read_only=True)
    # Annotated by grids.selectors.grid_team_list: counted in SQL, not per row.
    enterprise_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = GridTeam
        fields = ["id", "code", "name", "district", "district_name", "leader", "officers", "enterprise_count"]
        read_only_fields = fields


class BureauSerializer(serializers.ModelSerializer):
    class Meta:
        model = Bureau
        fields = ["id", "code", "name", "phone", "duties"]
        read_only_fields = fields
