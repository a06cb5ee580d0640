"""How enterprises read and are written in the API.

Serializers only validate and shape data; the writes are
``enterprises.registry.services``' (called from ``enterprises.registry.apis``).
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from accounts.models import Role, User
from common.api import StrictModelSerializer
from enterprises.registry.models import Enterprise
from enterprises.registry.selectors import enterprises_visible
from enterprises.registry.services import BASIC_INFO_FIELDS, EDITABLE_FIELDS
from enterprises.registry.uscc import validate_uscc
from grids.models import GridTeam


def enterprise_acted_for(*, user: User, data: Mapping[str, Any]) -> Enterprise:
    """The enterprise a create through the API is for: an enterprise user's own; anyone else names
    one in their scope as ``enterprise`` (400 naming the field when it is missing or out of scope).
    """
    if user.role == Role.ENTERPRISE_USER:
        return user.enterprise
    if "enterprise" not in data:
        raise serializers.ValidationError({"enterprise": [_("请指定企业。")]})
    return enterprise_in_scope(user=user, pk=data["enterprise"])


def enterprise_in_scope(*, user: User, pk: int) -> Enterprise:
    """The enterprise ``pk`` named in an API input, if ``user`` sees it (else 400 naming ``enterprise``)."""
    enterprise = enterprises_visible(user=user).filter(pk=pk).first()
    if enterprise is None:
        raise serializers.ValidationError({"enterprise": [_("企业不存在或不在您的权限范围内。")]})
    return enterprise


class EnterpriseSerializer(serializers.ModelSerializer):
    ownership_display = serializers.CharField(source="get_ownership_display", read_only=True)
    tier_display = serializers.CharField(source="get_tier_display", read_only=True)
    industry_display = serializers.CharField(source="get_industry_display", read_only=True)
    grid_name = serializers.CharField(source="grid.name", read_only=True)
    district = serializers.IntegerField(source="grid.district_id", read_only=True)
    district_name = serializers.CharField(source="grid.district.name", read_only=True)
    board_url = serializers.SerializerMethodField(help_text=_("公示牌的完整网址（公开访问，可打印为二维码）"))

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "uscc",
            "ownership",
            "ownership_display",
            "tier",
            "tier_display",
            "industry",
            "industry_display",
            "above_scale",
            "grid",
            "grid_name",
            "district",
            "district_name",
            *BASIC_INFO_FIELDS,
            "board_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_board_url(self, enterprise: Enterprise) -> str:
        request = self.context.get("request")
        path = enterprise.get_board_url()
        return request.build_absolute_uri(path) if request is not None else path


class UsccField(serializers.CharField):
    """Codes are printed in capitals; accept them typed in lower case or with spaces around."""

    def to_internal_value(self, data):
        return super().to_internal_value(data).upper()


class EnterpriseWriteSerializer(StrictModelSerializer):
    """What an administrator sends to create or edit an enterprise.

    The model's own validators run here (the USCC check character, the unique
    USCC, an existing grid), so a bad value answers 400 naming its field before
    any service is called.
    """

    reads_as = EnterpriseSerializer

    uscc = UsccField(
        label=_("统一社会信用代码"),
        max_length=18,
        validators=[
            validate_uscc,
            UniqueValidator(queryset=Enterprise.objects.all(), message=_("该统一社会信用代码已被其他企业使用。")),
        ],
    )
    grid = serializers.PrimaryKeyRelatedField(queryset=GridTeam.objects.all(), label=_("网格工作组"))
    tier_reason = serializers.CharField(
        label=_("分类调整原因"),
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=300,
        help_text=_("改变企业分类时必填；建档时可不填。"),
    )

    class Meta:
        model = Enterprise
        fields = [*EDITABLE_FIELDS, "tier", "tier_reason"]

    def validate(self, attrs):
        tier = attrs.get("tier")
        changing_tier = self.instance is not None and tier is not None and tier != self.instance.tier
        if changing_tier and not attrs.get("tier_reason", "").strip():
            raise serializers.ValidationError({"tier_reason": _("调整企业分类必须填写原因。")})
        return attrs
