"""What every platform's API shares: list and detail in scope, the create, the answer to a write,
the version-checked edit and the close, a service's refusal, the proposals' actions, and the
schema decorators and input pieces (``read_docs``, ``write_doc``, ``ScopedField``, ``PeriodInput`` …).

``PlatformViewSet`` is the base of each platform's row API (``/api/labour-postings/``,
``/api/space-listings/``, ``/api/deals/``, ``/api/referrals/``, ``/api/service-projects/`` …):
every write answers the row as the list reads it, through the caller's scope, an edit pops
``expected_version`` for the service to check, and a service's ``TransitionError`` answers as
``common.api.refusal_response`` says. A platform names its rows' ``selector`` and declares each write
once, flow and schema together: ``create = create_action(...)``, ``partial_update = edit_action(...)``,
``close = close_action(...)``, ``advance = step_action("advance", ...)`` (``row_action`` for any other
POST on one row).

``ProposalViewSet`` is the base of ``/api/purchase-proposals/``, ``/api/labour-proposals/`` and
``/api/space-proposals/``: the same three actions (``contact``, ``agree``, ``decline``) with the
same input, the same version check and the same answers, each moving the proposal through the
platform's own service (``act``), which checks who may and then calls the shared
``platforms.matching.proposal_transition``. A platform gives its queryset, serializer, filters
and ``act``. The error answers (400 naming the field, 403, 404 out of scope, 409 …) are
documented for every operation by ``common.schema.AutoSchema``.
"""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.api import FILTER_BACKENDS, StrictSerializer, refusal_response
from common.errors import TransitionError
from enterprises.models import Enterprise
from platforms.matching import AGREE, CONTACT, DECLINE
from platforms.records import ENDS_BEFORE_STARTS, check_version, ends_before_starts


def read_docs(list_summary: str, retrieve_summary: str, *, tags: list[str] | None = None, **operations: Any):
    """The schema of a row API's list and detail (and of any ``operations`` given), as one class decorator."""
    tagged = {"tags": tags} if tags else {}
    return extend_schema_view(
        list=extend_schema(summary=list_summary, **tagged),
        retrieve=extend_schema(summary=retrieve_summary, **tagged),
        **operations,
    )


def write_doc(
    summary: str, request: Any, response: Any, *, tags: list[str], created: bool = False, **more: Any
) -> dict:
    """The schema of a write: its input, and the row it answers with (201 when ``created``)."""
    code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
    return {"summary": summary, "request": request, "responses": {code: response}, "tags": tags, **more}


def create_action(
    summary: str,
    input_class: Any,
    service: Callable[..., Any],
    *,
    tags: list[str],
    enterprise_field: str = "",
    **more: Any,
) -> Callable[..., Response]:
    """A row API's ``create``: ``PlatformViewSet.create_with`` this input and service, documented by
    ``write_doc`` as a 201 with the row the input reads as (``input_class.reads_as``)."""

    @extend_schema(**write_doc(summary, input_class, input_class.reads_as, created=True, tags=tags, **more))
    def create(self, request):
        return self.create_with(request, input_class, service, enterprise_field=enterprise_field)

    return create


def edit_action(
    summary: str, input_class: Any, service: Callable[..., Any], *, item_name: str, tags: list[str], **more: Any
) -> Callable[..., Response]:
    """A row API's ``partial_update`` (PATCH): ``PlatformViewSet.edit`` this input and service,
    documented by ``write_doc`` with the row the input reads as (``input_class.reads_as``)."""

    @extend_schema(**write_doc(summary, input_class, input_class.reads_as, tags=tags, **more))
    def partial_update(self, request, pk=None):
        return self.edit(request, input_class, service, item_name=item_name)

    return partial_update


