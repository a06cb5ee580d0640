"""What the policy APIs' collections share (the library, funding applications, trainings).

Each lists and reads rows in the user's scope and creates one from an input of its own,
answering with the row as it reads (201): ``collection_docs`` declares that schema once,
``CollectionViewSet`` the viewset around it.
"""

from collections.abc import Mapping
from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from common.api import FILTER_BACKENDS


def collection_docs(
    *,
    list_summary: Any,
    retrieve_summary: Any,
    create_summary: Any,
    create_input: Any,
    created: Any,
    errors: Mapping[int, Any],
    **operations: Any,
):
    """One class decorator: the list, the detail, the create (``create_input`` in, ``created`` out
    with 201, then ``errors``) and any further ``operations`` given as ``extend_schema`` objects."""
    return read_docs(
        list_summary,
        retrieve_summary,
        create=extend_schema(summary=str(create_summary), request=create_input, responses={201: created, **errors}),
        **operations,
    )


def read_docs(list_summary: Any, retrieve_summary: Any, **operations: Any):
    """One class decorator: the list and the detail (and any further ``operations``)."""
    return extend_schema_view(
        list=extend_schema(summary=str(list_summary)),
        retrieve=extend_schema(summary=str(retrieve_summary)),
        **operations,
    )


# Rows in the user's scope (``get_queryset``), read as ``serializer_class``; a create takes ``create_input``.
# No docstring: drf-spectacular would print it into each subclass's operations as their description.
class CollectionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    create_input: type[serializers.Serializer]
    filter_backends = FILTER_BACKENDS

    def get_serializer_class(self):
        return self.create_input if self.action == "create" else self.serializer_class

    def create_data(self, request) -> dict[str, Any]:
        """The create's validated input (400 naming the field otherwise), as the service's arguments."""
        payload = self.create_input(data=request.data)
        payload.is_valid(raise_exception=True)
        return dict(payload.validated_data)