def row_action(name: str, body: Callable[[Any, Any], Response], *, url_path: str | None = None, **schema: Any):
    """``body(view, request)`` as the POST action ``name`` on one row (``/<pk>/<url_path or name>/``),
    documented by ``extend_schema(**schema)``."""

    def run(self, request, pk=None):
        return body(self, request)

    run.__name__ = name  # DRF finds an extra action by its attribute's name
    return extend_schema(**schema)(action(detail=True, methods=["post"], url_path=url_path)(run))


def close_action(
    summary: str, input_class: Any, service: Callable[..., Any], *, response: Any, item_name: str, tags: list[str]
):
    """A row API's ``close`` action (the input empty): ``PlatformViewSet.close_with`` this service,
    documented by ``write_doc`` with the row as ``response``."""
    return row_action(
        "close",
        lambda view, request: view.close_with(request, input_class, service, item_name=item_name),
        **write_doc(summary, input_class, response, tags=tags),
    )


def step_action(
    name: str,
    summary: str,
    input_class: Any,
    service: Callable[..., Any],
    *,
    response: Any,
    item_name: str,
    tags: list[str],
):
    """A POST on one row that moves it on: ``PlatformViewSet.edit`` with the whole input (not partial)
    and this service, documented by ``write_doc`` with the row as ``response``."""
    return row_action(
        name,
        lambda view, request: view.edit(request, input_class, service, item_name=item_name, partial=False),
        **write_doc(summary, input_class, response, tags=tags),
    )


@extend_schema_field(OpenApiTypes.INT)
class EnterpriseField(serializers.PrimaryKeyRelatedField):
    """Any zone enterprise by id; whether the user may act for it is the service's rule."""

    def get_queryset(self):
        return Enterprise.objects.select_related("grid")


@extend_schema_field(OpenApiTypes.INT)
class ScopedField(serializers.PrimaryKeyRelatedField):
    """A row the requesting user may use (``selector(user=)``); any other id is "does not exist" (no leak)."""

    def __init__(self, selector, **kwargs):
        self.selector = selector
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.selector(user=request.user if request is not None else None)


# One part of a match's score (``platforms.matching.Reason.as_dict``). No docstring here nor on
# PeriodInput: drf-spectacular would print it into each subclass's schema as its description.
class MatchReasonSerializer(serializers.Serializer):
    key = serializers.CharField()
    text = serializers.CharField()
    points = serializers.IntegerField()


# An input with ``starts_on`` and ``ends_on``: refused (400 on ``ends_on``) when it ends before it starts.
class PeriodInput(StrictSerializer):
    ends_before_starts_message = ENDS_BEFORE_STARTS

    def validate(self, data):
        if ends_before_starts(data.get("starts_on"), data.get("ends_on")):
            raise serializers.ValidationError({"ends_on": [self.ends_before_starts_message]})
        return data


class ProposalActionInput(StrictSerializer):
    expected_version = serializers.IntegerField(
        min_value=0, required=False, help_text=_("读取时的 version，防止覆盖他人的处理")
    )


class ProposalDeclineInput(ProposalActionInput):
    reason = serializers.CharField(max_length=500, help_text=_("未达成原因"))


class PlatformViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = FILTER_BACKENDS
    #: The platform's selector of the rows the caller may see, called ``selector(user=)``: the list,
    #: the detail (404 outside it) and every answer read through it. Or override ``get_queryset``.
    selector: Callable[..., Any] | None = None

    def get_queryset(self):
        # Read from the class: a function stored on it would come back bound to the view from ``self``.
        selector = type(self).selector
        assert selector is not None, f"{type(self).__name__} names no selector"
        return selector(user=self.request.user)

    def handle_exception(self, exc):
        # A service's refusal (403 who may not, 409 state or version, 400 naming the field) answers
        # as every API answers it, whichever action met it.
        if isinstance(exc, TransitionError):
            return refusal_response(exc)
        return super().handle_exception(exc)

    def enterprise_or_own(self, request, data: dict, field: str) -> Any:
        """The enterprise named by ``field`` (popped from ``data``), else the caller's own; a 400 naming the field
        when neither is there. Whether the caller may act for it is the service's question."""
        enterprise = data.pop(field, None) or request.user.enterprise
        if enterprise is None:
            raise serializers.ValidationError({field: [_("该字段是必填项。")]})
        return enterprise

    def create_with(self, request, input_class, create: Callable[..., Any], *, enterprise_field: str = "") -> Response:
        """Validate, call ``create(actor=, **input)`` and answer the new row (201). With
        ``enterprise_field``, the enterprise it names or else the caller's own (``enterprise_or_own``)."""
        shape = input_class(data=request.data, context=self.get_serializer_context())
        shape.is_valid(raise_exception=True)
        data = dict(shape.validated_data)
        if enterprise_field:
            data[enterprise_field] = self.enterprise_or_own(request, data, enterprise_field)
        return self.answer(create(actor=request.user, **data), created=True)

    def answer(self, item: Any, *, created: bool = False) -> Response:
        """``item`` as the list reads it (again through the caller's scope); 201 when just created."""
        data = self.get_serializer(self.get_queryset().get(pk=item.pk)).data
        return Response(data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def edit(
        self, request, input_class, update: Callable[..., Any], *, item_name: str, partial: bool = True
    ) -> Response:
        """An edit (partial unless said): validate, and let the service (``update(<item_name>=item, actor=, …)``)
        check who may. An input that takes ``expected_version`` hands it on as ``version=`` for the service
        to check too (409 when the row changed since it was read)."""
        item = self.get_object()
        shape = input_class(data=request.data, partial=partial, context=self.get_serializer_context())
        shape.is_valid(raise_exception=True)
        data = dict(shape.validated_data)
        if "expected_version" in shape.fields:
            data["version"] = data.pop("expected_version", None)
        update(**{item_name: item}, actor=request.user, **data)
        return self.answer(item)

    def close_with(self, request, input_class, close: Callable[..., Any], *, item_name: str) -> Response:
        """Close a row, the input empty: ``close(<item_name>=item, actor=)``."""
        item = self.get_object()
        input_class(data=request.data).is_valid(raise_exception=True)
        close(**{item_name: item}, actor=request.user)
        return self.answer(item)


def _proposal_action(name: str, input_class: Any, **doc: Any):
    """The move ``name`` of a proposal (``platforms.matching``) as its POST action, with this input."""
    return row_action(name, lambda view, request: view._act(request, name, input_class), request=input_class, **doc)


class ProposalViewSet(PlatformViewSet):
    ordering_fields = ["score", "created_at", "id"]
    ordering = ["-score", "id"]

    def act(self, proposal, *, action: str, actor, reason: str, version: int | None):
        """Move ``proposal`` by ``action`` through the platform's service (which refuses, changing nothing)."""
        raise NotImplementedError

    def _act(self, request, action_name: str, shape_class):
        proposal = self.get_object()
        shape = shape_class(data=request.data)
        shape.is_valid(raise_exception=True)
        version = shape.validated_data.get("expected_version")
        check_version(proposal.version, version, _("该匹配已被他人处理，请刷新后重试。"))
        self.act(
            proposal,
            action=action_name,
            actor=request.user,
            reason=shape.validated_data.get("reason", ""),
            version=version,
        )
        return self.answer(proposal)

    contact = _proposal_action(
        CONTACT,
        ProposalActionInput,
        summary=_("标记为已对接"),
        description=_("仅“已推荐”的匹配可以标记为已对接。"),
    )
    agree = _proposal_action(
        AGREE,
        ProposalActionInput,
        summary=_("确认达成"),
        description=_("已推荐或已对接、且未过有效期的匹配可以确认达成；过期的匹配不能再确认。"),
    )
    decline = _proposal_action(DECLINE, ProposalDeclineInput, summary=_("标记为未达成（须填写原因）"))
